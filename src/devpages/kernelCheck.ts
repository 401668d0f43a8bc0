/**
 * The page side of tests/browser/kernels-webgpu.spec.ts (devpages/kernel-check.html, built only with `vite build --mode devpages`):
 * on the webgpu backend, runs every model family's forward and backward through the fused WebGPU
 * kernels and through the op-by-op reference, and reports the differences as
 * `window.__kernelCheck`, a Promise of a JSON-able KernelCheckResult. With `?check=session&kinds=…`
 * it instead runs TrainingSession steps (kernelCheckSession.ts) as `window.__sessionCheck`; with
 * `?check=adamw` the fused optimiser step against tfjs ops (kernelCheckAdamw.ts) as
 * `window.__adamwCheck`. The
 * test decides pass/fail; the page only measures (and records what it measured, so a failure says
 * where).
 */
import * as tf from '@tensorflow/tfjs';
import {
  LOWRANK_SCAN,
  LOWRANK_SCAN_GRAD,
  LSTM_SCAN,
  LSTM_SCAN_GRAD,
  NMRNN_SCAN,
  NMRNN_SCAN_GRAD,
  RNN_SCAN,
  RNN_SCAN_GRAD,
} from '../core/kernels/names';
import { activeImpl, fusedAvailable } from '../core/kernels/register';
import { webgpuKernelCalls } from '../core/kernels/webgpu/registerWebgpu';
import {
  createModel,
  defaultModelConfig,
  type Ablation,
  type Model,
  type ModelConfig,
  type ModelKind,
} from '../core/models';
import { Rng } from '../core/random';
import { errorText, startWebgpu } from './kernelCheckGpu';
import { sessionCheck, type SessionRow } from './kernelCheckSession';
import { adamwCheck, type AdamwRow } from './kernelCheckAdamw';

export interface CaseResult {
  name: string;
  kind: ModelKind;
  /** |loss_fused − loss_ref| / |loss_ref|. */
  lossRel: number;
  /** Per trainable parameter: max |g_fused − g_ref| / max |g_ref|. */
  gradRel: Record<string, number>;
  /** Per recorded trajectory: max |fused − ref| / max |ref|. */
  stateRel: Record<string, number>;
  /** activeImpl on webgpu for this model. */
  impl: string;
  /** How many times the forward and gradient WebGPU kernels ran for this case. */
  forwardCalls: number;
  gradCalls: number;
  ms: number;
}

export interface SizeLimitResult {
  name: string;
  kind: ModelKind;
  /** Whether this size is meant to fit the kernels. */
  expectFits: boolean;
  fusedAvailable: boolean;
  /** A forward pass of the model ran (through the reference scan) without error. */
  forwardRan?: boolean;
  /** WebGPU forward-kernel calls during that forward pass (must be 0). */
  kernelCalls?: number;
}

export interface LeakResult {
  kind: ModelKind;
  /** Growth over repeated fused training steps, after one warm-up step: both must be 0. */
  gpuBytesGrowth: number;
  tensorGrowth: number;
}

export type KernelCheckResult =
  | {
      ok: true;
      adapter: string;
      cases: CaseResult[];
      limits: SizeLimitResult[];
      leaks: LeakResult[];
      /** Uncaptured WebGPU device errors (invalid pipelines drop work silently): must be none. */
      gpuErrors: string[];
      /** Fused vs a reference with τx 1% off: must differ, or the comparison cannot fail. */
      control: { stateRel: number };
    }
  | { ok: false; error: string };

export type SessionCheckResult =
  | { ok: true; adapter: string; rows: SessionRow[]; gpuErrors: string[] }
  | { ok: false; error: string };

export type AdamwCheckResult =
  | { ok: true; adapter: string; rows: AdamwRow[]; gpuErrors: string[] }
  | { ok: false; error: string };

declare global {
  interface Window {
    __kernelCheck?: Promise<KernelCheckResult>;
    __sessionCheck?: Promise<SessionCheckResult>;
    __adamwCheck?: Promise<AdamwCheckResult>;
  }
}

const KERNELS: Record<ModelKind, [string, string]> = {
  nmrnn: [NMRNN_SCAN, NMRNN_SCAN_GRAD],
  lrrnn: [LOWRANK_SCAN, LOWRANK_SCAN_GRAD],
  rnn: [RNN_SCAN, RNN_SCAN_GRAD],
  lstm: [LSTM_SCAN, LSTM_SCAN_GRAD],
};

interface Case {
  name: string;
  config: ModelConfig;
  B: number;
  T: number;
  ablation?: Ablation;
  /** Per-trial cue times, for windows anchored to a cue. */
  trialCues?: Record<string, number>[];
}

