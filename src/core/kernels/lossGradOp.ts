/**
 * The fused training steps as model-level functions (models/fusedRegistry.ts FusedLossGradFn):
 * each builds its kernel's inputs and attributes from a model's configuration and parameters. The
 * arithmetic is that of Model.forward followed by train/loss.ts maskedMse, differentiated: for the
 * NM-RNN and the low-rank RNN through the factored scan, for the vanilla RNN and the LSTM through
 * their SIMD scans with the input projection and the readout in the same module.
 */
import * as tf from '@tensorflow/tfjs';
import type { FusedLossGradFn, HostLossGradFn, HostStepBatch } from '../models/fusedRegistry';
import type { ModelConfig } from '../models/types';
import { rnnScanSettings, scanSettings } from '../models/forward';
import { paramGroups, paramSpecs } from '../models/paramSpecs';
import type { LstmLossGradAttrs, NmrnnLossGradAttrs, RnnLossGradAttrs } from './attrs';
import { LSTM_LOSS_GRAD, NMRNN_LOSS_GRAD, RNN_LOSS_GRAD } from './names';
import { rnnSimd } from './simd/rnnSimd';
import { lstmSimd } from './simd/lstmSimd';
import { nmrnnLossGradHost } from './cpu/nmrnnLossGradKernel';
import { lstmLossGradHost, rnnLossGradHost } from './cpu/laneLossGradKernels';
import type { StepBatch } from './threads/stepTypes';

/**
 * Runs a training-step kernel: every parameter of the model (by name) and the batch in, the loss
 * and the gradient of each of attrs.outputs out.
 */
function runStepKernel(
  kernel: string,
  config: Parameters<FusedLossGradFn>[0],
  params: Parameters<FusedLossGradFn>[1],
  batch: Parameters<FusedLossGradFn>[2],
  attrs: NmrnnLossGradAttrs | RnnLossGradAttrs | LstmLossGradAttrs,
): ReturnType<FusedLossGradFn> {
  const inputs: tf.NamedTensorMap = { u: batch.inputs, targets: batch.targets, mask: batch.mask };
  for (const spec of paramSpecs(config)) inputs[spec.name] = params[spec.name];
  const [loss, ...grads] = tf
    .engine()
    .runKernel<tf.Tensor[]>(kernel, inputs, attrs as unknown as tf.NamedAttrMap);
  return {
    loss: loss as tf.Scalar,
    grads: Object.fromEntries(attrs.outputs.map((name, i) => [name, grads[i]])),
  };
}

/** The batch's dimensions a step's attributes need. */
export interface StepDims {
  B: number;
  T: number;
  U: number;
}

/** The NM-RNN / LR-RNN step's attributes; `wanted` (default all) in the model's group order. */
export function nmrnnStepAttrs(
  config: ModelConfig,
  { B, T, U }: StepDims,
  wanted?: readonly string[],
): NmrnnLossGradAttrs {
  const isNm = config.kind === 'nmrnn';
  return {
    ...{ B, T, N: config.N, R: config.R, M: isNm ? config.M : 0 },
    feedback: isNm && config.feedback,
    ...scanSettings(config),
    ...{ U, Ux: isNm ? config.Ux : U, O: config.O },
    biasZ: isNm && config.feedback,
    biasY: config.readoutBias,
    orthonormalize: config.orthonormalize,
    symmetric: config.symmetric === true,
    outputs: wanted
      ? paramGroups(config).all.filter((n) => wanted.includes(n))
      : paramGroups(config).all,
  };
}

export function rnnStepAttrs(config: ModelConfig, { B, T, U }: StepDims): RnnLossGradAttrs {
  return {
    ...{ B, T, N: config.N, U, O: config.O },
    ...rnnScanSettings(config),
    outputs: paramGroups(config).all,
  };
}

export function lstmStepAttrs(config: ModelConfig, { B, T, U }: StepDims): LstmLossGradAttrs {
  return { ...{ B, T, N: config.N, U, O: config.O }, outputs: paramGroups(config).all };
}

const dimsOf = (batch: Parameters<FusedLossGradFn>[2]): StepDims => {
  const [B, T, U] = batch.inputs.shape;
  return { B, T, U };
};

