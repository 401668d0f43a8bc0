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

import { tanh1, tanh4 } from './tanh.as';

function sigmoid(x: f32): f32 {
  return <f32>(1.0 / (1.0 + Math.exp(-(<f64>x))));
}

function hsum(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) +
    f32x4.extract_lane(v, 1) +
    f32x4.extract_lane(v, 2) +
    f32x4.extract_lane(v, 3)
  );
}

/** y[i] += a·x[i] over NP floats. */
function axpy(y: usize, a: f32, x: usize, NP: i32): void {
  const av = f32x4.splat(a);
  for (let i = 0; i < NP; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(av, v128.load(x + o))));
  }
}

/** dst (padded) ← φ(src) for N unpadded floats: the identity when `linear`, else tanh. */
function phiRow(dst: usize, src: usize, N: i32, linear: i32): void {
  if (linear != 0) memory.copy(dst, src, (<usize>N) << 2);
  else tanhRow(dst, src, N);
}

/** dst (padded) ← tanh(src) for N unpadded floats; pad lanes of dst stay as they were (zero). */
function tanhRow(dst: usize, src: usize, N: i32): void {
  const NF = N & ~3;
  for (let i = 0; i < NF; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dst + o, tanh4(v128.load(src + o)));
  }
  for (let i = NF; i < N; i++) {
    const o = (<usize>i) << 2;
    store<f32>(dst + o, tanh1(load<f32>(src + o)));
  }
}

function ldf(p: usize, i: i32): f32 {
  return load<f32>(p + ((<usize>i) << 2));
}
function stf(p: usize, i: i32, v: f32): void {
  store<f32>(p + ((<usize>i) << 2), v);
}
/** Four floats from float index i (a multiple of 4 in padded arrays). */
function ldv(p: usize, i: i32): v128 {
  return v128.load(p + ((<usize>i) << 2));
}
function stv(p: usize, i: i32, v: v128): void {
  v128.store(p + ((<usize>i) << 2), v);
}
/** v128 slot k (16 bytes each): per-step coefficients pre-splatted, and the R dot accumulators. */
function lds(p: usize, k: i32): v128 {
  return v128.load(p + ((<usize>k) << 4));
}
function sts(p: usize, k: i32, v: v128): void {
  v128.store(p + ((<usize>k) << 4), v);
}

/**
 * out[r] = scale · (rows[r] · v) for R padded rows of NP floats, four rows per pass with the
 * accumulators in registers (accumulating through memory would chain every update on a
 * store-to-load round trip).
 */
function dots4(out: usize, scale: f32, rows: usize, v: usize, NP: i32, R: i32): void {
  const stride = (<usize>NP) << 2;
  for (let r0 = 0; r0 < R; r0 += 4) {
    const n = R - r0 < 4 ? R - r0 : 4;
    const v0 = rows + <usize>r0 * stride;
    const v1 = v0 + stride;
    const v2 = v1 + stride;
    const v3 = v2 + stride;
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    for (let i = 0; i < NP; i += 4) {
      const p = ldv(v, i);
      a0 = f32x4.add(a0, f32x4.mul(ldv(v0, i), p));
      if (n > 1) a1 = f32x4.add(a1, f32x4.mul(ldv(v1, i), p));
      if (n > 2) a2 = f32x4.add(a2, f32x4.mul(ldv(v2, i), p));
      if (n > 3) a3 = f32x4.add(a3, f32x4.mul(ldv(v3, i), p));
    }
    stf(out, r0, scale * hsum(a0));
    if (n > 1) stf(out, r0 + 1, scale * hsum(a1));
    if (n > 2) stf(out, r0 + 2, scale * hsum(a2));
    if (n > 3) stf(out, r0 + 3, scale * hsum(a3));
  }
}

// Forward scratch (byte offsets from `scratch`): x, phx (NP each); z, phz (MP each); w (RU, padded);
// w splatted (RU v128 slots); Vᵀφ(x) (R, padded); W_z φ(z), W_zx φ(x) (MP each). scratchFloats in
// nmrnnSimd.ts sizes it for this and for backward's layout.

