/**
 * The arithmetic of one training step, to say how far a measured step is from the floor
 * (docs/PERFORMANCE.md, "How to measure": the floor): the multiply-adds of the step's matrix–vector
 * products, forward and backward. Nonlinearities, the loss and the optimiser are not counted: they
 * are O(parameters) or O(N) per time step, small beside the products at these sizes.
 */
import type { ModelConfig } from '../models/types';

/**
 * Multiply-adds of the forward pass for one trial and one time step: every product of a weight
 * matrix with a state or input vector (docs/SCIENCE.md §1: the NM-RNN's z update W_z φ(z) + B_z u,
 * its readout to s, the low-rank x update through Vᵀ then U, the input B_x u and the readout C x).
 */
export function forwardMultiplyAdds(c: ModelConfig): number {
  const { N, R, M, U, Ux, O } = c;
  switch (c.kind) {
    case 'nmrnn':
      return M * M + M * U + R * M + 2 * N * R + N * Ux + O * N + (c.feedback ? M * N : 0);
    case 'lrrnn':
      return 2 * N * R + N * U + O * N;
    case 'rnn':
      return N * N + N * U + O * N;
    case 'lstm':
      // Four gates, each from the input and the hidden state; per unit the cell's f·c and i·g and
      // the output's o·tanh(c).
      return 4 * (N * N + N * U) + 3 * N + O * N;
  }
}

/**
 * Multiply-adds of one full training step over B trials of T steps. The backward pass of each
 * product y = W v costs two of its forward's: Wᵀ dy for the carried gradient and dy vᵀ for W's.
 */
export function stepMultiplyAdds(c: ModelConfig, B: number, T: number): number {
  return 3 * forwardMultiplyAdds(c) * B * T;
}

/** Billions of multiply-adds per second at `msPerStep`. */
export function gigaMultiplyAddsPerSecond(multiplyAdds: number, msPerStep: number): number {
  return multiplyAdds / (msPerStep * 1e6);
}

/** A rate's share of the peak of the `threads` cores it ran on, in whole percent. */
export function percentOfPeak(gigaPerSecond: number, peakPerCore: number, threads = 1): number {
  return Math.round((100 * gigaPerSecond) / (peakPerCore * threads));
}
