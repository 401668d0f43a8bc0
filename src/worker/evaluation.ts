/**
 * Running the current model on the fixed evaluation trials and turning the result into the
 * protocol's EvalView. The intact run is cached per training step; an ablation change only re-runs
 * the ablated forward pass and projects it on the intact run's PCA basis, so moving a slider costs
 * one forward pass.
 */
import type { Model, Ablation } from '../core/models/types';
import type { EvalSet, Experiment } from '../core/experiment';
import { evaluateModel } from '../core/analysis/evaluate';
import { fitPca, projectPca, type PcaFit } from '../core/analysis/pca';
import type { Behaviour } from '../core/analysis/behaviour';
import type { EvalView, Metrics, PcaView } from './protocol';
import { isComponentAblated } from '../core/models/ablation';

/** What one forward pass over an evaluation set gives back, on the host. */
export interface ForwardRecord {
  /** [B, T, O] */
  outputs: Float32Array;
  /** [B, T, K], absent for models without a modulation signal. */
  s?: Float32Array;
  K: number;
  /** The state PCA is taken over: x for RNNs, h for the LSTM. [B, T, stateDim] */
  states?: Float32Array;
  stateDim: number;
  /** Masked MSE against the set's targets. */
  loss: number;
}

const PCA_DIMS = 3;

/** An ablation only matters where some component of the model is ablated (the engine's rule). */
export function effectiveAblation(ablation: Ablation | undefined, K: number): Ablation | undefined {
  if (!ablation || K === 0) return undefined;
  const trimmed = ablation.slice(0, K);
  return trimmed.some(isComponentAblated) ? trimmed : undefined;
}

export async function forwardRecord(
  model: Model,
  set: EvalSet,
  ablation?: Ablation,
): Promise<ForwardRecord> {
  const ev = await evaluateModel(model, set.batch, { ablation });
  const state = ev.states.x ?? ev.states.h;
  return {
    outputs: ev.outputs.data,
    s: ev.states.s?.data,
    K: ev.states.s ? ev.states.s.dims[2] : 0,
    states: state?.data,
    stateDim: state ? state.dims[2] : 0,
    loss: ev.loss,
  };
}

/** The task's metrics of one evaluation set (already flat: core/experiment.ts). */
export function metricsOf(experiment: Experiment, set: EvalSet, outputs: Float32Array): Metrics {
  return experiment.metrics(set, outputs);
}

/**
 * Fit the PCA basis on the intact run's states. Long evaluation sets are thinned to every k-th
 * time point (at most `maxRows` samples): the directions barely move, and a fit over all of a
 * multitask set's 7500 samples would cost seconds per evaluation.
 */
export function fitStatePca(rec: ForwardRecord, maxRows = 3000): PcaFit | undefined {
  if (!rec.states || rec.stateDim < 1) return undefined;
  const dim = rec.stateDim;
  const rows = rec.states.length / dim;
  const stride = Math.max(1, Math.ceil(rows / maxRows));
  let data: Float32Array = rec.states;
  if (stride > 1) {
    const kept = Math.ceil(rows / stride);
    data = new Float32Array(kept * dim);
    for (let r = 0, i = 0; r < rows; r += stride, i++) {
      data.set(rec.states.subarray(r * dim, (r + 1) * dim), i * dim);
    }
  }
  try {
    return fitPca(data, dim, { components: PCA_DIMS });
  } catch {
    // A degenerate state (e.g. all trials identical at init) has no principal directions yet.
    return undefined;
  }
}

/** Scores on the first 3 PCs, zero-padded when the state has fewer than 3 dimensions. */
export function project3(fit: PcaFit, states: Float32Array): Float32Array {
  const k = fit.components.length;
  const scores = projectPca(fit, states);
  if (k === PCA_DIMS) return scores;
  const rows = scores.length / Math.max(1, k);
  const out = new Float32Array(rows * PCA_DIMS);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < k; j++) out[r * PCA_DIMS + j] = scores[r * k + j];
  }
  return out;
}

export function pcaView(fit: PcaFit, intact: ForwardRecord, ablated?: ForwardRecord): PcaView {
  return {
    explained: fit.explainedVarianceRatio.slice(0, 10),
    intact: intact.states ? project3(fit, intact.states) : new Float32Array(0),
    ablated: ablated?.states ? project3(fit, ablated.states) : undefined,
  };
}

export function buildEvalView(args: {
  id: number;
  set: EvalSet;
  step: number;
  intact: ForwardRecord;
  intactMetrics: Metrics;
  intactBehaviour: Behaviour;
  ablated?: { record: ForwardRecord; metrics: Metrics; behaviour: Behaviour };
  fit?: PcaFit;
}): EvalView {
  const { set, step, intact, ablated, fit } = args;
  const b = set.batch;
  return {
    id: args.id,
    family: b.family,
    setName: set.name,
    step,
    B: b.B,
    T: b.T,
    U: b.U,
    O: b.O,
    K: intact.K,
    meta: b.meta,
    inputs: b.inputs,
    targets: b.targets,
    outputs: intact.outputs,
    s: intact.s,
    metrics: args.intactMetrics,
    behaviour: args.intactBehaviour,
    ablated: ablated
      ? {
          outputs: ablated.record.outputs,
          s: ablated.record.s,
          metrics: ablated.metrics,
          behaviour: ablated.behaviour,
        }
      : undefined,
    pca: fit ? pcaView(fit, intact, ablated?.record) : undefined,
  };
}
