/* eslint-disable -- AssemblyScript, not TypeScript: see the next comment. */
// @ts-nocheck -- AssemblyScript source (f32, v128 builtins), exported by rnn.as.ts and lstm.as.ts;
// TypeScript's checker does not know these types.
/**
 * Moving [B, T, C] arrays (as tfjs stores them) in and out of the trial-lane layout [T][C][BP]
 * (BP = B rounded up to 4, pad lanes zero) inside the module, four trials × four channels at a
 * time with SIMD transposes. One time step at a time, so the rows read and the block written
 * stay in cache. Byte offsets; both arrays live in the module's memory.
 */

/** Columns of the 4×4 block whose rows are r0…r3, as four vectors. */
function store4x4T(
  p0: usize,
  p1: usize,
  p2: usize,
  p3: usize,
  r0: v128,
  r1: v128,
  r2: v128,
  r3: v128,
): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(p0, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(p1, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(p2, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(p3, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/** [B, T, C] at `src` → [T][C][BP] at `dst`, pad lanes zero. */
export function toLanes(dst: usize, src: usize, B: i32, T: i32, C: i32): void {
  const BP = (B + 3) & ~3;
  const B4 = B & ~3;
  const C4 = C & ~3;
  const trial = (<usize>(T * C)) << 2;
  const lane = (<usize>BP) << 2;
  for (let t = 0; t < T; t++) {
    const block = dst + ((<usize>(t * C * BP)) << 2);
    const row = src + ((<usize>(t * C)) << 2);
    for (let b = 0; b < B4; b += 4) {
      const s0 = row + <usize>b * trial;
      const s1 = s0 + trial;
      const s2 = s1 + trial;
      const s3 = s2 + trial;
      const d = block + ((<usize>b) << 2);
      for (let c = 0; c < C4; c += 4) {
        const o = (<usize>c) << 2;
        const p0 = d + <usize>c * lane;
        store4x4T(p0, p0 + lane, p0 + 2 * lane, p0 + 3 * lane,
          v128.load(s0 + o), v128.load(s1 + o), v128.load(s2 + o), v128.load(s3 + o)); // prettier-ignore
      }
      for (let c = C4; c < C; c++) {
        const o = (<usize>c) << 2;
        const p = d + <usize>c * lane;
        store<f32>(p, load<f32>(s0 + o));
        store<f32>(p + 4, load<f32>(s1 + o));
        store<f32>(p + 8, load<f32>(s2 + o));
        store<f32>(p + 12, load<f32>(s3 + o));
      }
    }
    for (let c = 0; c < C; c++) {
      const p = block + <usize>c * lane;
      for (let b = B4; b < BP; b++) {
        const v: f32 = b < B ? load<f32>(row + <usize>b * trial + ((<usize>c) << 2)) : 0;
        store<f32>(p + ((<usize>b) << 2), v);
      }
    }
  }
}

/** [T][C][BP] at `src` → [B, T, C] at `dst`. */
export function fromLanes(dst: usize, src: usize, B: i32, T: i32, C: i32): void {
  const BP = (B + 3) & ~3;
  const B4 = B & ~3;
  const C4 = C & ~3;
  const trial = (<usize>(T * C)) << 2;
  const lane = (<usize>BP) << 2;
  for (let t = 0; t < T; t++) {
    const block = src + ((<usize>(t * C * BP)) << 2);
    const row = dst + ((<usize>(t * C)) << 2);
    for (let b = 0; b < B4; b += 4) {
      const d0 = row + <usize>b * trial;
      const s = block + ((<usize>b) << 2);
      for (let c = 0; c < C4; c += 4) {
        const p0 = s + <usize>c * lane;
        const o = (<usize>c) << 2;
        store4x4T(d0 + o, d0 + trial + o, d0 + 2 * trial + o, d0 + 3 * trial + o,
          v128.load(p0), v128.load(p0 + lane), v128.load(p0 + 2 * lane), v128.load(p0 + 3 * lane)); // prettier-ignore
      }
      for (let c = C4; c < C; c++) {
        const o = (<usize>c) << 2;
        const p = s + <usize>c * lane;
        store<f32>(d0 + o, load<f32>(p));
        store<f32>(d0 + trial + o, load<f32>(p + 4));
        store<f32>(d0 + 2 * trial + o, load<f32>(p + 8));
        store<f32>(d0 + 3 * trial + o, load<f32>(p + 12));
      }
    }
    for (let b = B4; b < B; b++) {
      for (let c = 0; c < C; c++) {
        const v = load<f32>(block + <usize>c * lane + ((<usize>b) << 2));
        store<f32>(row + <usize>b * trial + ((<usize>c) << 2), v);
      }
    }
  }
}
