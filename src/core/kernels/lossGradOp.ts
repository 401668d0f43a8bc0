/**
 * The fused training step of the NM-RNN and the low-rank RNN as a model-level function
 * (models/fusedRegistry.ts FusedLossGradFn): builds the NMRNN_LOSS_GRAD kernel's inputs and
 * attributes from a model's configuration and parameters. Its arithmetic is that of Model.forward
 * through the factored scan followed by train/loss.ts maskedMse, differentiated.
 */
import * as tf from '@tensorflow/tfjs';
import type { FusedLossGradFn } from '../models/fusedRegistry';
import { scanSettings } from '../models/forward';
import { paramGroups, paramSpecs } from '../models/paramSpecs';
import type { NmrnnLossGradAttrs } from './attrs';
import { NMRNN_LOSS_GRAD } from './names';

export const nmrnnLossGradFused: FusedLossGradFn = (config, params, batch) => {
  if (!tf.getKernel(NMRNN_LOSS_GRAD, tf.getBackend())) return undefined;
  const [B, T, U] = batch.inputs.shape;
  const isNm = config.kind === 'nmrnn';
  const outputs = paramGroups(config).all;
  const inputs: tf.NamedTensorMap = {
    u: batch.inputs,
    targets: batch.targets,
    mask: batch.mask,
  };
  for (const spec of paramSpecs(config)) inputs[spec.name] = params[spec.name];
  const attrs: NmrnnLossGradAttrs = {
    ...{ B, T, N: config.N, R: config.R, M: isNm ? config.M : 0 },
    feedback: isNm && config.feedback,
    ...scanSettings(config),
    ...{ U, Ux: isNm ? config.Ux : U, O: config.O },
    biasZ: isNm && config.feedback,
    biasY: config.readoutBias,
    orthonormalize: config.orthonormalize,
    outputs,
  };
  const [loss, ...grads] = tf
    .engine()
    .runKernel<tf.Tensor[]>(NMRNN_LOSS_GRAD, inputs, attrs as unknown as tf.NamedAttrMap);
  return {
    loss: loss as tf.Scalar,
    grads: Object.fromEntries(outputs.map((name, i) => [name, grads[i]])),
  };
};
