/**
 * The training-step benchmark shared by `npm run bench` (Node) and `npm run bench:browser`
 * (headless Chromium): ms per full training step (forward, backward, clipped AdamW update, one
 * loss read-back) through the real TrainingSession, for each model family at its MWG preset size,
 * several batch sizes, reference vs fused. Timings only; it asserts nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { createModel, defaultModelConfig, type ModelKind, type ScanImpl } from '../models';
import { Rng } from '../random';
import { mwgTrainingSet, type TaskBatch } from '../tasks';
import { TrainingSession } from '../train/session';
import { readEveryFor } from '../train/readBack';
import { fusedAvailable } from '../kernels/register';
import { initNmrnnSimd, nmrnnSimdEnabled } from '../kernels/simd/nmrnnSimd';
import { combineRounds, type BenchRow } from './benchTable';
import { findPreset } from '../config/presets';
import { withOverrides } from '../config/schema';
import { createRun } from '../train/run';
import { stepMultiplyAdds } from './arithmetic';

export { formatBenchTable, type BenchRow } from './benchTable';

export const BENCH_FAMILIES: ModelKind[] = ['nmrnn', 'lrrnn', 'rnn', 'lstm'];
export const BENCH_BATCHES = [40, 100, 400];

/** docs/SCIENCE.md §3 learning rates (they do not change the cost, only keep the run realistic). */
const LR: Record<ModelKind, number> = { nmrnn: 1e-2, lrrnn: 1e-2, rnn: 1e-3, lstm: 1e-2 };

export interface BenchOptions {
  families: ModelKind[];
  batches: number[];
  impls: ScanImpl[];
  /** Timed steps per configuration (the median is reported). */
  steps: number;
  warmup: number;
  /** Skip reference runs above this batch size (they take seconds per step). */
  maxReferenceBatch?: number;
  /**
   * Time every configuration this many times, one round of all of them after another, and report
   * the median of the rounds' medians (benchTable.ts combineRounds). Default 1.
   */
  rounds?: number;
  /** Called after each configuration, for progress output. */
  onRow?: (row: BenchRow) => void;
}

