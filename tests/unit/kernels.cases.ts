/**
 * Model shapes and backend combinations several kernel tests share, so each edge case is written
 * once: the feedback NM-RNN of the Element Finder (1/N scale, no readout bias, no
 * orthonormalisation: every optional block of the packed layouts off or on at once).
 */
import { defaultModelConfig, type ModelConfig } from '../../src/core/models';

export const FEEDBACK_NMRNN: ModelConfig = defaultModelConfig('nmrnn', {
  N: 9,
  R: 4,
  M: 5,
  U: 1,
  Ux: 1,
  tauX: 2,
  tauZ: 10,
  feedback: true,
  recurrentScale: 'invN',
  orthonormalize: false,
  readoutBias: false,
  init: 'eft',
});

/**
 * wasm shares the cpu kernels but reads and writes the WebAssembly heap in place; the kernels run as
 * WebAssembly SIMD or, as a fallback, as TypeScript loops: every combination.
 */
export const BACKEND_SIMD_COMBOS = [
  ['cpu', true],
  ['wasm', true],
  ['cpu', false],
  ['wasm', false],
] as const;