export function forward(
  B: i32,
  T: i32,
  N: i32,
  R: i32,
  M: i32,
  feedback: i32,
  linear: i32,
  ax: f32,
  rs: f32,
  az: f32,
  U: i32,
  Ux: i32,
  O: i32,
  driveX: usize,
  driveZ: usize,
  u: usize,
  LtT: usize,
  VT: usize,
  Wz: usize,
  Az: usize,
  bz: usize,
  WzxP: usize,
  Bz: usize,
  bzx: usize,
  CP: usize,
  d: usize,
  x0: usize,
  z0: usize,
  mul: usize,
  add: usize,
  outX: usize,
  outZ: usize,
  outS: usize,
  outY: usize,
  scratch: usize,
): void {
  const NP = (N + 3) & ~3;
  const MP = (M + 3) & ~3;
  const NF = N & ~3;
  const RU = R + Ux;
  const RUP = (RU + 3) & ~3;
  const RP = (R + 3) & ~3;
  const x = scratch;
  const phx = x + ((<usize>NP) << 2);
  const z = phx + ((<usize>NP) << 2);
  const phz = z + ((<usize>MP) << 2);
  const w = phz + ((<usize>MP) << 2);
  // w pre-splatted (RU v128 slots), then the row dots of the step: Vᵀφ(x), W_z φ(z), W_zx φ(x).
  const ws = w + ((<usize>RUP) << 2);
  const qb = ws + ((<usize>RU) << 4);
  const mb = qb + ((<usize>RP) << 2);
  const fb = mb + ((<usize>MP) << 2);
  const cx: f32 = 1.0 - ax;
  const cz: f32 = 1.0 - az;
  const cxv = f32x4.splat(cx);
  const axv = f32x4.splat(ax);
  // Only the first M lanes of φ(z) are written per step; the pad lanes must read as zero.
  memory.fill(phz, 0, (<usize>MP) << 2);
  for (let b = 0; b < B; b++) {
    memory.copy(x, x0, (<usize>NP) << 2);
    if (M > 0) memory.copy(z, z0, (<usize>M) << 2);
    for (let t = 0; t < T; t++) {
      const bt = b * T + t;
      for (let i = 0; i < NP; i += 4) {
        const o = (<usize>i) << 2;
        const xv = v128.load(x + o);
        v128.store(phx + o, linear != 0 ? xv : tanh4(xv));
      }
      if (M > 0) {
        for (let m = 0; m < M; m++)
          store<f32>(phz + ((<usize>m) << 2), tanh1(load<f32>(z + ((<usize>m) << 2))));
        // W_z rows are padded to MP and φ(z)'s pad lanes are zero: four rows per SIMD pass.
        dots4(mb, 1.0, Wz, phz, MP, M);
        if (feedback) dots4(fb, 1.0, WzxP, phx, NP, M);
        const oz = driveZ + ((<usize>(bt * M)) << 2);
        const ozo = outZ + ((<usize>(bt * M)) << 2);
        const ur = u + ((<usize>(bt * U)) << 2);
        for (let m = 0; m < M; m++) {
          let acc: f32 = driveZ ? load<f32>(oz + ((<usize>m) << 2)) : 0;
          const brow = Bz + ((<usize>(m * U)) << 2);
          for (let j = 0; j < U; j++)
            acc += load<f32>(brow + ((<usize>j) << 2)) * load<f32>(ur + ((<usize>j) << 2));
          if (bzx) acc += load<f32>(bzx + ((<usize>m) << 2));
          acc += load<f32>(mb + ((<usize>m) << 2));
          if (feedback) acc += load<f32>(fb + ((<usize>m) << 2));
          const zm = cz * load<f32>(z + ((<usize>m) << 2)) + az * acc;
          store<f32>(z + ((<usize>m) << 2), zm);
          store<f32>(ozo + ((<usize>m) << 2), zm);
        }
        const os = outS + ((<usize>(bt * R)) << 2);
        for (let k = 0; k < R; k++) {
          let pre = load<f32>(bz + ((<usize>k) << 2));
          const row = Az + ((<usize>(k * M)) << 2);
          for (let m = 0; m < M; m++)
            pre += load<f32>(row + ((<usize>m) << 2)) * load<f32>(z + ((<usize>m) << 2));
          const tk = (<usize>(bt * R + k)) << 2;
          const s = sigmoid(pre) * load<f32>(mul + tk) + load<f32>(add + tk);
          store<f32>(os + ((<usize>k) << 2), s);
          store<f32>(w + ((<usize>k) << 2), s);
        }
      } else {
        for (let k = 0; k < R; k++) store<f32>(w + ((<usize>k) << 2), 1.0);
      }
      dots4(qb, 1.0, VT, phx, NP, R);
      for (let r = 0; r < R; r++) {
        const q = load<f32>(qb + ((<usize>r) << 2));
        store<f32>(w + ((<usize>r) << 2), load<f32>(w + ((<usize>r) << 2)) * q * rs);
      }
      // The input drive B_x u_t rides along as Ux more rank-1 terms: rows R.. of LtT hold B_xᵀ.
      const ux = u + ((<usize>(bt * U)) << 2);
      for (let j = 0; j < Ux; j++)
        store<f32>(w + ((<usize>(R + j)) << 2), ax * load<f32>(ux + ((<usize>j) << 2)));
      for (let r = 0; r < RU; r++) sts(ws, r, f32x4.splat(load<f32>(w + ((<usize>r) << 2))));
      const dx = driveX + ((<usize>(bt * N)) << 2);
      const ox = outX + ((<usize>(bt * N)) << 2);
      for (let i = 0; i < NF; i += 4) {
        const o = (<usize>i) << 2;
        let acc = f32x4.mul(cxv, v128.load(x + o));
        if (driveX) acc = f32x4.add(acc, f32x4.mul(axv, v128.load(dx + o)));
        for (let r = 0; r < RU; r++) {
          acc = f32x4.add(
            acc,
            f32x4.mul(v128.load(LtT + ((<usize>(r * NP + i)) << 2)), lds(ws, r)),
          );
        }
        v128.store(x + o, acc);
        v128.store(ox + o, acc);
      }
      for (let i = NF; i < N; i++) {
        const o = (<usize>i) << 2;
        let acc = cx * load<f32>(x + o);
        if (driveX) acc += ax * load<f32>(dx + o);
        for (let r = 0; r < RU; r++)
          acc += load<f32>(LtT + ((<usize>(r * NP + i)) << 2)) * load<f32>(w + ((<usize>r) << 2));
        store<f32>(x + o, acc);
        store<f32>(ox + o, acc);
      }
      // y_t = C x_t (+ d); x's pad lanes are zero, as are C's.
      const oy = outY + ((<usize>(bt * O)) << 2);
      dots4(oy, 1.0, CP, x, NP, O);
      if (d) for (let k = 0; k < O; k++) stf(oy, k, ldf(oy, k) + ldf(d, k));
    }
  }
}

