/**
 * What one fused training step (or one part of it) is, in plain values: these cross to helper
 * threads (stepPool.ts), the job as JSON and the arrays through shared memory.
 */
import type { NmrnnScanUAttrs } from '../attrs';

export interface RnnStepAttrs {
  B: number;
  T: number;
  N: number;
  U: number;
  O: number;
  tau: number;
  scale: number;
  biasY: boolean;
}

export interface LstmStepAttrs {
  B: number;
  T: number;
  N: number;
  U: number;
  O: number;
}

/**
 * What a step computes, in plain numbers and booleans (it crosses to helper threads as JSON).
 * `relaxed`: the lane kernels' relaxed-SIMD (fused multiply-add) build, the caller's choice, which
 * helpers keep where their engine runs it (simd/lanes.ts relaxedSimdInUse).
 */
export type StepJob = (
  | {
      kind: 'nmrnn';
      attrs: NmrnnScanUAttrs;
      /** WebAssembly SIMD, and within it the trials-in-lanes kernel: the caller's choice, kept by helpers. */
      simd: boolean;
      lanes: boolean;
      /**
       * Parameters (docs/SCIENCE.md names) whose gradients the caller keeps; the lane kernel skips
       * the weight sums of the others (frozen groups). Absent: all.
       */
      wants?: string[];
    }
  | { kind: 'rnn'; attrs: RnnStepAttrs }
  | { kind: 'lstm'; attrs: LstmStepAttrs }
) & { relaxed: boolean };

/** A batch, or a range of its trials: inputs [B, T, U], targets [B, T, O], mask [B, T]. */
export interface StepBatch {
  B: number;
  u: Float32Array;
  targets: Float32Array;
  mask: Float32Array;
}
