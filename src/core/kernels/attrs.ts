/**
 * Attributes of the fused scan kernels: everything about a call that is not a tensor. tfjs passes
 * these to kernels and gradients as a plain object, so they must be plain numbers and booleans.
 */
import type { NmrnnDims } from './layout';

export interface ScanShape {
  /** Trials in the batch. */
  B: number;
  /** Time steps. */
  T: number;
}

export interface NmrnnScanAttrs extends NmrnnDims, ScanShape {
  tauX: number;
  /** Ignored when M = 0. */
  tauZ: number;
  /** Factor on the low-rank recurrent term: 1, or 1/N for the authors' EFT / LR-RNN variant. */
  scale: number;
  /** φ of x is the identity (the rank-1 theory's linear network; cpu/wasm kernels only). */
  linear?: boolean;
}

export interface RnnScanAttrs extends ScanShape {
  N: number;
  tau: number;
  /** Factor on W φ(x): 1/N in docs/SCIENCE.md §1.4. */
  scale: number;
}

export interface LstmScanAttrs extends ScanShape {
  N: number;
}

/**
 * The factored NM-RNN / low-rank RNN scan (NMRNN_SCAN_U): the kernel forms the drives from the
 * inputs u [B, T, U] and reads out y = C x (+ d), so neither [B, T, N] drives nor the readout's
 * matMuls run in tfjs. x reads the first Ux input channels, z all U (docs/SCIENCE.md §1.2).
 */
export interface NmrnnScanUAttrs extends NmrnnScanAttrs {
  U: number;
  Ux: number;
  /** Readout size. */
  O: number;
  /** z's drive has a bias b_zx (the feedback variant). */
  biasZ: boolean;
  /** The readout has a bias d. */
  biasY: boolean;
}

/**
 * The fused NM-RNN / low-rank RNN training step (NMRNN_LOSS_GRAD): the factored scan's attributes,
 * and what the kernel does around the scan: L̃ from L, the masked MSE, and the per-parameter split
 * of the gradient.
 */
export interface NmrnnLossGradAttrs extends NmrnnScanUAttrs {
  /** L̃ is the Gram–Schmidt of the input L (else L enters the recurrence as it is). */
  orthonormalize: boolean;
  /** V ≡ L̃ (no V input): V's gradient adds to L̃'s. */
  symmetric: boolean;
  /** Parameters (by docs/SCIENCE.md name) whose gradients follow the loss, in this order. */
  outputs: string[];
}

/** The fused vanilla-RNN training step (RNN_LOSS_GRAD); `scale` as in RnnScanAttrs. */
export interface RnnLossGradAttrs extends RnnScanAttrs {
  U: number;
  O: number;
  /** Parameters whose gradients follow the loss, in this order. */
  outputs: string[];
}

/** The fused LSTM training step (LSTM_LOSS_GRAD). */
export interface LstmLossGradAttrs extends LstmScanAttrs {
  U: number;
  O: number;
  /** Parameters whose gradients follow the loss, in this order. */
  outputs: string[];
}
