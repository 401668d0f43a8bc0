/**
 * Play/pause, single step, reset, new seed, learning rate, batch size and which parameter group
 * trains, plus the live speed readout. Every control has an accessible name the browser tests and
 * keyboard users rely on.
 */
import type { TrainingStatus } from '../../worker/protocol';
import type { TrainingConfig } from '../../core/config/schema';
import { BOUNDS, TRAIN_STAGES } from '../../core/config/schema';
import type { ModelKind } from '../../core/models/types';
import type { TaskFamily } from '../../core/tasks/types';
import { Panel } from './Panel';
import { NumberField } from './NumberField';
import { LR_SLIDER, formatCount, formatElapsed, formatLr, lrToSlider, sliderToLr } from './format';

import { formatSchedule, NAMED_SCHEDULES, scheduleName } from '../../core/train/schedules';
import { PANEL_HELP } from '../help/panelHelp';

export type TrainStage = TrainingConfig['stage'];

export const STAGE_LABELS: Record<TrainStage, string> = {
  all: 'All parameters',
  nm: 'NM subnetwork only',
  output: 'Output network only',
  input: 'Input weights only',
};

export interface TrainingControlsProps {
  /** Latest status from the worker; absent before the first snapshot. */
  status?: TrainingStatus;
  /** The training settings being edited (learning rate, batch size, stage). */
  training: Pick<TrainingConfig, 'lr' | 'batchSize' | 'stage' | 'schedule'>;
  family: TaskFamily;
  modelKind: ModelKind;
  /** Current initialisation seed, shown next to "New seed". */
  seed?: number;
  onPlay: () => void;
  onPause: () => void;
  onStep: () => void;
  /** Re-initialise from the same init seed. */
  onReset: () => void;
  onNewSeed: () => void;
  onLearningRateChange: (lr: number) => void;
  onBatchSizeChange: (batchSize: number) => void;
  onStageChange: (stage: TrainStage) => void;
  /** A new training schedule (a list of phases; [] = train the chosen parameters throughout). */
  onScheduleChange: (schedule: TrainingConfig['schedule']) => void;
  /** Disables every control (e.g. while the worker starts). */
  disabled?: boolean;
}

const FULL_BATCH_HINT: Record<TaskFamily, string> = {
  mwg: '0 = full batch (all training trials)',
  multitask: '0 = default (64 fresh trials)',
  eft: '0 = default (128 fresh trials)',
};

export function TrainingControls({
  status,
  training,
  family,
  modelKind,
  seed,
  onPlay,
  onPause,
  onStep,
  onReset,
  onNewSeed,
  onLearningRateChange,
  onBatchSizeChange,
  onStageChange,
  onScheduleChange,
  disabled = false,
}: TrainingControlsProps) {
  const running = status?.running ?? false;
  const lr = training.lr;
  return (
    <Panel title="Training" testId="training-controls" help={PANEL_HELP.training}>
      <div className="nm-row" role="group" aria-label="Training actions">
        <button
          type="button"
          className="nm-primary"
          onClick={running ? onPause : onPlay}
          disabled={disabled}
          aria-label={running ? 'Pause' : 'Play'}
          title={running ? 'Pause training' : 'Start training'}
        >
          {running ? '❚❚ Pause' : '▶ Play'}
        </button>
        <button
          type="button"
          onClick={onStep}
          disabled={disabled || running}
          aria-label="Step"
          title="Run one training step"
        >
          Step
        </button>
        <button
          type="button"
          onClick={onReset}
          disabled={disabled}
          aria-label="Reset"
          title="Re-initialise the model with the same seed"
        >
          Reset
        </button>
        <button
          type="button"
          onClick={onNewSeed}
          disabled={disabled}
          aria-label="New seed"
          title="Re-initialise with a new random seed"
        >
          New seed
        </button>
        {seed !== undefined ? <span className="nm-hint">seed {seed}</span> : null}
      </div>

      <div className="nm-row">
        <label className="nm-field">
          <span>Learning rate</span>
          <input
            type="range"
            aria-label="Learning rate"
            min={LR_SLIDER.min}
            max={LR_SLIDER.max}
            step={LR_SLIDER.step}
            value={lrToSlider(lr)}
            aria-valuetext={formatLr(lr)}
            disabled={disabled}
            onChange={(e) => onLearningRateChange(sliderToLr(Number(e.target.value)))}
          />
          <output className="nm-value">{formatLr(lr)}</output>
        </label>
      </div>

      <div className="nm-row">
        <NumberField
          label="Batch size"
          ariaLabel="Batch size"
          value={training.batchSize}
          min={BOUNDS.batchSize[0]}
          max={BOUNDS.batchSize[1]}
          disabled={disabled}
          onCommit={onBatchSizeChange}
        />
        <label className="nm-field">
          <span>Train</span>
          <select
            aria-label="Train parameters"
            value={training.stage}
            disabled={disabled}
            onChange={(e) => onStageChange(e.target.value as TrainStage)}
          >
            {TRAIN_STAGES.map((s) => (
              <option key={s} value={s} disabled={s === 'nm' && modelKind !== 'nmrnn'}>
                {STAGE_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="nm-hint">{FULL_BATCH_HINT[family]}</p>
      <label className="nm-field">
        <span>Schedule</span>
        <select
          aria-label="Training schedule"
          title="The paper trains its timing NM-RNN in stages: the output network alone for 10,000 steps, then the neuromodulatory subnetwork alone for 10,000, then everything for 50,000"
          value={scheduleName(training.schedule)}
          disabled={disabled}
          onChange={(e) => {
            const name = e.target.value;
            if (name in NAMED_SCHEDULES) {
              onScheduleChange([...NAMED_SCHEDULES[name as keyof typeof NAMED_SCHEDULES]]);
            }
          }}
        >
          <option value="none">One phase (the choice above)</option>
          <option value="staged" disabled={modelKind !== 'nmrnn'}>
            Paper: output → NM → all
          </option>
          {scheduleName(training.schedule) === 'custom' ? (
            <option value="custom">
              Custom (from the link): {formatSchedule(training.schedule)}
            </option>
          ) : null}
        </select>
      </label>
      {status?.phase ? (
        <p className="nm-hint" aria-label="Training schedule">
          {status.phase.done
            ? `Schedule finished; training continues on ${STAGE_LABELS[status.phase.group].toLowerCase()}.`
            : `Schedule phase ${status.phase.index + 1} of ${status.phase.count}: ${STAGE_LABELS[status.phase.group].toLowerCase()} for ${formatCount(status.phase.steps)} steps (the paper's staged training).`}
        </p>
      ) : null}

      <dl className="nm-stats" aria-label="Training progress">
        <div>
          <dt>step</dt>
          <dd>{formatCount(status?.step ?? 0)}</dd>
        </div>
        <div>
          <dt>steps/s</dt>
          <dd>{status ? status.stepsPerSec.toFixed(1) : '–'}</dd>
        </div>
        <div>
          <dt>elapsed</dt>
          <dd>{formatElapsed(status?.elapsedMs ?? 0)}</dd>
        </div>
        {status ? (
          <div>
            <dt>backend</dt>
            <dd>
              {status.backend} ({status.impl})
            </dd>
          </div>
        ) : null}
        {status ? (
          <div>
            <dt>parameters</dt>
            <dd>{formatCount(status.paramCount)}</dd>
          </div>
        ) : null}
      </dl>
      {status?.diverged || status?.message ? (
        <p className="nm-warning" role="alert">
          {status.message ??
            'Training diverged (loss is not finite). Lower the learning rate and reset.'}
        </p>
      ) : null}
    </Panel>
  );
}
