/**
 * The host-memory trajectories the cpu/wasm kernels exchange, whichever implementation (TypeScript
 * loops in cpu/, WebAssembly SIMD in simd/) computes them; both directories import these from here.
 */

export interface NmrnnTrajectories {
  /** [B, T, N] */
  x: Float32Array;
  /** [B, T, M] (empty when M = 0) */
  z: Float32Array;
  /** [B, T, R] after ablation (empty when M = 0) */
  s: Float32Array;
}

export interface LstmTrajectories {
  h: Float32Array;
  c: Float32Array;
  gates: Float32Array;
}
