/**
 * Node 20 runs WebAssembly relaxed SIMD (the lane kernels' fused multiply-add builds,
 * core/kernels/simd/lanes.ts) only behind a V8 flag, which Chromium needs no longer. Set before the
 * first kernel runs, it reaches every isolate of the process, step threads included.
 */
import { setFlagsFromString } from 'node:v8';
import { engineRunsRelaxedSimd } from '../core/kernels/simd/lanes';

export function enableRelaxedSimd(): void {
  if (!engineRunsRelaxedSimd()) setFlagsFromString('--experimental-wasm-relaxed-simd');
}
