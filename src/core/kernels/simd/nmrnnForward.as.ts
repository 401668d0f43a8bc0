/* eslint-disable -- AssemblyScript, not TypeScript: see the next comment. */
// @ts-nocheck -- AssemblyScript source (f32, v128, load/store builtins), compiled through nmrnn.as.ts
// by build.mjs; TypeScript's checker does not know these types.
/** The NM-RNN / low-rank RNN forward scan in WebAssembly SIMD (layout: nmrnn.as.ts). */

import { tanh4 } from './tanh.as';
import { dots4, ldf, lds, ldv, madd, sigmoid, stf, sts, stv } from './simdHelpers.as';

// Forward scratch (byte offsets from `scratch`): x, phx (NP each); z, phz (MP each); w (RU, padded);
// w splatted (RU v128 slots); Vᵀφ(x) (R, padded); then the NM subnetwork's padded copies, so it
// runs four units at a time: W_zx φ(x), the drive (MP each), s's pre-activation (R, padded),
// B_zᵀ (U rows of MP), W_zᵀ (M rows of MP), A_z (R rows of MP), b_zx (MP). Pad lanes are zero
// and stay zero. scratchFloats in nmrnnSimd.ts sizes it for this and for backward's layout.

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
  const fb = qb + ((<usize>RP) << 2);
  const za = fb + ((<usize>MP) << 2);
  const pre = za + ((<usize>MP) << 2);
  const BzT = pre + ((<usize>RP) << 2);
  const WzT = BzT + ((<usize>(U * MP)) << 2);
  const AzP = WzT + ((<usize>(M * MP)) << 2);
  const bzxP = AzP + ((<usize>(R * MP)) << 2);
  const cx: f32 = 1.0 - ax;
  const cz: f32 = 1.0 - az;
  const cxv = f32x4.splat(cx);
  const axv = f32x4.splat(ax);
  const czv = f32x4.splat(cz);
  const azv = f32x4.splat(az);
  if (M > 0) {
    memory.fill(z, 0, (<usize>(2 * MP)) << 2);
    memory.fill(fb, 0, (<usize>(2 * MP + RP + (U + M + R + 1) * MP)) << 2);
    for (let m = 0; m < M; m++) {
      for (let j = 0; j < U; j++) stf(BzT, j * MP + m, ldf(Bz, m * U + j));
      // W_z rows are padded to MP in the layout.
      for (let j = 0; j < M; j++) stf(WzT, j * MP + m, ldf(Wz, m * MP + j));
      if (bzx) stf(bzxP, m, ldf(bzx, m));
    }
    for (let k = 0; k < R; k++)
      for (let m = 0; m < M; m++) stf(AzP, k * MP + m, ldf(Az, k * M + m));
  }
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
        for (let j = 0; j < MP; j += 4) stv(phz, j, tanh4(ldv(z, j)));
        if (feedback) dots4(fb, 1.0, WzxP, phx, NP, M);
        // drive = [driveZ] + B_z u + b_zx + W_z φ(z) (+ W_zx φ(x)), four units at a time.
        if (driveZ) memory.copy(za, driveZ + ((<usize>(bt * M)) << 2), (<usize>M) << 2);
        const ur = bt * U;
        for (let m = 0; m < MP; m += 4) {
          let acc = driveZ ? ldv(za, m) : f32x4.splat(0);
          for (let j = 0; j < U; j++)
            acc = madd(ldv(BzT, j * MP + m), f32x4.splat(ldf(u, ur + j)), acc);
          if (bzx) acc = f32x4.add(acc, ldv(bzxP, m));
          for (let j = 0; j < M; j++)
            acc = madd(ldv(WzT, j * MP + m), f32x4.splat(ldf(phz, j)), acc);
          if (feedback) acc = f32x4.add(acc, ldv(fb, m));
          stv(z, m, madd(czv, ldv(z, m), f32x4.mul(azv, acc)));
        }
        memory.copy(outZ + ((<usize>(bt * M)) << 2), z, (<usize>M) << 2);
        dots4(pre, 1.0, AzP, z, MP, R);
        const os = outS + ((<usize>(bt * R)) << 2);
        for (let k = 0; k < R; k++) {
          const tk = (<usize>(bt * R + k)) << 2;
          const s = sigmoid(ldf(bz, k) + ldf(pre, k)) * load<f32>(mul + tk) + load<f32>(add + tk);
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
        if (driveX) acc = madd(axv, v128.load(dx + o), acc);
        for (let r = 0; r < RU; r++) {
          acc = madd(v128.load(LtT + ((<usize>(r * NP + i)) << 2)), lds(ws, r), acc);
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
