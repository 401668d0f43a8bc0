/* eslint-disable -- AssemblyScript, not TypeScript: see the next comment. */
// @ts-nocheck -- AssemblyScript source (f32, v128, load/store builtins), compiled by build.mjs
// into nmrnnWasm.generated.ts; TypeScript's checker does not know these types.
/**
 * The NM-RNN / low-rank RNN scan of cpu/nmrnnScan.ts in WebAssembly SIMD (f32x4). Same math, same
 * tanh approximation (fastTanh.ts), f32 arithmetic. The JavaScript side (nmrnnSimd.ts) owns the
 * memory layout and passes byte offsets:
 *
 * - Vectors over the N units are padded to NP = 4⌈N/4⌉ with zeros in the pad lanes, and the
 *   N×R factors are stored transposed (LtT, VT: R rows of NP), so every O(N) loop runs 4 lanes at a
 *   time and dot products over the pad are exact.
 * - Trajectories and drives ([B, T, N] etc.) are unpadded, as tfjs stores them: full chunks of 4
 *   are moved with v128 loads/stores and the N mod 4 tail one lane at a time.
 * - The small NM subnetwork (M, R ≤ ~20) runs scalar.
 */

export { forward } from './nmrnnForward.as';
export { backward } from './nmrnnBackward.as';
