/**
 * The fused WebGPU optimiser step (webgpu/adamwKernels.ts) against the same update in tfjs ops on
 * the same backend (kernels/adamwOp.ts adamWUpdateOps): random parameters, gradients and moments of
 * several sizes, more than seven of them (the squared norms are summed seven gradients per program),
 * with clipping and decay on and off. The page measures; tests/browser/kernels-webgpu.spec.ts decides.
 */
import * as tf from '@tensorflow/tfjs';
import { adamWUpdate, adamWUpdateOps, type AdamWAttrs } from '../core/kernels/adamwOp';
import { ADAMW_UPDATE } from '../core/kernels/names';
import { webgpuKernelCalls } from '../core/kernels/webgpu/registerWebgpu';
import { Rng } from '../core/random';

export interface AdamwRow {
  name: string;
  /** Per output: max |fused − ops| / max |ops| over every parameter. */
  thetaRel: number;
  mRel: number;
  vRel: number;
  gradSqRel: number;
  /** Fused-kernel calls during the fused update (must be 1). */
  calls: number;
  /** Tensors left behind by both updates once disposed (must be 0). */
  tensorGrowth: number;
}

/** 1, 7, 64, 65, 300 and 5,000 elements, and more: nine parameters in all. */
const SHAPES = [[1], [7], [8, 8], [65], [100, 3], [5000], [3, 3], [20, 20], [2]];

async function relMax(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [x, y] = await Promise.all([a.data(), b.data()]);
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < x.length; i++) {
    worst = Math.max(worst, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return scale > 0 ? worst / scale : worst;
}

async function oneCase(name: string, attrs: Omit<AdamWAttrs, 'c1' | 'c2'>): Promise<AdamwRow> {
  const rng = new Rng(7);
  const items = SHAPES.map((shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const t = (scale: number) => tf.tensor(rng.normals(n, scale), shape);
    return { theta: t(1), g: t(2), m: t(0.1), v: tf.abs(t(0.1)) };
  });
  const full: AdamWAttrs = {
    ...attrs,
    c1: SHAPES.map((_, i) => 1 - attrs.beta1 ** (i + 1)),
    c2: SHAPES.map((_, i) => 1 - attrs.beta2 ** (i + 1)),
  };
  const before = tf.memory().numTensors;
  const callsBefore = webgpuKernelCalls[ADAMW_UPDATE] ?? 0;
  const fused = adamWUpdate(items, full);
  const calls = (webgpuKernelCalls[ADAMW_UPDATE] ?? 0) - callsBefore;
  const ops = adamWUpdateOps(items, full);
  const worst = async (a: tf.Tensor[], b: tf.Tensor[]) =>
    Math.max(...(await Promise.all(a.map((x, i) => relMax(x, b[i])))));
  const row = {
    name,
    thetaRel: await worst(fused.theta, ops.theta),
    mRel: await worst(fused.m, ops.m),
    vRel: await worst(fused.v, ops.v),
    gradSqRel: await relMax(fused.gradSq, ops.gradSq),
    calls,
  };
  for (const r of [fused, ops]) tf.dispose([...r.theta, ...r.m, ...r.v, r.gradSq]);
  const tensorGrowth = tf.memory().numTensors - before;
  for (const it of items) tf.dispose([it.theta, it.g, it.m, it.v]);
  return { ...row, tensorGrowth };
}

export async function adamwCheck(): Promise<AdamwRow[]> {
  const base = { lr: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };
  return [
    await oneCase('AdamW, clip 1, decay 1e-4', { ...base, weightDecay: 1e-4, clip: 1 }),
    await oneCase('Adam, no clip', { ...base, weightDecay: 0, clip: 0 }),
  ];
}
