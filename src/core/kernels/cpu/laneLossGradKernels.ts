/**
 * The fused training steps of the vanilla RNN and the LSTM on the host backends: parameters by name
 * and a batch in, the masked MSE and the gradient of each of attrs.outputs out, through the SIMD
 * modules' whole-step functions (simd/laneTrainSimd.ts), split over step threads where there are
 * some (threads/stepParts.ts). Offered only where those modules load; elsewhere the trainer
 * differentiates Model.forward (kernels/lossGradOp.ts decides).
 */
import type { LstmLossGradAttrs, RnnLossGradAttrs } from '../attrs';
import {
  required,
  stepKernel,
  StepArrays,
  type ParamSource,
  type StepResult,
} from './stepKernelIO';
import { lstmStepLayout, rnnStepLayout } from '../layout';
import { runStep } from '../threads/stepParts';
import type { StepBatch } from '../threads/stepTypes';
import { relaxedSimdInUse } from '../simd/lanes';

const GATES = ['i', 'f', 'g', 'o'] as const;

const rnnArrays = new StepArrays();
const lstmArrays = new StepArrays();

/** The vanilla RNN's step on host arrays (the tfjs kernel RnnLossGradFused wraps it). */
export function rnnLossGradHost(
  a: RnnLossGradAttrs,
  param: ParamSource,
  batch: StepBatch,
): StepResult {
  const f = (name: string) => required(param, name);
  const attrs = { B: a.B, T: a.T, N: a.N, U: a.U, O: a.O, tau: a.tau, scale: a.scale };
  const job = {
    kind: 'rnn',
    attrs: { ...attrs, biasY: param('d') !== undefined },
    relaxed: relaxedSimdInUse(),
  } as const;
  const lay = rnnStepLayout(job.attrs);
  const params = rnnArrays.zeroed('params', lay.size);
  params.set(f('W'), lay.W);
  params.set(f('Bx'), lay.Bx);
  params.set(f('C'), lay.C);
  if (job.attrs.biasY) params.set(f('d'), lay.d);
  params.set(f('x0'), lay.x0);
  const g = rnnArrays.zeroed('grad', lay.size);
  const loss = Math.fround(runStep(job, params, batch, a, g));
  const grads: Record<string, Float32Array> = {
    W: g.subarray(lay.W, lay.Bx),
    Bx: g.subarray(lay.Bx, lay.C),
    C: g.subarray(lay.C, lay.d),
  };
  if (job.attrs.biasY) grads.d = g.subarray(lay.d, lay.x0);
  // x0 is fixed (models/paramSpecs.ts): no gradient for it.
  return { loss, grads };
}

export const rnnLossGradKernel = stepKernel(rnnLossGradHost);

/** The LSTM's step on host arrays (the tfjs kernel LstmLossGradFused wraps it). */
export function lstmLossGradHost(
  a: LstmLossGradAttrs,
  param: ParamSource,
  batch: StepBatch,
): StepResult {
  const f = (name: string) => required(param, name);
  const { N, U } = a;
  const job = {
    kind: 'lstm',
    attrs: { B: a.B, T: a.T, N, U, O: a.O },
    relaxed: relaxedSimdInUse(),
  } as const;
  const lay = lstmStepLayout(job.attrs);
  // Gates stacked i, f, g, o: row blocks of W_in, W_h and the bias.
  const params = lstmArrays.zeroed('params', lay.size);
  GATES.forEach((q, k) => {
    params.set(f(`W${q}`), lay.Win + k * N * U);
    params.set(f(`U${q}`), lay.Wh + k * N * N);
    params.set(f(`b${q}`), lay.bias + k * N);
  });
  params.set(f('C'), lay.C);
  params.set(f('h0'), lay.h0);
  params.set(f('c0'), lay.c0);
  const g = lstmArrays.zeroed('grad', lay.size);
  const loss = Math.fround(runStep(job, params, batch, a, g));
  // The initial states are fixed (models/paramSpecs.ts): no gradient for them.
  const grads: Record<string, Float32Array> = { C: g.subarray(lay.C, lay.h0) };
  GATES.forEach((q, k) => {
    grads[`W${q}`] = g.subarray(lay.Win + k * N * U, lay.Win + (k + 1) * N * U);
    grads[`U${q}`] = g.subarray(lay.Wh + k * N * N, lay.Wh + (k + 1) * N * N);
    grads[`b${q}`] = g.subarray(lay.bias + k * N, lay.bias + (k + 1) * N);
  });
  return { loss, grads };
}

export const lstmLossGradKernel = stepKernel(lstmLossGradHost);
