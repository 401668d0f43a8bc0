/* eslint-disable -- AssemblyScript, not TypeScript: see the next comment. */
// @ts-nocheck -- AssemblyScript source (f32, v128, load/store builtins), compiled through nmrnn.as.ts
// by build.mjs; TypeScript's checker does not know these types.
/** BPTT of the NM-RNN / low-rank RNN scan in WebAssembly SIMD (layout: nmrnn.as.ts). */

import { tanh4 } from './tanh.as';
import {
  axpy,
  dots4,
  hsum,
  ldf,
  lds,
  ldv,
  madd,
  phiRow,
  sigmoid,
  stf,
  sts,
  stv,
} from './simdHelpers.as';

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
  // The NM subnetwork, four units at a time: z_t and s's pre-activation, A_z padded, and the
  // gradients of A_z, B_z (transposed: U rows of MP) and b_zx accumulated padded, added at the end.
  const RP = (R + 3) & ~3;
  const zrP = cm + ((<usize>M) << 4);
  const preb = zrP + ((<usize>MP) << 2);
  const AzP = preb + ((<usize>RP) << 2);
  const gAzP = AzP + ((<usize>(R * MP)) << 2);
  const gBzT = gAzP + ((<usize>(R * MP)) << 2);
  const gbzxP = gBzT + ((<usize>(U * MP)) << 2);
  const cx: f32 = 1.0 - ax;
  const cz: f32 = 1.0 - az;
  const cxv = f32x4.splat(cx);
  const one = f32x4.splat(1.0);
  memory.fill(phz, 0, (<usize>MP) << 2);
  const zero = f32x4.splat(0);
  // Pad lanes of the padded scratch vectors must be zero (the passes run over NP) and stay zero:
  // every row copied in writes N lanes only, and every parameter's pad lanes are zero.
  memory.fill(scratch, 0, (<usize>(5 * NP + 4 * MP + 4 * RUP)) << 2);
  if (M > 0) {
    memory.fill(zrP, 0, (<usize>(2 * MP + RP + (2 * R + U) * MP)) << 2);
    for (let k = 0; k < R; k++)
      for (let m = 0; m < M; m++) stf(AzP, k * MP + m, ldf(Az, k * M + m));
  }
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
            g = madd(c, ldv(CP, ko), g);
            stv(gCP, ko, madd(c, xv, ldv(gCP, ko)));
          }
        }
        stv(gx, i, g);
        a0 = madd(ldv(LtT, i), g, a0);
        if (R4 > 1) a1 = madd(ldv(l1, i), g, a1);
        if (R4 > 2) a2 = madd(ldv(l2, i), g, a2);
        if (R4 > 3) a3 = madd(ldv(l3, i), g, a3);
        for (let r = 0; r < RU; r++) {
          const ro = r * NP + i;
          stv(gLtT, ro, madd(lds(cl, r), g, ldv(gLtT, ro)));
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
        memory.copy(zrP, Z + ((<usize>(bt * M)) << 2), (<usize>M) << 2);
        dots4(preb, 1.0, AzP, zrP, MP, R);
        for (let k = 0; k < R; k++) {
          const ds = ldf(dS, bt * R + k) + ldf(dq, k) * ldf(q, k);
          const sg = sigmoid(ldf(bz, k) + ldf(preb, k));
          stf(dpre, k, ds * ldf(mul, bt * R + k) * sg * (1.0 - sg));
        }
      }
      for (let r = 0; r < R; r++) sts(cd, r, f32x4.splat(ldf(dq, r) * ldf(s, r)));

      if (M > 0) {
        const oz = bt * M;
        memory.copy(gz, dZ + ((<usize>oz) << 2), (<usize>M) << 2);
        for (let m = 0; m < MP; m += 4) stv(gz, m, f32x4.add(ldv(gz, m), ldv(gzc, m)));
        // s_t = σ(A_z z_t + b_z)·mul + add
        for (let k = 0; k < R; k++) {
          const d = ldf(dpre, k);
          stf(gbz, k, ldf(gbz, k) + d);
          const dv = f32x4.splat(d);
          for (let m = 0; m < MP; m += 4) {
            const km = k * MP + m;
            stv(gAzP, km, madd(dv, ldv(zrP, m), ldv(gAzP, km)));
            stv(gz, m, madd(ldv(AzP, km), dv, ldv(gz, m)));
          }
        }
        // z_t = cz z_{t−1} + az (W_z φ(z_{t−1}) + W_zx φ(x_{t−1}) + B_z u_t + b_zx)
        memory.copy(phz, t > 0 ? Z + ((<usize>(oz - M)) << 2) : z0, (<usize>M) << 2);
        const azv = f32x4.splat(az);
        for (let m = 0; m < MP; m += 4) {
          stv(phz, m, tanh4(ldv(phz, m)));
          stv(rz, m, f32x4.mul(azv, ldv(gz, m)));
        }
        if (gDriveZ) memory.copy(gDriveZ + ((<usize>oz) << 2), rz, (<usize>M) << 2);
        for (let j = 0; j < U; j++) {
          const uj = f32x4.splat(ldf(u, bt * U + j));
          for (let m = 0; m < MP; m += 4) {
            const jm = j * MP + m;
            stv(gBzT, jm, madd(uj, ldv(rz, m), ldv(gBzT, jm)));
          }
        }
        if (gbzx)
          for (let m = 0; m < MP; m += 4) stv(gbzxP, m, f32x4.add(ldv(gbzxP, m), ldv(rz, m)));
        if (feedback) for (let m = 0; m < M; m++) sts(cm, m, f32x4.splat(ldf(rz, m)));
        memory.fill(gzc, 0, (<usize>MP) << 2);
        for (let m = 0; m < M; m++) {
          const r = f32x4.splat(ldf(rz, m));
          const row = Wz + ((<usize>(m * MP)) << 2);
          const grow = gWz + ((<usize>(m * MP)) << 2);
          for (let j = 0; j < MP; j += 4) {
            stv(grow, j, madd(r, ldv(phz, j), ldv(grow, j)));
            stv(gzc, j, madd(ldv(row, j), r, ldv(gzc, j)));
          }
        }
        const czv = f32x4.splat(cz);
        for (let j = 0; j < MP; j += 4) {
          const p = ldv(phz, j);
          stv(
            gzc,
            j,
            madd(czv, ldv(gz, j), f32x4.mul(ldv(gzc, j), f32x4.sub(one, f32x4.mul(p, p)))),
          );
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
          dp = madd(c, ldv(VT, ro), dp);
          stv(gVT, ro, madd(c, p, ldv(gVT, ro)));
        }
        if (fb) {
          for (let m = 0; m < M; m++) {
            const c = lds(cm, m);
            const mo = m * NP + i;
            dp = madd(c, ldv(WzxP, mo), dp);
            stv(gWzxP, mo, madd(c, p, ldv(gWzxP, mo)));
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
  for (let m = 0; m < M; m++) {
    for (let k = 0; k < R; k++) stf(gAz, k * M + m, ldf(gAz, k * M + m) + ldf(gAzP, k * MP + m));
    for (let j = 0; j < U; j++) stf(gBz, m * U + j, ldf(gBz, m * U + j) + ldf(gBzT, j * MP + m));
    if (gbzx) stf(gbzx, m, ldf(gbzx, m) + ldf(gbzxP, m));
  }
}
