/**
 * The floor a training step is measured against: how many multiply-adds per second one core does
 * in WebAssembly SIMD when nothing but independent multiply-adds is asked of it (peak.as.ts). A
 * step's rate (arithmetic.ts) over this peak is the share of the core's arithmetic the step uses;
 * its inverse is the distance to the floor (docs/PERFORMANCE.md).
 */
import { PEAK_RELAXED_WASM_BASE64, PEAK_WASM_BASE64 } from '../kernels/simd/peakWasm.generated';
import { instantiateWasm, relaxedSimdInUse } from '../kernels/simd/lanes';

interface PeakWasm {
  peakMultiplyAdds: (rounds: number) => number;
}

/** Chains × lanes of one round of peak.as.ts. */
const PER_ROUND = 12 * 4;
const ROUNDS_PER_CALL = 200_000;
/**
 * Calls per timed block: ≈ 10 ms, long beside a browser's coarsened clock (Chromium's
 * performance.now() moves in 0.1 ms steps, with jitter: a single 0.3 ms call timed alone read as
 * 48 G/s against 30 in Node).
 */
const CALLS_PER_BLOCK = 32;

export interface Peak {
  /** Billions of f32 multiply-adds per second, one core. */
  gigaPerSecond: number;
  /** Whether the fused (relaxed-SIMD) build ran, as the lane kernels do where it is available. */
  relaxed: boolean;
}

/**
 * Times the peak loop for about `ms` after a warm-up long enough for the engine's optimising tier
 * (stepBench.ts WARMUP_MS explains the tiers); the best of the timed blocks, since the floor is what
 * the core can do, not what it did while interrupted. Null where WebAssembly SIMD is unavailable.
 */
export function measurePeak(ms = 300, relaxed = relaxedSimdInUse()): Peak | null {
  const fused = relaxed ? instantiateWasm<PeakWasm>(PEAK_RELAXED_WASM_BASE64) : null;
  const mod = fused ?? instantiateWasm<PeakWasm>(PEAK_WASM_BASE64);
  if (!mod) return null;
  let sink = 0;
  const warmEnd = performance.now() + 300;
  while (performance.now() < warmEnd) sink += mod.peakMultiplyAdds(ROUNDS_PER_CALL);
  let best = Infinity;
  const end = performance.now() + ms;
  do {
    const t0 = performance.now();
    for (let i = 0; i < CALLS_PER_BLOCK; i++) sink += mod.peakMultiplyAdds(ROUNDS_PER_CALL);
    best = Math.min(best, performance.now() - t0);
  } while (performance.now() < end);
  if (!Number.isFinite(sink)) throw new Error('peak loop diverged');
  const perBlock = CALLS_PER_BLOCK * ROUNDS_PER_CALL * PER_ROUND;
  return { gigaPerSecond: perBlock / (best * 1e6), relaxed: fused !== null };
}
