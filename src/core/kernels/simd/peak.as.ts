/* eslint-disable -- AssemblyScript, not TypeScript: see the next comment. */
// @ts-nocheck -- AssemblyScript source (v128 builtins), compiled by build.mjs into
// peakWasm.generated.ts; TypeScript's checker does not know these types.
/**
 * This core's multiply-add throughput in WebAssembly SIMD, the floor the kernels are measured
 * against (bench/peak.ts): twelve independent f32x4 multiply-add chains, enough to cover the
 * latency of the engine's multiply-add on two pipes, and few enough (with the two constants) to
 * stay in the sixteen vector registers of x86-64. Each chain a ← a·m + c converges to c/(1 − m),
 * so no value overflows or goes subnormal however long it runs.
 */

import { madd } from './madd.as';

/** n rounds of 12 four-lane multiply-adds; returns their sum so the work cannot be dropped. */
// The chains are written out one by one: an array of v128 would live in memory, and the loop
// would time loads and stores instead of multiply-adds.
export function peakMultiplyAdds(n: i32): f32 {
  const m = f32x4.splat(0.999);
  const c = f32x4.splat(0.001);
  let a0 = f32x4.splat(0.1);
  let a1 = f32x4.splat(0.2);
  let a2 = f32x4.splat(0.3);
  let a3 = f32x4.splat(0.4);
  let a4 = f32x4.splat(0.5);
  let a5 = f32x4.splat(0.6);
  let a6 = f32x4.splat(0.7);
  let a7 = f32x4.splat(0.8);
  let a8 = f32x4.splat(0.9);
  let a9 = f32x4.splat(1.0);
  let a10 = f32x4.splat(1.1);
  let a11 = f32x4.splat(1.2);
  for (let i = 0; i < n; i++) {
    a0 = madd(a0, m, c);
    a1 = madd(a1, m, c);
    a2 = madd(a2, m, c);
    a3 = madd(a3, m, c);
    a4 = madd(a4, m, c);
    a5 = madd(a5, m, c);
    a6 = madd(a6, m, c);
    a7 = madd(a7, m, c);
    a8 = madd(a8, m, c);
    a9 = madd(a9, m, c);
    a10 = madd(a10, m, c);
    a11 = madd(a11, m, c);
  }
  let sum: f32 = 0;
  sum += f32x4.extract_lane(a0, 0);
  sum += f32x4.extract_lane(a1, 0);
  sum += f32x4.extract_lane(a2, 0);
  sum += f32x4.extract_lane(a3, 0);
  sum += f32x4.extract_lane(a4, 0);
  sum += f32x4.extract_lane(a5, 0);
  sum += f32x4.extract_lane(a6, 0);
  sum += f32x4.extract_lane(a7, 0);
  sum += f32x4.extract_lane(a8, 0);
  sum += f32x4.extract_lane(a9, 0);
  sum += f32x4.extract_lane(a10, 0);
  sum += f32x4.extract_lane(a11, 0);
  return sum;
}
