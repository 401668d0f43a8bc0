/* eslint-disable -- AssemblyScript, not TypeScript: see the next comment. */
// @ts-nocheck -- AssemblyScript source (f32, v128, load/store builtins), compiled through nmrnn.as.ts
// by build.mjs; TypeScript's checker does not know these types.
/** The NM-RNN / low-rank RNN forward scan in WebAssembly SIMD (layout: nmrnn.as.ts). */

import { tanh1, tanh4 } from './tanh.as';
import { dots4, ldf, lds, madd, sigmoid, stf, sts } from './simdHelpers.as';

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