/**
 * BPTT. Gradient accumulators (gLtT (R + Ux rows: L̃ᵀ then B_xᵀ), gVT, gWzxP, gCP padded and
 * transposed like the parameters; gWz (rows padded to MP), gAz, gbz, gBz, gbzx, gd, gx0 (NP), gz0) must be zeroed by
 * the caller; gDriveX/gDriveZ (0 when the drives came as factors) are written in full.
 *
 * Three passes over N per step, each carrying all R rank components (and the Ux input and O
 * readout rows) at once: (A) φ(x_{t−1}) and q = Vᵀφ; (B) gx from dL/dx, dL/dy and the carried
 * gradient, with dL̃, dB_x, dC and L̃ᵀgx; (C) dV, the feedback terms and the carried gradient.
 */
export function backward(
  B: i32,
  T: i32,
  N: i32,
  R: i32,
  M: i32,
  feedback: i32,
  linear: i32,
  ax: f32,
  rs: f32,
  az: f32,
  U: i32,
  Ux: i32,
  O: i32,
  LtT: usize,
  VT: usize,
  Wz: usize,
  Az: usize,
  bz: usize,
  WzxP: usize,
  CP: usize,
  x0: usize,
  z0: usize,
  mul: usize,
  u: usize,
  X: usize,
  Z: usize,
  S: usize,
  dX: usize,
  dZ: usize,
  dS: usize,
  dY: usize,
  gDriveX: usize,
  gDriveZ: usize,
  gLtT: usize,
  gVT: usize,
  gWz: usize,
  gAz: usize,
  gbz: usize,
  gWzxP: usize,
  gBz: usize,
  gbzx: usize,
  gCP: usize,
  gd: usize,
  gx0: usize,
  gz0: usize,
  scratch: usize,
): void {
  const NP = (N + 3) & ~3;
  const MP = (M + 3) & ~3;
  const RU = R + Ux;
  const RUP = (RU + 3) & ~3;
  const phx = scratch;
  const gx = phx + ((<usize>NP) << 2);
  const gxc = gx + ((<usize>NP) << 2);
  const xc = gxc + ((<usize>NP) << 2);
  const phz = xc + ((<usize>(2 * NP)) << 2);
  const gz = phz + ((<usize>MP) << 2);
  const gzc = gz + ((<usize>MP) << 2);
  const rz = gzc + ((<usize>MP) << 2);
  const q = rz + ((<usize>MP) << 2);
  const s = q + ((<usize>RUP) << 2);
  const dq = s + ((<usize>RUP) << 2);
  const dpre = dq + ((<usize>RUP) << 2);
  const cy = dpre + ((<usize>RUP) << 2);
  const cl = cy + ((<usize>O) << 4);
  const cd = cl + ((<usize>RU) << 4);
  const cm = cd + ((<usize>R) << 4);
  const cx: f32 = 1.0 - ax;
  const cz: f32 = 1.0 - az;
  const cxv = f32x4.splat(cx);
  const one = f32x4.splat(1.0);
  memory.fill(phz, 0, (<usize>MP) << 2);
  const zero = f32x4.splat(0);
  // Pad lanes of the padded scratch vectors must be zero (the passes run over NP) and stay zero:
  // every row copied in writes N lanes only, and every parameter's pad lanes are zero.
  memory.fill(scratch, 0, (<usize>(5 * NP + 4 * MP + 4 * RUP)) << 2);
  for (let b = 0; b < B; b++) {
    memory.fill(gxc, 0, (<usize>NP) << 2);
    if (M > 0) memory.fill(gzc, 0, (<usize>MP) << 2);
    for (let t = T - 1; t >= 0; t--) {
      const bt = b * T + t;
      // (A) φ of the state step t read, and q = Vᵀφ.
      if (t > 0) phiRow(phx, X + ((<usize>((bt - 1) * N)) << 2), N, linear);
      else phiRow(phx, x0, N, linear);
      dots4(q, 1.0, VT, phx, NP, R);
      for (let r = 0; r < R; r++) stf(s, r, M > 0 ? ldf(S, bt * R + r) : 1.0);

      // (B) x_t = cx x_{t−1} + rs L̃ (s ⊙ q) + B_x u_t (or + ax driveX_t); y_t = C x_t + d.
      for (let k = 0; k < O; k++) {
        const dy = ldf(dY, bt * O + k);
        sts(cy, k, f32x4.splat(dy));
        if (gd) stf(gd, k, ldf(gd, k) + dy);
      }
      for (let r = 0; r < R; r++) sts(cl, r, f32x4.splat(rs * ldf(s, r) * ldf(q, r)));
      for (let j = 0; j < Ux; j++) sts(cl, R + j, f32x4.splat(ax * ldf(u, bt * U + j)));
      // The first four ranks' L̃ᵀgx accumulate in registers here (any further ones after).
      const R4 = R < 4 ? R : 4;
      const l1 = LtT + ((<usize>NP) << 2);
      const l2 = l1 + ((<usize>NP) << 2);
      const l3 = l2 + ((<usize>NP) << 2);
      let a0 = zero;
      let a1 = zero;
      let a2 = zero;
      let a3 = zero;
      memory.copy(gx, dX + ((<usize>(bt * N)) << 2), (<usize>N) << 2);
      if (O > 0) memory.copy(xc, X + ((<usize>(bt * N)) << 2), (<usize>N) << 2);
      for (let i = 0; i < NP; i += 4) {
        let g = f32x4.add(ldv(gx, i), ldv(gxc, i));
        if (O > 0) {
          const xv = ldv(xc, i);
          for (let k = 0; k < O; k++) {
            const c = lds(cy, k);
            const ko = k * NP + i;
            g = f32x4.add(g, f32x4.mul(c, ldv(CP, ko)));
            stv(gCP, ko, f32x4.add(ldv(gCP, ko), f32x4.mul(c, xv)));
          }
        }
        stv(gx, i, g);
        a0 = f32x4.add(a0, f32x4.mul(ldv(LtT, i), g));
        if (R4 > 1) a1 = f32x4.add(a1, f32x4.mul(ldv(l1, i), g));
        if (R4 > 2) a2 = f32x4.add(a2, f32x4.mul(ldv(l2, i), g));
        if (R4 > 3) a3 = f32x4.add(a3, f32x4.mul(ldv(l3, i), g));
        for (let r = 0; r < RU; r++) {
          const ro = r * NP + i;
          stv(gLtT, ro, f32x4.add(ldv(gLtT, ro), f32x4.mul(lds(cl, r), g)));
        }
      }
      if (gDriveX) for (let i = 0; i < N; i++) stf(gDriveX, bt * N + i, ax * ldf(gx, i));
      // dw = rs L̃ᵀ gx; ds = dw ⊙ q; the V side gets dw ⊙ s.
      stf(dq, 0, rs * hsum(a0));
      if (R4 > 1) stf(dq, 1, rs * hsum(a1));
      if (R4 > 2) stf(dq, 2, rs * hsum(a2));
      if (R4 > 3) stf(dq, 3, rs * hsum(a3));
      if (R > 4) dots4(dq + 16, rs, LtT + ((<usize>(4 * NP)) << 2), gx, NP, R - 4);
      if (M > 0) {
        const zr = Z + ((<usize>(bt * M)) << 2);
        for (let k = 0; k < R; k++) {
          const ds = ldf(dS, bt * R + k) + ldf(dq, k) * ldf(q, k);
          let pre = ldf(bz, k);
          const row = Az + ((<usize>(k * M)) << 2);
          for (let m = 0; m < M; m++) pre += ldf(row, m) * ldf(zr, m);
          const sg = sigmoid(pre);
          stf(dpre, k, ds * ldf(mul, bt * R + k) * sg * (1.0 - sg));
        }
      }
      for (let r = 0; r < R; r++) sts(cd, r, f32x4.splat(ldf(dq, r) * ldf(s, r)));

      if (M > 0) {
        const oz = bt * M;
        const zr = Z + ((<usize>oz) << 2);
        for (let m = 0; m < M; m++) stf(gz, m, ldf(dZ, oz + m) + ldf(gzc, m));
        // s_t = σ(A_z z_t + b_z)·mul + add
        for (let k = 0; k < R; k++) {
          const d = ldf(dpre, k);
          stf(gbz, k, ldf(gbz, k) + d);
          const row = Az + ((<usize>(k * M)) << 2);
          const grow = gAz + ((<usize>(k * M)) << 2);
          for (let m = 0; m < M; m++) {
            stf(grow, m, ldf(grow, m) + d * ldf(zr, m));
            stf(gz, m, ldf(gz, m) + ldf(row, m) * d);
          }
        }
        // z_t = cz z_{t−1} + az (W_z φ(z_{t−1}) + W_zx φ(x_{t−1}) + B_z u_t + b_zx)
        if (t > 0) for (let m = 0; m < M; m++) stf(phz, m, tanh1(ldf(Z, oz - M + m)));
        else for (let m = 0; m < M; m++) stf(phz, m, tanh1(ldf(z0, m)));
        const ur = u + ((<usize>(bt * U)) << 2);
        for (let m = 0; m < M; m++) {
          const r = az * ldf(gz, m);
          stf(rz, m, r);
          if (gDriveZ) stf(gDriveZ, oz + m, r);
          const grow = gBz + ((<usize>(m * U)) << 2);
          for (let j = 0; j < U; j++) stf(grow, j, ldf(grow, j) + r * ldf(ur, j));
          if (gbzx) stf(gbzx, m, ldf(gbzx, m) + r);
          if (feedback) sts(cm, m, f32x4.splat(r));
        }
        memory.fill(gzc, 0, (<usize>MP) << 2);
        for (let m = 0; m < M; m++) {
          const r = f32x4.splat(ldf(rz, m));
          const row = Wz + ((<usize>(m * MP)) << 2);
          const grow = gWz + ((<usize>(m * MP)) << 2);
          for (let j = 0; j < MP; j += 4) {
            stv(grow, j, f32x4.add(ldv(grow, j), f32x4.mul(r, ldv(phz, j))));
            stv(gzc, j, f32x4.add(ldv(gzc, j), f32x4.mul(ldv(row, j), r)));
          }
        }
        for (let j = 0; j < M; j++) {
          const p = ldf(phz, j);
          stf(gzc, j, cz * ldf(gz, j) + ldf(gzc, j) * (1.0 - p * p));
        }
      }

      // (C) dV, feedback, and the gradient carried to x_{t−1}.
      const fb = feedback != 0 && M > 0;
      for (let i = 0; i < NP; i += 4) {
        const p = ldv(phx, i);
        let dp = zero;
        for (let r = 0; r < R; r++) {
          const c = lds(cd, r);
          const ro = r * NP + i;
          dp = f32x4.add(dp, f32x4.mul(c, ldv(VT, ro)));
          stv(gVT, ro, f32x4.add(ldv(gVT, ro), f32x4.mul(c, p)));
        }
        if (fb) {
          for (let m = 0; m < M; m++) {
            const c = lds(cm, m);
            const mo = m * NP + i;
            dp = f32x4.add(dp, f32x4.mul(c, ldv(WzxP, mo)));
            stv(gWzxP, mo, f32x4.add(ldv(gWzxP, mo), f32x4.mul(c, p)));
          }
        }
        stv(
          gxc,
          i,
          f32x4.add(
            f32x4.mul(cxv, ldv(gx, i)),
            linear != 0 ? dp : f32x4.mul(dp, f32x4.sub(one, f32x4.mul(p, p))),
          ),
        );
      }
    }
    axpy(gx0, 1.0, gxc, NP);
    for (let m = 0; m < M; m++) stf(gz0, m, ldf(gz0, m) + ldf(gzc, m));
  }
}
