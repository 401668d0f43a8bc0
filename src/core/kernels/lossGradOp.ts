/**
 * The fused training steps as model-level functions (models/fusedRegistry.ts FusedLossGradFn):
 * each builds its kernel's inputs and attributes from a model's configuration and parameters. The
 * arithmetic is that of Model.forward followed by train/loss.ts maskedMse, differentiated: for the
 * NM-RNN and the low-rank RNN through the factored scan, for the vanilla RNN and the LSTM through
 * their SIMD scans with the input projection and the readout in the same module.
 */
import * as tf from '@tensorflow/tfjs';
import type { FusedLossGradFn } from '../models/fusedRegistry';
import { rnnScanSettings, scanSettings } from '../models/forward';
import { paramGroups, paramSpecs } from '../models/paramSpecs';
import type { LstmLossGradAttrs, NmrnnLossGradAttrs, RnnLossGradAttrs } from './attrs';
import { LSTM_LOSS_GRAD, NMRNN_LOSS_GRAD, RNN_LOSS_GRAD } from './names';
import { rnnSimd } from './simd/rnnSimd';
import { lstmSimd } from './simd/lstmSimd';

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

/** Asks for `wanted`'s gradients only: the lane kernel then skips the frozen groups' weight sums. */
export const nmrnnLossGradFused: FusedLossGradFn = (config, params, batch, wanted) => {
  if (!tf.getKernel(NMRNN_LOSS_GRAD, tf.getBackend())) return undefined;
  const [B, T, U] = batch.inputs.shape;
  const isNm = config.kind === 'nmrnn';
  return runStepKernel(NMRNN_LOSS_GRAD, config, params, batch, {
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
  });
};

/** The vanilla RNN's step; undefined without the kernel or without WebAssembly SIMD. */
export const rnnLossGradFused: FusedLossGradFn = (config, params, batch) => {
  if (!tf.getKernel(RNN_LOSS_GRAD, tf.getBackend()) || !rnnSimd()) return undefined;
  const [B, T, U] = batch.inputs.shape;
  return runStepKernel(RNN_LOSS_GRAD, config, params, batch, {
    ...{ B, T, N: config.N, U, O: config.O },
    ...rnnScanSettings(config),
    outputs: paramGroups(config).all,
  });
};

/** The LSTM's step; undefined without the kernel or without WebAssembly SIMD. */
export const lstmLossGradFused: FusedLossGradFn = (config, params, batch) => {
  if (!tf.getKernel(LSTM_LOSS_GRAD, tf.getBackend()) || !lstmSimd()) return undefined;
  const [B, T, U] = batch.inputs.shape;
  return runStepKernel(LSTM_LOSS_GRAD, config, params, batch, {
    ...{ B, T, N: config.N, U, O: config.O },
    outputs: paramGroups(config).all,
  });
};
