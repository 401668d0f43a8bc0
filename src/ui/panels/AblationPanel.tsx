/**
 * Ablate the neuromodulatory signal without retraining: per component s_k, clamp it to a level or
 * scale it, for the whole trial or a time window, and read how the headline metric changes.
 */
import { useMemo } from 'react';
import type { EvalView } from '../../worker/protocol';
import type { Ablation } from '../../core/models/types';
import { componentColor } from '../palette';
import { ablationReadout } from './ablationReadout';
import { Panel } from './Panel';
import {
  describeComponent,
  isAblationActive,
  moveWindowEdge,
  normalizeAblation,
  resetAblation,
  setMode,
  setValue,
  setWindow,
  setWindowAnchor,
  valueRange,
  windowBounds,
  type AblationMode,
} from './ablationEdit';
import { PANEL_HELP } from '../help/panelHelp';

export interface AblationPanelProps {
  /** Number of modulation components (0 for models without s). */
  K: number;
  /** Trial length in steps (bounds of the time window). */
  T: number;
  ablation: Ablation | undefined;
  onChange: (ablation: Ablation) => void;
  /** Latest evaluation, for the intact → ablated readout. */
  evalView?: EvalView;
  /** The task's events a window may count from (the s(t) plot's alignments), besides trial start. */
  anchors?: readonly { cue: string; label: string }[];
  disabled?: boolean;
}

const MODE_LABELS: Record<AblationMode, string> = {
  off: 'Off (intact)',
  clamp: 'Clamp to',
  scale: 'Scale by',
};

export function AblationPanel({
  K,
  T,
  ablation,
  onChange,
  evalView,
  anchors = [],
  disabled = false,
}: AblationPanelProps) {
  const entries = useMemo(() => normalizeAblation(ablation, K), [ablation, K]);
  const readout = useMemo(() => ablationReadout(evalView), [evalView]);
  if (K === 0) {
    return (
      <Panel title="Ablation" testId="ablation-panel" help={PANEL_HELP.ablation}>
        <p className="nm-hint">
          This model has no neuromodulatory signal s(t) to ablate. Choose the NM-RNN to try it.
        </p>
      </Panel>
    );
  }
  const active = isAblationActive(entries);
  return (
    <Panel
      title="Ablation"
      testId="ablation-panel"
      help={PANEL_HELP.ablation}
      actions={
        <button
          type="button"
          onClick={() => onChange(resetAblation(K))}
          disabled={disabled || !entries.some((e) => e.mode !== 'off')}
        >
          Reset ablations
        </button>
      }
    >
      <p className="nm-readout" aria-live="polite">
        {readout ??
          (active
            ? 'Waiting for the ablated evaluation…'
            : 'All components intact. Clamp or scale one.')}
      </p>
      {entries.map((entry, k) => {
        const name = `Component ${k + 1}`;
        const [lo, hi] = valueRange(entry.mode);
        const off = entry.mode === 'off';
        return (
          <fieldset
            key={k}
            className="nm-component"
            disabled={disabled}
            aria-label={`Component ${k + 1} (s${k + 1})`}
          >
            <div className="nm-row">
              <span className="nm-component-name" aria-hidden="true">
                <span className="nm-component-swatch" style={{ background: componentColor(k) }} />s
                <sub>{k + 1}</sub>
              </span>
              <select
                aria-label={`${name} mode`}
                value={entry.mode}
                onChange={(e) => onChange(setMode(entries, k, e.target.value as AblationMode))}
              >
                {(Object.keys(MODE_LABELS) as AblationMode[]).map((m) => (
                  <option key={m} value={m}>
                    {MODE_LABELS[m]}
                  </option>
                ))}
              </select>
              <input
                type="range"
                aria-label={`${name} value`}
                min={lo}
                max={hi}
                step={0.01}
                value={entry.value}
                disabled={off}
                onChange={(e) => onChange(setValue(entries, k, Number(e.target.value)))}
              />
              <output className="nm-value">{off ? '–' : entry.value.toFixed(2)}</output>
            </div>
            {off ? null : (
              <div className="nm-row">
                <label className="nm-field">
                  <input
                    type="checkbox"
                    aria-label={`${name} time window`}
                    checked={entry.window !== undefined}
                    onChange={(e) =>
                      onChange(setWindow(entries, k, e.target.checked ? [0, T] : undefined, T))
                    }
                  />
                  <span>{entry.window ? 'during' : 'only during a window'}</span>
                </label>
                {entry.window ? (
                  <WindowControls
                    name={name}
                    entries={entries}
                    k={k}
                    T={T}
                    anchors={anchors}
                    onChange={onChange}
                  />
                ) : null}
              </div>
            )}
            <span className="nm-visually-hidden">{describeComponent(entry, k)}</span>
          </fieldset>
        );
      })}
    </Panel>
  );
}

interface WindowControlsProps {
  name: string;
  entries: Ablation;
  k: number;
  T: number;
  anchors: readonly { cue: string; label: string }[];
  onChange: (ablation: Ablation) => void;
}

/**
 * Where component k's window sits: counted from trial start or from one of the task's events (the
 * s(t) plot's alignments, so a window can also be dragged there), and its two edges in steps.
 */
function WindowControls({ name, entries, k, T, anchors, onChange }: WindowControlsProps) {
  const entry = entries[k];
  const anchor = entry.anchor;
  const [lo, hi] = windowBounds(anchor, T);
  const [t0, t1] = entry.window ?? [lo, hi];
  const cueLabel = anchors.find((a) => a.cue === anchor)?.label.toLowerCase() ?? anchor;
  return (
    <>
      {anchors.length > 0 || anchor ? (
        <label className="nm-field">
          <span>counted from</span>
          <select
            aria-label={`${name} window counted from`}
            value={anchor ?? ''}
            onChange={(e) => onChange(setWindowAnchor(entries, k, e.target.value || undefined, T))}
          >
            <option value="">trial start</option>
            {anchors.map((a) => (
              <option key={a.cue} value={a.cue}>
                {a.label.toLowerCase()}
              </option>
            ))}
            {anchor && !anchors.some((a) => a.cue === anchor) ? (
              <option value={anchor}>{anchor}</option>
            ) : null}
          </select>
        </label>
      ) : null}
      <label className="nm-field">
        <span>from step</span>
        <input
          type="range"
          aria-label={`${name} window start`}
          min={lo}
          max={hi - 1}
          step={1}
          value={t0}
          onChange={(e) => onChange(moveWindowEdge(entries, k, 'start', Number(e.target.value), T))}
        />
      </label>
      <label className="nm-field">
        <span>to</span>
        <input
          type="range"
          aria-label={`${name} window end`}
          min={lo + 1}
          max={hi}
          step={1}
          value={t1}
          onChange={(e) => onChange(moveWindowEdge(entries, k, 'end', Number(e.target.value), T))}
        />
      </label>
      <output className="nm-value">
        {anchor ? `steps ${t0} to ${t1} from the ${cueLabel}` : `steps ${t0}–${t1} of the trial`}
      </output>
    </>
  );
}