const cfg = defaultModelConfig;
const small = { N: 8, R: 2, M: 3, tauX: 3, tauZ: 5 };

const CASES: Case[] = [
  { name: 'NM-RNN B3 T7 N8 R2 M3', config: cfg('nmrnn', small), B: 3, T: 7 },
  {
    name: 'NM-RNN, ablation: clamp s0 in a window, scale s1; context channel (Ux < U)',
    config: cfg('nmrnn', { ...small, U: 4, Ux: 3 }),
    B: 3,
    T: 7,
    ablation: [
      { mode: 'clamp', value: 0.3, window: [2, 5] },
      { mode: 'scale', value: 1.6 },
    ],
  },
  {
    name: 'NM-RNN with feedback, 1/N scale, no orthonormalisation, no bias, ablated',
    config: cfg('nmrnn', {
      ...small,
      R: 3,
      U: 1,
      Ux: 1,
      tauX: 2,
      tauZ: 10,
      feedback: true,
      recurrentScale: 'invN',
      orthonormalize: false,
      readoutBias: false,
      init: 'eft',
    }),
    B: 3,
    T: 7,
    ablation: [
      { mode: 'off', value: 0 },
      { mode: 'clamp', value: 0, window: [1, 4] },
    ],
  },
  {
    name: 'NM-RNN, a window anchored to a cue that moves from trial to trial',
    config: cfg('nmrnn', small),
    B: 3,
    T: 7,
    ablation: [{ mode: 'clamp', value: 0.2, window: [-1, 2], anchor: 'go' }],
    trialCues: [{ go: 1 }, { go: 3 }, { go: 5 }],
  },
  { name: 'NM-RNN MWG size (N100 R3 M5)', config: cfg('nmrnn'), B: 2, T: 12 },
  {
    name: 'NM-RNN N300 (two units per invocation), feedback',
    config: cfg('nmrnn', { ...small, N: 300, feedback: true }),
    B: 2,
    T: 4,
  },
  { name: 'LR-RNN B3 T7 N8 R2', config: cfg('lrrnn', small), B: 3, T: 7 },
  { name: 'LR-RNN N300 R3', config: cfg('lrrnn', { N: 300, tauX: 3 }), B: 2, T: 4 },
  { name: 'vanilla RNN B3 T7 N8', config: cfg('rnn', { N: 8, tauX: 3 }), B: 3, T: 7 },
  { name: 'vanilla RNN MWG size (N31)', config: cfg('rnn', { tauX: 3 }), B: 2, T: 12 },
  {
    name: 'vanilla RNN N300 (two units per invocation)',
    config: cfg('rnn', { N: 300 }),
    B: 2,
    T: 4,
  },
  { name: 'LSTM B3 T7 N8', config: cfg('lstm', { N: 8, U: 2, O: 2 }), B: 3, T: 7 },
  { name: 'LSTM MWG size (N15)', config: cfg('lstm'), B: 2, T: 12 },
  { name: 'LSTM N300 (two units per invocation)', config: cfg('lstm', { N: 300 }), B: 1, T: 3 },
];

/** Models too large for the kernels' workgroup limits: fusedAvailable must say no. */
const TOO_LARGE: { name: string; config: ModelConfig; run?: boolean }[] = [
  { name: 'NM-RNN N2100 (> 8 units per invocation)', config: cfg('nmrnn', { N: 2100 }), run: true },
  { name: 'NM-RNN M300 (> 256 NM units)', config: cfg('nmrnn', { M: 300 }) },
  { name: 'LR-RNN N4096', config: cfg('lrrnn', { N: 4096 }) },
  { name: 'vanilla RNN N4096', config: cfg('rnn', { N: 4096 }) },
  { name: 'LSTM N900 (gate gradients > 16 KiB)', config: cfg('lstm', { N: 900 }), run: true },
];

/** Sizes the playground uses: fusedAvailable must say yes. */
const FITTING: { name: string; config: ModelConfig }[] = [
  { name: 'NM-RNN MWG', config: cfg('nmrnn') },
  { name: 'NM-RNN multitask (M20)', config: cfg('nmrnn', { M: 20, U: 7, Ux: 3, O: 3 }) },
  {
    name: 'NM-RNN EFT (M10 N12 R7, feedback)',
    config: cfg('nmrnn', { M: 10, N: 12, R: 7, feedback: true }),
  },
  { name: 'LR-RNN MWG', config: cfg('lrrnn') },
  { name: 'vanilla RNN MWG', config: cfg('rnn') },
  { name: 'LSTM MWG', config: cfg('lstm') },
  { name: 'LSTM N800', config: cfg('lstm', { N: 800 }) },
];