/** The 40-trial MWG training set repeated (and cut) to B trials. */
export function mwgBatchOf(B: number): TaskBatch {
  const base = mwgTrainingSet();
  const { T, U, O } = base;
  const rep = <A extends Float32Array>(src: A, per: number): Float32Array => {
    const out = new Float32Array(B * per);
    for (let b = 0; b < B; b++)
      out.set(src.subarray((b % base.B) * per, ((b % base.B) + 1) * per), b * per);
    return out;
  };
  return {
    ...base,
    B,
    inputs: rep(base.inputs, T * U),
    targets: rep(base.targets, T * O),
    mask: rep(base.mask, T),
    meta: Array.from({ length: B }, (_, b) => base.meta[b % base.B]),
  };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Untimed steps before timing: at least `warmup` of them and at least this long. The engines run
 * a WebAssembly kernel first from baseline code and recompile it optimised only after it has run a
 * while (V8's dynamic tiering: for the MWG NM-RNN ≈ 50 steps, ≈ 0.2 s, at ≈ 1.5× the optimised
 * step's time), so a bench that stops warming after a few steps times the baseline code, which no
 * real run spends more than its first second in.
 */
export const WARMUP_MS = 1500;

/**
 * `steps` timed training steps after the warm-up (`warmup` steps and WARMUP_MS), in blocks of the
 * backend's read-back length (train/readBack.ts: 1 on cpu and wasm, so every step is timed alone
 * there): the median and the 10th/90th percentiles of ms per step. Frees the session and its model.
 */
async function timeSession(
  session: TrainingSession,
  model: { dispose(): void },
  steps: number,
  warmup: number,
  warmupMs = WARMUP_MS,
): Promise<{ msPerStep: number; p10: number; p90: number }> {
  const times: number[] = [];
  const block = readEveryFor(tf.getBackend());
  const run = async (k: number): Promise<number> => {
    const t0 = performance.now();
    const reports = await session.steps(k);
    const dt = performance.now() - t0;
    const failed = reports.find((r) => !r.ok);
    if (failed && !failed.ok) throw new Error(`bench step failed: ${failed.reason}`);
    return dt;
  };
  try {
    const warmStart = performance.now();
    for (let done = 0; done < warmup || performance.now() - warmStart < warmupMs; done += block)
      await run(block);
    for (let done = 0; done < steps; done += block) {
      const dt = await run(block);
      for (let i = 0; i < block; i++) times.push(dt / block);
    }
  } finally {
    session.dispose();
    model.dispose();
  }
  times.sort((a, b) => a - b);
  return { msPerStep: quantile(times, 0.5), p10: quantile(times, 0.1), p90: quantile(times, 0.9) };
}

/** Times one configuration on the active backend. */
export async function benchOne(
  family: ModelKind,
  B: number,
  impl: ScanImpl,
  steps: number,
  warmup: number,
): Promise<BenchRow> {
  const config = defaultModelConfig(family);
  const model = createModel(config, new Rng(0).stream('init'));
  const batch = mwgBatchOf(B);
  const session = new TrainingSession(model, () => batch, { lr: LR[family], impl });
  const timed = await timeSession(session, model, steps, warmup);
  return {
    backend: tf.getBackend(),
    family,
    N: config.N,
    B,
    T: batch.T,
    impl,
    ...timed,
    steps,
    multiplyAdds: stepMultiplyAdds(config, B, batch.T),
    simd: nmrnnSimdEnabled(),
  };
}

/** Every configuration of `opts` on the active backend (in rounds, where asked). */
export async function benchBackend(opts: BenchOptions): Promise<BenchRow[]> {
  await initNmrnnSimd();
  const backend = tf.getBackend();
  const configs: { family: ModelKind; B: number; impl: ScanImpl; steps: number }[] = [];
  for (const family of opts.families) {
    for (const B of opts.batches) {
      for (const impl of opts.impls) {
        if (impl === 'fused' && !fusedAvailable(family, backend)) continue;
        if (impl === 'reference' && opts.maxReferenceBatch && B > opts.maxReferenceBatch) continue;
        // Reference steps at large B take long: fewer of them still give a stable median.
        const steps = impl === 'reference' && B > 100 ? Math.max(5, opts.steps >> 2) : opts.steps;
        configs.push({ family, B, impl, steps });
      }
    }
  }
  const rounds = Math.max(1, Math.floor(opts.rounds ?? 1));
  const byConfig: BenchRow[][] = configs.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, c] of configs.entries()) {
      const row = await benchOne(c.family, c.B, c.impl, c.steps, opts.warmup);
      byConfig[i].push(row);
      opts.onRow?.(row);
    }
  }
  return byConfig.map((rs) => (rounds > 1 ? combineRounds(rs) : rs[0]));
}

/** One preset's own training step (its task, sizes and batch), e.g. the multitask NM-RNN. */
export interface PresetBenchRow {
  preset: string;
  backend: string;
  B: number;
  T: number;
  msPerStep: number;
  p10: number;
  p90: number;
  steps: number;
  /** Multiply-adds of one step (arithmetic.ts). */
  multiplyAdds: number;
}

/**
 * `spec` is a preset's name, or name@B for its step at another batch size (the multitask NM-RNN's
 * speed target is at the authors' B = 100: multitask-nmrnn@100).
 */
export async function benchPreset(
  spec: string,
  steps: number,
  warmup: number,
): Promise<PresetBenchRow> {
  const [name, batch] = spec.split('@');
  const preset = findPreset(name);
  if (!preset) throw new Error(`no preset "${name}"`);
  const B = batch === undefined ? undefined : Number(batch);
  if (B !== undefined && !(Number.isInteger(B) && B >= 1 && B <= 1024))
    throw new Error(`preset batch must be an integer in 1…1024, got "${batch}"`);
  const config =
    B === undefined ? preset.config : withOverrides(preset.config, { training: { batchSize: B } });
  const { experiment, model, trainer: session } = createRun(config);
  const probe = experiment.nextBatch();
  const multiplyAdds = stepMultiplyAdds(model.config, probe.B, probe.T);
  const timed = await timeSession(session, model, steps, warmup);
  return {
    preset: spec,
    backend: tf.getBackend(),
    B: probe.B,
    T: probe.T,
    ...timed,
    steps,
    multiplyAdds,
  };
}
