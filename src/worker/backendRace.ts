/**
 * Which available backend trains this model fastest here: a few real training steps of the page's
 * own model on each, after warm-up (docs/PERFORMANCE.md: small recurrent models often run faster on
 * WebAssembly than on a GPU, and the answer depends on the machine and the model's size).
 */
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../core/config/schema';
import { readEveryFor } from '../core/train/readBack';
import { createRun, disposeRun } from '../core/train/run';
import { activateFirstWorking, errorText } from './backends';
import type { BackendName, BackendTiming } from './protocol';
import { median } from '../core/reproduce/stats';

export { median };

export const RACE_WARMUP = 2;
/**
 * And warm-up lasts at least this long: the engine first runs the WebAssembly kernels from baseline
 * code and optimises them after a while (≈ 50 MWG steps), and the host backends share those
 * kernels, so with two steps of warm-up the backend raced first timed the slow code and the next one
 * the fast (CPU 7.8 against WASM 12.8 ms/step for the same kernels, measured).
 */
export const RACE_WARMUP_MS = 300;
export const RACE_STEPS = 6;
/**
 * A first step slower than this ends a backend's turn (its time is that step): a software-emulated
 * GPU can take seconds per step, and no backend that slow would win.
 */
export const SLOW_STEP_MS = 1000;

/**
 * ms per training step of a throwaway copy of `config`'s model on the active backend;
 * `onHost` hears whether its steps ran on host arrays (TrainingSession.stepsOnHost).
 */
export async function timeTrainingSteps(
  config: ExperimentConfig,
  onHost?: (stepsOnHost: boolean) => void,
  warmup = RACE_WARMUP,
  steps = RACE_STEPS,
  warmupMs = RACE_WARMUP_MS,
): Promise<number> {
  const run = createRun(config);
  const trainer = run.trainer;
  onHost?.(trainer.stepsOnHost);
  try {
    const first = performance.now();
    await trainer.step();
    const firstMs = performance.now() - first;
    if (firstMs > SLOW_STEP_MS) return firstMs;
    for (let i = 1; i < warmup || performance.now() - first < warmupMs; i++) await trainer.step();
    // The median step, not the mean: one step slowed by something else on the machine (a garbage
    // collection, another tab) must not decide the race.
    // Timed as training will run: blocks of the backend's read-back length (train/readBack.ts).
    const block = readEveryFor(tf.getBackend());
    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      await trainer.steps(block);
      times.push((performance.now() - t0) / block);
    }
    return median(times);
  } finally {
    disposeRun(run);
  }
}

/**
 * Rounds of the race. The host backends (CPU, WASM) train with the same WebAssembly modules, which
 * the engine optimises in the background after they have run a while: in one round the backend
 * raced first timed partly unoptimised code and lost to the next by up to 5× (WASM 6.2 against CPU
 * 1.2 ms per EFT step, measured). A second round, each backend keeping its better time, gives both
 * the optimised code.
 */
export const RACE_ROUNDS = 2;

/**
 * Times every backend of `candidates` in turn (each activated for its turn), RACE_ROUNDS times, and
 * returns each one's best time, fastest first; a backend that fails is listed with its reason.
 * Leaves the last one tried active: the caller activates the winner.
 */
export async function raceBackends(
  candidates: readonly BackendName[],
  config: ExperimentConfig,
): Promise<BackendTiming[]> {
  const onHost = new Set<BackendName>();
  return raceRounds(
    candidates,
    async (name) => {
      const { name: got } = await activateFirstWorking([name]);
      if (got !== name) return undefined;
      return timeTrainingSteps(config, (yes) => void (yes && onHost.add(name)));
    },
    RACE_ROUNDS,
    (timings) => rankRaced(timings, onHost),
  );
}

/**
 * The race's order (sortTimings), told which backends stepped on host arrays: CPU and WASM both
 * doing so run the same step function, and CPU's time then carries a note saying so.
 */
export function rankRaced(
  timings: readonly BackendTiming[],
  stepsOnHost: ReadonlySet<BackendName>,
): BackendTiming[] {
  const sameSteps = stepsOnHost.has('cpu') && stepsOnHost.has('wasm');
  return sortTimings(timings, sameSteps).map((t) =>
    sameSteps && t.name === 'cpu' && t.msPerStep !== undefined
      ? { ...t, note: SAME_STEPS_NOTE }
      : t,
  );
}

/** Beside CPU's time where it runs WASM's step function (sortTimings `sameSteps`). */
export const SAME_STEPS_NOTE = 'the same step code as WASM';

/**
 * The race's rounds: `time` gives a backend's ms per step (undefined: it is not there, skip it; a
 * throw: it failed). Each backend keeps its best time; one that failed, or took longer than
 * SLOW_STEP_MS, is not timed again, and a failure after a time keeps the time. The best times
 * come back in `rank`'s order (raceBackends: rankRaced, once the rounds have said which backends
 * stepped on host arrays).
 */
export async function raceRounds(
  candidates: readonly BackendName[],
  time: (name: BackendName) => Promise<number | undefined>,
  rounds = RACE_ROUNDS,
  rank: (timings: BackendTiming[]) => BackendTiming[] = sortTimings,
): Promise<BackendTiming[]> {
  const best = new Map<BackendName, BackendTiming>();
  for (let round = 0; round < rounds; round++) {
    for (const name of candidates) {
      const soFar = best.get(name);
      if (soFar && (soFar.msPerStep === undefined || soFar.msPerStep > SLOW_STEP_MS)) continue;
      try {
        const ms = await time(name);
        if (ms !== undefined && !(ms >= (soFar?.msPerStep ?? Infinity))) {
          best.set(name, { name, msPerStep: ms });
        }
      } catch (e) {
        if (!soFar) best.set(name, { name, reason: errorText(e) });
      }
    }
  }
  return rank([...best.values()]);
}

/**
 * How much faster CPU must time than WASM to be chosen over it where their steps differ (a model
 * trained through tfjs kernels on both). Everything else the page does in tfjs (the evaluations
 * behind the plots) runs faster on WASM.
 */
export const CPU_OVER_WASM = 1.1;

/**
 * Fastest first, backends without a time last; CPU after a timed WASM unless clearly faster, and
 * never before it where `sameSteps`: both then run the same step function (our WebAssembly modules
 * on host arrays), so a difference between their times is the machine's noise (CPU 4.3 against
 * WASM 5.8 ms per step, measured in the page while it loaded) and WASM runs the rest faster.
 */
export function sortTimings(timings: readonly BackendTiming[], sameSteps = false): BackendTiming[] {
  const wasm = timings.find(isTimedWasm)?.msPerStep;
  const key = (t: BackendTiming) => {
    const ms = t.msPerStep ?? Infinity;
    if (t.name !== 'cpu' || wasm === undefined || t.msPerStep === undefined) return ms;
    return sameSteps ? Math.max(ms, wasm) : ms * CPU_OVER_WASM;
  };
  // On equal keys WASM first (sameSteps gives CPU at most WASM's key).
  const cpuLast = (a: BackendTiming, b: BackendTiming) =>
    Number(a.name === 'cpu') - Number(b.name === 'cpu');
  return [...timings].sort((a, b) => key(a) - key(b) || cpuLast(a, b));
}

const isTimedWasm = (t: BackendTiming): boolean => t.name === 'wasm' && t.msPerStep !== undefined;