async function relMax(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [da, db] = await Promise.all([a.data(), b.data()]);
  if (da.length !== db.length) throw new Error(`size mismatch ${da.length} vs ${db.length}`);
  let num = 0;
  let den = 1e-30;
  for (let i = 0; i < da.length; i++) {
    num = Math.max(num, Math.abs(da[i] - db[i]));
    den = Math.max(den, Math.abs(db[i]));
  }
  // NaN anywhere must fail the comparison, not vanish in Math.max.
  return Number.isFinite(num) && !da.some(Number.isNaN) ? num / den : Infinity;
}

function inputsFor(c: Case, rng: Rng): { u: tf.Tensor3D; target: tf.Tensor3D } {
  const { U, O } = c.config;
  return {
    u: tf.tensor3d(rng.normals(c.B * c.T * U), [c.B, c.T, U]),
    target: tf.tensor3d(rng.normals(c.B * c.T * O, 0.5), [c.B, c.T, O]),
  };
}

function lossAndGrads(
  model: Model,
  u: tf.Tensor3D,
  target: tf.Tensor3D,
  impl: 'fused' | 'reference',
  c: Case,
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const vars = model.groups.all.map((n) => model.params[n]);
  const opts = { impl, ablation: c.ablation, trialCues: c.trialCues };
  return tf.variableGrads(() => tf.mean(tf.square(tf.sub(model.forward(u, opts).y, target))), vars);
}

async function runCase(c: Case): Promise<CaseResult> {
  const start = performance.now();
  const [fwdName, gradName] = KERNELS[c.config.kind];
  const calls0 = [webgpuKernelCalls[fwdName] ?? 0, webgpuKernelCalls[gradName] ?? 0];
  const rng = new Rng(11);
  const model = createModel(c.config, rng.stream('init'));
  const { u, target } = inputsFor(c, rng.stream('data'));
  const fused = lossAndGrads(model, u, target, 'fused', c);
  const forwardCalls = (webgpuKernelCalls[fwdName] ?? 0) - calls0[0];
  const gradCalls = (webgpuKernelCalls[gradName] ?? 0) - calls0[1];
  const ref = lossAndGrads(model, u, target, 'reference', c);
  const [lf, lr] = await Promise.all([fused.value.data(), ref.value.data()]);
  const gradRel: Record<string, number> = {};
  for (const name of model.groups.all) {
    const key = model.params[name].name;
    const gf = fused.grads[key];
    const gr = ref.grads[key];
    gradRel[name] = gf && gr ? await relMax(gf, gr) : Infinity;
  }
  const stateRel: Record<string, number> = {};
  const f = model.forward(u, {
    impl: 'fused',
    record: true,
    ablation: c.ablation,
    trialCues: c.trialCues,
  });
  const r = model.forward(u, {
    impl: 'reference',
    record: true,
    ablation: c.ablation,
    trialCues: c.trialCues,
  });
  for (const k of Object.keys(r.states) as (keyof typeof r.states)[]) {
    const fs = f.states[k];
    const rs = r.states[k];
    stateRel[k] = fs && rs ? await relMax(fs, rs) : Infinity;
  }
  const impl = activeImpl(c.config.kind, c.config);
  tf.dispose([fused.value, ref.value, fused.grads, ref.grads, f.y, r.y]);
  tf.dispose([...Object.values(f.states), ...Object.values(r.states)]);
  tf.dispose([u, target]);
  model.dispose();
  const lossRel = Math.abs(lf[0] - lr[0]) / Math.abs(lr[0]);
  return {
    name: c.name,
    kind: c.config.kind,
    lossRel: Number.isFinite(lossRel) ? lossRel : Infinity,
    gradRel,
    stateRel,
    impl,
    forwardCalls,
    gradCalls,
    ms: Math.round(performance.now() - start),
  };
}

async function runLimits(): Promise<SizeLimitResult[]> {
  const out: SizeLimitResult[] = [];
  for (const { name, config } of FITTING) {
    const available = fusedAvailable(config.kind, 'webgpu', config);
    out.push({ name, kind: config.kind, expectFits: true, fusedAvailable: available });
  }
  for (const { name, config, run } of TOO_LARGE) {
    const row: SizeLimitResult = {
      name,
      kind: config.kind,
      expectFits: false,
      fusedAvailable: fusedAvailable(config.kind, 'webgpu', config),
    };
    if (run) {
      // The model's forward pass must fall back to the reference scan, not fail in the kernel.
      const [fwdName] = KERNELS[config.kind];
      const before = webgpuKernelCalls[fwdName] ?? 0;
      const model = createModel(config, new Rng(1));
      const u = tf.ones([1, 2, config.U]) as tf.Tensor3D;
      try {
        const { y } = model.forward(u);
        await y.data();
        y.dispose();
        row.forwardRan = true;
      } catch {
        row.forwardRan = false;
      }
      row.kernelCalls = (webgpuKernelCalls[fwdName] ?? 0) - before;
      u.dispose();
      model.dispose();
    }
    out.push(row);
  }
  return out;
}

