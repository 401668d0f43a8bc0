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
  valueRange,
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
        const [t0, t1] = entry.window ?? [0, T];
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
                  <>
                    <label className="nm-field">
                      <span>from step</span>
                      <input
                        type="range"
                        aria-label={`${name} window start`}
                        min={0}
                        max={T - 1}
                        step={1}
                        value={t0}
                        onChange={(e) =>
                          onChange(moveWindowEdge(entries, k, 'start', Number(e.target.value), T))
                        }
                      />
                    </label>
                    <label className="nm-field">
                      <span>to</span>
                      <input
                        type="range"
                        aria-label={`${name} window end`}
                        min={1}
                        max={T}
                        step={1}
                        value={t1}
                        onChange={(e) =>
                          onChange(moveWindowEdge(entries, k, 'end', Number(e.target.value), T))
                        }
                      />
                    </label>
                    <output className="nm-value" title="Trial steps from the start of the trial">
                      steps {t0}–{t1} of the trial
                    </output>
                  </>
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
