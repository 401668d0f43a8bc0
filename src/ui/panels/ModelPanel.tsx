/**
 * Choose the model and its sizes, see the live parameter count, match N to a parameter budget
 * (the paper's parameter-matched comparisons), and see the architecture with ablated components
 * highlighted.
 */
import { useState } from 'react';
import type { ExperimentConfig, ModelSettings } from '../../core/config/schema';
import { BOUNDS, MODEL_KINDS } from '../../core/config/schema';
import { taskDims } from '../../core/experiment';
import type { ModelKind } from '../../core/models/types';
import { ArchitectureDiagram } from './ArchitectureDiagram';
import { NumberField } from './NumberField';
import { Panel } from './Panel';
import { formatCount } from './format';
import {
  FIELD_INFO,
  KIND_LABELS,
  fieldsFor,
  matchedN,
  modelParamCount,
  withField,
} from './modelInfo';
import { PANEL_HELP } from '../help/panelHelp';

export interface ModelPanelProps {
  config: ExperimentConfig;
  /** Called with the whole new model settings. */
  onChange: (model: ModelSettings) => void;
  /** 0-based components an ablation touches (drawn highlighted). */
  highlightedComponents?: number[];
  /** Locks every control (e.g. a classroom link, or while a run is in flight). */
  disabled?: boolean;
}

export function ModelPanel({
  config,
  onChange,
  highlightedComponents = [],
  disabled = false,
}: ModelPanelProps) {
  const model = config.model;
  const counted = modelParamCount(config);
  const [target, setTarget] = useState<number>(1059);
  const [matchNote, setMatchNote] = useState<string>('');
  const dims = taskDims(config);

  const match = () => {
    const r = matchedN(config, target);
    if ('error' in r) {
      setMatchNote(r.error);
      return;
    }
    setMatchNote(`N = ${r.N} gives ${formatCount(r.count)} parameters.`);
    if (r.N !== model.N) onChange({ ...model, N: r.N });
  };

  return (
    <Panel title="Model" testId="model-panel" help={PANEL_HELP.model}>
      <div className="nm-row">
        <label className="nm-field">
          <span>Model</span>
          <select
            aria-label="Model type"
            value={model.kind}
            disabled={disabled}
            onChange={(e) => onChange({ ...model, kind: e.target.value as ModelKind })}
          >
            {MODEL_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        <p className="nm-readout" aria-live="polite">
          {'count' in counted ? (
            <>
              <strong>{formatCount(counted.count)}</strong> parameters
            </>
          ) : (
            <span className="nm-warning">{counted.error}</span>
          )}
        </p>
      </div>
      <div className="nm-row">
        {fieldsFor(model.kind).map((f) => (
          <NumberField
            key={f}
            label={FIELD_INFO[f].label}
            ariaLabel={FIELD_INFO[f].aria}
            title={FIELD_INFO[f].hint}
            value={model[f]}
            min={BOUNDS[f][0]}
            max={BOUNDS[f][1]}
            integer={FIELD_INFO[f].integer}
            step={FIELD_INFO[f].integer ? 1 : 'any'}
            disabled={disabled}
            onCommit={(v) => onChange(withField(model, f, v))}
          />
        ))}
        {model.kind === 'nmrnn' ? (
          <label
            className="nm-field"
            title="z also reads x: the Element Finder variant of the paper"
          >
            <input
              type="checkbox"
              checked={model.feedback}
              disabled={disabled}
              onChange={(e) => onChange({ ...model, feedback: e.target.checked })}
            />
            <span>Feedback x → z</span>
          </label>
        ) : null}
      </div>
      <div className="nm-row" role="group" aria-label="Match parameter count">
        <NumberField
          label="Match parameters to"
          ariaLabel="Target parameter count"
          value={target}
          min={1}
          max={10_000_000}
          disabled={disabled}
          onCommit={setTarget}
        />
        <button type="button" onClick={match} disabled={disabled} aria-label="Match parameters">
          Match
        </button>
      </div>
      {matchNote ? (
        <p className="nm-hint" aria-live="polite">
          {matchNote}
        </p>
      ) : null}
      <ArchitectureDiagram
        kind={model.kind}
        N={model.N}
        R={model.R}
        M={model.M}
        U={dims.U}
        O={dims.O}
        feedback={model.feedback}
        highlightedComponents={model.kind === 'nmrnn' ? highlightedComponents : []}
      />
    </Panel>
  );
}