/**
 * Fused loss-and-gradient steps must not grow GPU memory: the kernels' temporary buffers (packed
 * outputs, params ‖ mul) are backend-level and invisible to tf.memory().numTensors, so the
 * backend's bytes in use are compared too.
 */
async function leakCheck(kind: ModelKind): Promise<LeakResult> {
  const config = cfg(kind, { ...small });
  const rng = new Rng(3);
  const model = createModel(config, rng.stream('init'));
  const c: Case = { name: kind, config, B: 2, T: 5, ablation: [{ mode: 'scale', value: 0.5 }] };
  const { u, target } = inputsFor(c, rng.stream('data'));
  const step = async () => {
    const { value, grads } = lossAndGrads(model, u, target, 'fused', c);
    await value.data();
    tf.dispose([value, grads]);
    // A read submits the queue, which is when the backend releases disposed buffers.
    const probe = tf.zeros([1]);
    await probe.data();
    probe.dispose();
  };
  await step();
  const before = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
  for (let i = 0; i < 3; i++) await step();
  const after = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
  tf.dispose([u, target]);
  model.dispose();
  return {
    kind,
    gpuBytesGrowth: (after.numBytesInGPU ?? NaN) - (before.numBytesInGPU ?? NaN),
    tensorGrowth: after.numTensors - before.numTensors,
  };
}

/** The fused NM-RNN states against a reference whose τx is 1% off: must be far apart. */
async function negativeControl(): Promise<{ stateRel: number }> {
  const config = cfg('nmrnn', small);
  const rng = new Rng(5);
  const a = createModel(config, rng.stream('init'));
  const b = createModel({ ...config, tauX: config.tauX * 1.01 }, rng.stream('init'));
  const u = tf.tensor3d(rng.stream('data').normals(3 * 7 * config.U), [3, 7, config.U]);
  const fa = a.forward(u, { impl: 'fused', record: true });
  const rb = b.forward(u, { impl: 'reference', record: true });
  const stateRel = await relMax(fa.states.x!, rb.states.x!);
  tf.dispose([fa.y, rb.y, u, ...Object.values(fa.states), ...Object.values(rb.states)]);
  a.dispose();
  b.dispose();
  return { stateRel };
}

async function check(): Promise<KernelCheckResult> {
  const gpu = await startWebgpu();
  if (!gpu.ok) return gpu;
  const cases: CaseResult[] = [];
  for (const c of CASES) cases.push(await runCase(c));
  const limits = await runLimits();
  const leaks: LeakResult[] = [];
  for (const kind of ['nmrnn', 'lrrnn', 'rnn', 'lstm'] as const) leaks.push(await leakCheck(kind));
  const control = await negativeControl();
  tf.disposeVariables();
  return { ok: true, adapter: gpu.adapter, cases, limits, leaks, gpuErrors: gpu.errors, control };
}

async function checkSessions(kinds: ModelKind[]): Promise<SessionCheckResult> {
  const gpu = await startWebgpu();
  if (!gpu.ok) return gpu;
  const rows = await sessionCheck(kinds);
  return { ok: true, adapter: gpu.adapter, rows, gpuErrors: gpu.errors };
}

async function checkAdamw(): Promise<AdamwCheckResult> {
  const gpu = await startWebgpu();
  if (!gpu.ok) return gpu;
  const rows = await adamwCheck();
  return { ok: true, adapter: gpu.adapter, rows, gpuErrors: gpu.errors };
}

const params = new URLSearchParams(location.search);
if (params.get('check') === 'adamw') {
  window.__adamwCheck = checkAdamw().catch((e: unknown): AdamwCheckResult => ({
    ok: false,
    error: errorText(e),
  }));
} else if (params.get('check') === 'session') {
  const kinds = (params.get('kinds') ?? 'lrrnn').split(',') as ModelKind[];
  window.__sessionCheck = checkSessions(kinds).catch((e: unknown): SessionCheckResult => ({
    ok: false,
    error: errorText(e),
  }));
} else {
  window.__kernelCheck = check().catch((e: unknown): KernelCheckResult => ({
    ok: false,
    error: errorText(e),
  }));
}
