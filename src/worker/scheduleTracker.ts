/**
 * Following a training schedule (docs/SCIENCE.md §3) from the worker's current step: which phase
 * the step falls in, entering it once (group, learning rate, optimiser reset if the phase asks),
 * putting a rebuilt trainer back in it, and what the status line says about it.
 */
import type { ExperimentConfig } from '../core/config/schema';
import { enterPhase, phaseAt, type PhasePosition } from '../core/train/phases';
import type { TrainingSession } from '../core/train/session';
import type { TrainingStatus } from './protocol';

export class ScheduleTracker {
  /** Index of the phase the trainer was last pointed at (undefined = none yet). */
  private entered: number | undefined;

  /** A new model or history: no phase has been entered. */
  forget(): void {
    this.entered = undefined;
  }

  position(config: ExperimentConfig | undefined, step: number): PhasePosition | undefined {
    return config ? phaseAt(config.training.schedule, step) : undefined;
  }

  /**
   * Enter the phase `step` falls in, once: a config with a schedule trains through its phases,
   * counted from a fresh model; a loaded model past the schedule keeps training its last phase.
   */
  follow(trainer: TrainingSession, config: ExperimentConfig | undefined, step: number): void {
    const at = this.position(config, step);
    if (!config || !at || at.index === this.entered) return;
    this.entered = at.index;
    enterPhase(trainer, at.phase, config.training.lr);
  }

  /** The learning rate training is headed for: the running phase's, else the config's. */
  targetLr(config: ExperimentConfig | undefined, step: number): number {
    if (!config) return 0;
    return this.position(config, step)?.phase.lr ?? config.training.lr;
  }

  /**
   * A trainer rebuilt from saved parameters starts in the config's stage: put it back in the phase
   * it was in without touching the restored moments (or forget the phase if it was elsewhere).
   */
  resume(trainer: TrainingSession, config: ExperimentConfig, step: number): void {
    const at = this.position(config, step);
    if (at && this.entered === at.index) {
      trainer.setStage(at.phase.group);
      trainer.setLearningRate(at.phase.lr ?? config.training.lr);
    } else {
      this.entered = undefined;
    }
  }

  status(config: ExperimentConfig | undefined, step: number): Pick<TrainingStatus, 'phase'> {
    const at = this.position(config, step);
    if (!at || !config) return {};
    const { group, steps } = at.phase;
    return {
      phase: {
        index: at.index,
        count: config.training.schedule.length,
        group,
        steps,
        done: at.done,
      },
    };
  }
}