/** Whether the active backend runs each family's fused step (its kernel, and SIMD where needed). */
export const nmrnnStepAvailable = (): boolean =>
  tf.getKernel(NMRNN_LOSS_GRAD, tf.getBackend()) !== undefined;
export const rnnStepAvailable = (): boolean =>
  tf.getKernel(RNN_LOSS_GRAD, tf.getBackend()) !== undefined && Boolean(rnnSimd());
export const lstmStepAvailable = (): boolean =>
  tf.getKernel(LSTM_LOSS_GRAD, tf.getBackend()) !== undefined && Boolean(lstmSimd());

/** Asks for `wanted`'s gradients only: the lane kernel then skips the frozen groups' weight sums. */
export const nmrnnLossGradFused: FusedLossGradFn = (config, params, batch, wanted) => {
  if (!nmrnnStepAvailable()) return undefined;
  return runStepKernel(
    NMRNN_LOSS_GRAD,
    config,
    params,
    batch,
    nmrnnStepAttrs(config, dimsOf(batch), wanted),
  );
};

/** The vanilla RNN's step; undefined without the kernel or without WebAssembly SIMD. */
export const rnnLossGradFused: FusedLossGradFn = (config, params, batch) => {
  if (!rnnStepAvailable()) return undefined;
  return runStepKernel(RNN_LOSS_GRAD, config, params, batch, rnnStepAttrs(config, dimsOf(batch)));
};

/** The LSTM's step; undefined without the kernel or without WebAssembly SIMD. */
export const lstmLossGradFused: FusedLossGradFn = (config, params, batch) => {
  if (!lstmStepAvailable()) return undefined;
  return runStepKernel(LSTM_LOSS_GRAD, config, params, batch, lstmStepAttrs(config, dimsOf(batch)));
};

const stepBatchOf = (b: HostStepBatch): StepBatch => ({
  B: b.B,
  u: b.inputs,
  targets: b.targets,
  mask: b.mask,
});

/**
 * `build`, remembered per model configuration for the last batch shape and `wanted` list: the host
 * steps ask for the same attributes every step, and building them was ≈ 2 % of an MWG step. A
 * configuration is never changed in place (a change makes a new model), and the attributes are
 * frozen so no caller can change the remembered ones.
 */
function rememberAttrs<A extends object>(
  build: (config: ModelConfig, dims: StepDims, wanted: readonly string[]) => A,
): (config: ModelConfig, dims: StepDims, wanted: readonly string[]) => A {
  const last = new WeakMap<ModelConfig, StepDims & { wanted: readonly string[]; attrs: A }>();
  return (config, { B, T, U }, wanted) => {
    const m = last.get(config);
    if (m && m.B === B && m.T === T && m.U === U && m.wanted === wanted) return m.attrs;
    const attrs = Object.freeze(build(config, { B, T, U }, wanted));
    last.set(config, { B, T, U, wanted, attrs });
    return attrs;
  };
}

const nmrnnHostAttrs = rememberAttrs(nmrnnStepAttrs);
const rnnHostAttrs = rememberAttrs(rnnStepAttrs);
const lstmHostAttrs = rememberAttrs(lstmStepAttrs);

/**
 * The host forms (cpu, wasm): the same functions the kernels above wrap, called on the trainer's
 * arrays; registered with the availability tests above.
 */
export const nmrnnLossGradOnHost: HostLossGradFn = (config, params, batch, wanted) =>
  nmrnnLossGradHost(
    nmrnnHostAttrs(config, batch, wanted),
    (name) => params[name],
    stepBatchOf(batch),
  );

export const rnnLossGradOnHost: HostLossGradFn = (config, params, batch, wanted) =>
  rnnLossGradHost(rnnHostAttrs(config, batch, wanted), (name) => params[name], stepBatchOf(batch));

export const lstmLossGradOnHost: HostLossGradFn = (config, params, batch, wanted) =>
  lstmLossGradHost(
    lstmHostAttrs(config, batch, wanted),
    (name) => params[name],
    stepBatchOf(batch),
  );
