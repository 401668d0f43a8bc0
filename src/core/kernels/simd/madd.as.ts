/* eslint-disable -- AssemblyScript, not TypeScript: see the next comment. */
// @ts-nocheck -- AssemblyScript source (v128 builtins), imported by the *.as.ts kernels.
/**
 * c + a·b over four f32 lanes: one fused multiply-add where the build enables relaxed SIMD (the
 * engine may fuse it, rounding once), else a multiply and an add (rounding twice).
 */
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** c − a·b over four f32 lanes, fused like madd where the build enables relaxed SIMD. */
export function nmadd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_nmadd(a, b, c);
  return f32x4.sub(c, f32x4.mul(a, b));
}
