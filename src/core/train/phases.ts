/**
 * Training schedules (docs/SCIENCE.md "Training schedules"): a run is a list of phases, each
 * training one parameter group for a number of steps at its own learning rate, optionally with
 * fresh optimiser moments. The authors' MWG NM-RNN is output 10k → nm 10k → all 50k.
 *
 * The authors' loop is offered as an option: their outer loop restarts Adam every 1,000 steps, and
 * a phase returns the parameters of the chunk end whose minibatch loss was lowest.
 */
import type { TrainingPhase } from '../config/schema';
import type { ParamArrays } from '../models/types';
import type { StepReport, TrainingSession } from './session';

/** The authors' chunk length (steps between Adam restarts). */
export const AUTHORS_CHUNK = 1000;

/** Where a phase stands after `done` of its steps (what a job checkpoint keeps of it). */
export interface PhaseProgress {
  done: number;
  /** Authors' loop: chunks finished, and the best chunk end so far. */
  chunkIndex: number;
  best?: { index: number; loss: number; params: ParamArrays };
}

export interface PhaseOptions {
  /** Adam restarts every `chunk` steps and best-of-chunk parameters (the authors' loop). */
  authorsLoop?: boolean;
  chunk?: number;
  /** Called after every step that succeeded, with its report and the step index in the phase. */
  onStep?: (report: StepReport & { ok: true }, index: number) => void | Promise<void>;
  /**
   * Continue a phase stopped after `from.done` steps; the caller has restored the parameters and
   * moments, so the phase's optimiser reset is not repeated.
   */
  from?: PhaseProgress;
  /** Called every `checkpointEvery` steps (not at the phase's end) with where the phase stands. */
  checkpointEvery?: number;
  onCheckpoint?: (at: PhaseProgress) => Promise<void>;
}

export interface PhaseResult {
  /** Loss of every step taken in this phase. */
  losses: number[];
  /** Set when the divergence guard stopped the phase. */
  stoppedEarly?: string;
  /** Authors' loop: the chunk whose end parameters the phase returned. */
  bestChunk?: { index: number; loss: number };
}

/** Where step `step` (updates done so far, from a fresh model) falls in a schedule. */
export interface PhasePosition {
  index: number;
  phase: TrainingPhase;
  /** Updates done before this phase began. */
  start: number;
  /** True once the whole schedule has run (the last phase simply continues). */
  done: boolean;
}

export function phaseAt(phases: readonly TrainingPhase[], step: number): PhasePosition | undefined {
  if (phases.length === 0) return undefined;
  let start = 0;
  for (const [index, phase] of phases.entries()) {
    if (step < start + phase.steps) return { index, phase, start, done: false };
    start += phase.steps;
  }
  const last = phases.length - 1;
  return { index: last, phase: phases[last], start: start - phases[last].steps, done: true };
}

/** Point `session` at `phase`: its group, its learning rate, fresh moments if it asks. */
export function enterPhase(session: TrainingSession, phase: TrainingPhase, baseLr: number): void {
  session.setStage(phase.group);
  session.setLearningRate(phase.lr ?? baseLr);
  if (phase.resetOptimizer) session.resetOptimizer();
}

/** Run one phase to its end (or until the divergence guard stops it). */
export async function runPhase(
  session: TrainingSession,
  phase: TrainingPhase,
  baseLr: number,
  opts: PhaseOptions = {},
): Promise<PhaseResult> {
  const resuming = opts.from !== undefined && opts.from.done > 0;
  if (resuming) {
    session.setStage(phase.group);
    session.setLearningRate(phase.lr ?? baseLr);
  } else {
    enterPhase(session, phase, baseLr);
  }
  const chunk = opts.authorsLoop ? Math.max(1, opts.chunk ?? AUTHORS_CHUNK) : 0;
  const every = opts.onCheckpoint ? Math.max(0, opts.checkpointEvery ?? 0) : 0;
  const losses: number[] = [];
  let best = opts.from?.best;
  let chunkIndex = opts.from?.chunkIndex ?? 0;
  let stoppedEarly: string | undefined;
  for (let i = opts.from?.done ?? 0; i < phase.steps; i++) {
    const r = await session.step();
    if (!r.ok) {
      stoppedEarly = r.reason;
      break;
    }
    losses.push(r.loss);
    await opts.onStep?.(r, i);
    const chunkEnd = chunk > 0 && ((i + 1) % chunk === 0 || i + 1 === phase.steps);
    if (chunkEnd) {
      if (!best || r.loss < best.loss) {
        best = { index: chunkIndex, loss: r.loss, params: await session.getParams() };
      }
      chunkIndex++;
      session.resetOptimizer();
    }
    if (every > 0 && (i + 1) % every === 0 && i + 1 < phase.steps) {
      await opts.onCheckpoint?.({ done: i + 1, chunkIndex, ...(best ? { best } : {}) });
    }
  }
  // Only the trainable parameters changed in this phase, but restoring all is exact and simple.
  if (best && best.index !== chunkIndex - 1) session.setParams(best.params);
  return {
    losses,
    ...(stoppedEarly ? { stoppedEarly } : {}),
    ...(best ? { bestChunk: { index: best.index, loss: best.loss } } : {}),
  };
}
