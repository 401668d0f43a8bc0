/**
 * A small schematic of the model: inputs u drive the NM subnetwork z (M units), which emits s
 * (K components); each s_k scales one rank-1 component ℓ_k v_kᵀ of x's recurrence; x is read out
 * to y. Components an ablation touches are highlighted. Baselines draw the parts they have.
 */
import { useId } from 'react';
import type { ModelKind } from '../../core/models/types';
import { componentColor } from '../palette';

export interface ArchitectureDiagramProps {
  kind: ModelKind;
  N: number;
  R: number;
  M: number;
  U: number;
  O: number;
  feedback?: boolean;
  /** 0-based components whose s_k is ablated. */
  highlightedComponents?: readonly number[];
}

/** Beyond this many components the diagram draws the first ones and "+n more". */
const MAX_DRAWN = 8;

const KIND_NAMES: Record<ModelKind, string> = {
  nmrnn: 'NM-RNN',
  lrrnn: 'low-rank RNN',
  rnn: 'vanilla RNN',
  lstm: 'LSTM',
};

/** The diagram in words (its accessible description). */
export function describeArchitecture(p: ArchitectureDiagramProps): string {
  const hl = p.highlightedComponents ?? [];
  const hlText = hl.length
    ? ` Ablated: ${hl.map((k) => `s${k + 1} (component ${k + 1})`).join(', ')}.`
    : '';
  switch (p.kind) {
    case 'nmrnn':
      return (
        `Inputs u (${p.U}) drive the neuromodulatory subnetwork z (${p.M} units)` +
        `${p.feedback ? ', which also reads x' : ''}. z emits s(t) with ${p.R} components; ` +
        `each s_k scales one rank-1 component ℓ_k v_kᵀ of the recurrence of x (${p.N} units), ` +
        `which u also drives. y (${p.O}) is read out from x.${hlText}`
      );
    case 'lrrnn':
      return `Inputs u (${p.U}) drive x (${p.N} units) whose recurrence is the sum of ${p.R} fixed rank-1 components ℓ_k v_kᵀ; y (${p.O}) is read out from x.`;
    case 'rnn':
      return `Inputs u (${p.U}) drive x (${p.N} units) with a full-rank recurrent matrix W; y (${p.O}) is read out from x.`;
    case 'lstm':
      return `Inputs u (${p.U}) drive an LSTM with ${p.N} cells (gates i, f, g, o); y (${p.O}) is read out from h.`;
  }
}

export function ArchitectureDiagram(props: ArchitectureDiagramProps) {
  const { kind, N, R, M, U, O, feedback } = props;
  const hl = new Set(props.highlightedComponents ?? []);
  const titleId = useId();
  const descId = useId();
  const lowRank = kind === 'nmrnn' || kind === 'lrrnn';
  const drawn = Math.min(R, MAX_DRAWN);
  // x spans 100..280; components sit evenly inside it.
  const compX = (k: number) => 108 + (k * 164) / Math.max(drawn, 1);
  const compW = Math.min(36, 164 / Math.max(drawn, 1) - 4);
  // useId's characters are not all valid in a url(#…) reference, so the marker gets a plain id.
  const markerId = `nm-arrow-${titleId.replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const arrow = `url(#${markerId})`;
  return (
    <svg
      className="nm-diagram"
      viewBox="0 0 360 160"
      role="img"
      aria-labelledby={`${titleId} ${descId}`}
      data-testid="architecture-diagram"
    >
      <title id={titleId}>{`${KIND_NAMES[kind]} architecture`}</title>
      <desc id={descId}>{describeArchitecture(props)}</desc>
      <defs>
        <marker
          id={markerId}
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="6"
          markerHeight="6"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" fill="currentColor" opacity="0.7" />
        </marker>
      </defs>
      <g>
        {/* inputs */}
        <rect className="nm-node" x="6" y="92" width="44" height="30" rx="5" />
        <text x="28" y="111" textAnchor="middle">
          u ({U})
        </text>
        {/* output */}
        <rect className="nm-node" x="308" y="92" width="46" height="30" rx="5" />
        <text x="331" y="111" textAnchor="middle">
          y ({O})
        </text>
        {/* x network */}
        <rect className="nm-node" x="100" y="80" width="180" height="56" rx="8" />
        <text x="190" y="152" textAnchor="middle">
          {kind === 'lstm' ? `h, c (N=${N})` : `x (N=${N})`}
        </text>
        <path className="nm-edge" d="M50,107 L98,107" markerEnd={arrow} />
        <path className="nm-edge" d="M280,107 L306,107" markerEnd={arrow} />
        {lowRank ? (
          Array.from({ length: drawn }, (_, k) => (
            <g key={k}>
              <rect
                x={compX(k)}
                y="92"
                width={compW}
                height="30"
                rx="4"
                fill={componentColor(k)}
                fillOpacity={0.25}
                stroke={componentColor(k)}
                className={hl.has(k) ? 'nm-highlight' : undefined}
              />
              <text x={compX(k) + compW / 2} y="111" textAnchor="middle" fontSize="10">
                {drawn <= 4 ? `ℓ${sub(k + 1)}v${sub(k + 1)}ᵀ` : `${k + 1}`}
              </text>
            </g>
          ))
        ) : (
          <text x="190" y="111" textAnchor="middle">
            {kind === 'lstm' ? 'gates i, f, g, o' : 'W (full rank)'}
          </text>
        )}
        {R > drawn && lowRank ? (
          <text x="278" y="90" textAnchor="end" fontSize="9">
            +{R - drawn} more
          </text>
        ) : null}
        {kind === 'nmrnn' ? (
          <g>
            <rect className="nm-node" x="60" y="8" width="76" height="30" rx="5" />
            <text x="98" y="27" textAnchor="middle">
              z (M={M})
            </text>
            <path className="nm-edge" d="M28,92 L28,23 L58,23" markerEnd={arrow} />
            <path className="nm-edge" d="M136,23 L150,23" markerEnd={arrow} />
            {feedback ? (
              <path
                className="nm-edge"
                d="M100,90 L80,90 L80,40"
                strokeDasharray="3 2"
                markerEnd={arrow}
              />
            ) : null}
            {Array.from({ length: drawn }, (_, k) => {
              const cx = compX(k) + compW / 2;
              const step = 120 / Math.max(drawn, 1);
              const sx = 160 + step * k + step / 2 - 6;
              const r = Math.min(9, step / 2 - 1);
              return (
                <g key={k}>
                  <circle
                    cx={sx}
                    cy="23"
                    r={r}
                    fill={componentColor(k)}
                    fillOpacity={hl.has(k) ? 0.15 : 0.6}
                    stroke={componentColor(k)}
                    className={hl.has(k) ? 'nm-highlight' : undefined}
                  />
                  <text x={sx} y="27" textAnchor="middle" fontSize={drawn <= 4 ? 9 : 8}>
                    {drawn <= 4 ? `s${sub(k + 1)}` : k + 1}
                  </text>
                  <path
                    className={`nm-edge${hl.has(k) ? ' nm-highlight' : ''}`}
                    d={`M${sx},${23 + r} L${cx},90`}
                    strokeDasharray={hl.has(k) ? '4 3' : undefined}
                    markerEnd={arrow}
                  />
                </g>
              );
            })}
          </g>
        ) : null}
      </g>
    </svg>
  );
}

const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';
function sub(n: number): string {
  return String(n)
    .split('')
    .map((d) => SUBSCRIPTS[Number(d)])
    .join('');
}
