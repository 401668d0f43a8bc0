/* eslint-disable -- AssemblyScript, not TypeScript: see the next comment. */
// @ts-nocheck -- AssemblyScript source (f32, v128, load/store builtins), compiled by build.mjs
// into nmrnnLanesWasm.generated.ts; TypeScript's checker does not know these types.
/**
 * The NM-RNN / low-rank RNN training scan with the **trials in the SIMD lanes**, as the vanilla RNN
 * and LSTM kernels have them: every per-unit quantity is a row of BP lanes (BP = B rounded up to 4),
 * stored [T][rows][BP]. The per-trial kernel (nmrnnForward.as.ts) spends its time in dot products
 * over N whose horizontal sums the core cannot overlap; here every sum over N, R or M is a weighted
 * sum of rows, four trials per vector, with nothing horizontal but the weight gradients' sums over
 * trials (in four f32 lanes over the scan, then once in f64). Same math and the same tanh
 * (fastTanh.ts) as nmrnnForward.as.ts; σ through that tanh (sigmoid4), equal to float rounding:
 *
 *   z_t = cz z_{t−1} + az (W_z φ(z_{t−1}) + W_zx φ(x_{t−1}) + DZ_t)      DZ_t = B_z u_t + b_zx
 *   s_t = σ(A_z z_t + b_z)
 *   x_t = cx x_{t−1} + rs L̃ (s_t ⊙ Vᵀφ(x_{t−1})) + ax DX_t             DX_t = B_x u_t
 *
 * For training only (no ablation). nmrnnLanesSimd.ts owns the layout and passes byte offsets. The
 * scans form the input drives and the readout one time step at a time (laneTrain.as.ts's step
 * helpers), and the backward takes those projections' weight sums as it passes each step, so no
 * [T]-long drive or drive gradient goes out to memory and back; the masked MSE between the two
 * scans is maskedMseLanes. Pad lanes carry zero inputs, and their gradients stay zero, so they add
 * nothing to any sum over trials.
 */

import { hsum64 as hsum, tanh4, tanhRows } from './tanh.as';
import { outerSums, reduceRows, weightedRows } from './laneDots.as';
import { flushProjectGrad, projectBackStep, projectGradStep, projectStep } from './laneTrain.as';
import { madd, nmadd } from './madd.as';

export { toLanes, fromLanes } from './lanes.as';
export { maskedMseLanes } from './laneTrain.as';

/**
 * σ(x) = ½ + ½·tanh(x/2) with the project's rational tanh, four trials at once, as the LSTM kernel
 * has it: the f64 Math.exp of the per-trial kernel, once per trial, rank and step, cost as much as
 * the rest of the NM subnetwork. The two agree to float rounding (the tanh is accurate to ~1e-7).
 */
function sigmoid4(x: v128): v128 {
  const half = f32x4.splat(0.5);
  return madd(half, tanh4(f32x4.mul(half, x)), half);
}

function rowAt(base: usize, row: i32, BP: i32): usize {
  return base + ((<usize>(row * BP)) << 2);
}

/** Σ over the BP lanes of a row, in f64. */
function rowSum(p: usize, BP: i32): f64 {
  let acc = f32x4.splat(0);
  for (let b = 0; b < BP; b += 4) acc = f32x4.add(acc, v128.load(p + ((<usize>b) << 2)));
  return hsum(acc);
}

/** g[k] = Σ of the four lanes of acc[k] (f64), for `count` entries. */
function flushSums(g: usize, acc: usize, count: i32): void {
  for (let k = 0; k < count; k++)
    store<f64>(g + ((<usize>k) << 3), hsum(v128.load(acc + ((<usize>k) << 4))));
}

/** backward's `want` bits: the weight gradients it accumulates. */
export const WANT_LT: i32 = 1;
export const WANT_V: i32 = 2;
export const WANT_WZ: i32 = 4;
export const WANT_AZ: i32 = 8;
export const WANT_BZ: i32 = 16;
export const WANT_WZX: i32 = 32;
/** B_x; B_z with b_zx; C with d. */
export const WANT_BX: i32 = 64;
export const WANT_BZU: i32 = 128;
export const WANT_C: i32 = 256;

/**
 * Parameters are row-major f32 as the packed layout holds them: pLt, pV (N×R), pWz (M×M), pAz
 * (R×M), pbz (R), pWzx (M×N; 0 without feedback), pBx (N×Ux), pBz (M×U), pbzx (M; 0: none), pC
 * (O×N), pd (O; 0: none). pX0 [N][BP] and pZ0 [M][BP]: the initial states broadcast; pU [T][U][BP]:
 * the inputs, of which x reads the first Ux. Out: pX [T][N][BP], pZ [T][M][BP], pS [T][R][BP], the
 * readout pY [T][O][BP], and for the backward (so it evaluates no tanh of x and no Vᵀφ again) pPh
 * [T][N][BP], φ(x_{t−1}) as step t read it (unused when linear: φ(x) is x), and pQ [T][R][BP],
 * q_t = Vᵀφ(x_{t−1}). Scratch: pPhz [M][BP], pW [R][BP], pDX [N][BP], pDZ [M][BP]: the drives and
 * the readout are formed step by step, so no [T]-long drive is written and read back (each is as
 * large as x's whole trajectory, far beyond the core's own caches).
 */
export function forward(
  N: i32,
  R: i32,
  M: i32,
  BP: i32,
  T: i32,
  linear: i32,
  cx: f32,
  ax: f32,
  rs: f32,
  cz: f32,
  az: f32,
  pLt: usize,
  pV: usize,
  pWz: usize,
  pAz: usize,
  pbz: usize,
  pWzx: usize,
  pX0: usize,
  pZ0: usize,
  U: i32,
  Ux: i32,
  O: i32,
  pU: usize,
  pBx: usize,
  pBz: usize,
  pbzx: usize,
  pC: usize,
  pd: usize,
  pX: usize,
  pZ: usize,
  pS: usize,
  pPh: usize,
  pQ: usize,
  pY: usize,
  pPhz: usize,
  pW: usize,
  pDX: usize,
  pDZ: usize,
): void {
  const NB = N * BP;
  const MB = M * BP;
  const RB = R * BP;
  const row = (<usize>BP) << 2;
  const vcx = f32x4.splat(cx);
  const vax = f32x4.splat(ax);
  const vrs = f32x4.splat(rs);
  const vcz = f32x4.splat(cz);
  const vaz = f32x4.splat(az);
  for (let t = 0; t < T; t++) {
    const prev: usize = t == 0 ? pX0 : pX + ((<usize>((t - 1) * NB)) << 2);
    const cur: usize = pX + ((<usize>(t * NB)) << 2);
    const phx: usize = linear != 0 ? prev : pPh + ((<usize>(t * NB)) << 2);
    const ut: usize = pU + <usize>(t * U) * row;
    if (linear == 0) tanhRows(phx, prev, NB);
    // q_r = Σ_n V[n][r] φ(x)_n, and w_r = rs·s_r·q_r.
    const qt: usize = pQ + ((<usize>(t * RB)) << 2);
    reduceRows(qt, pV, (<usize>R) << 2, 4, phx, row, N, R, BP);
    if (M > 0) {
      const zprev: usize = t == 0 ? pZ0 : pZ + ((<usize>((t - 1) * MB)) << 2);
      const zcur: usize = pZ + ((<usize>(t * MB)) << 2);
      const st: usize = pS + ((<usize>(t * RB)) << 2);
      tanhRows(pPhz, zprev, MB);
      // z_t[m] = cz·z_{t−1}[m] + az·(Σ_j W_z[m][j] φ(z)_j (+ Σ_n W_zx[m][n] φ(x)_n) + DZ_t[m])
      reduceRows(zcur, pWz, 4, (<usize>M) << 2, pPhz, row, M, M, BP);
      const dz: usize = pDZ;
      projectStep(dz, pBz, pbzx, ut, M, U, BP);
      for (let m = 0; m < M; m++) {
        const zm = rowAt(zcur, m, BP);
        if (pWzx) weightedRows(zm, zm, pWzx + ((<usize>(m * N)) << 2), 4, phx, row, N, BP);
        const zp = rowAt(zprev, m, BP);
        const dm = rowAt(dz, m, BP);
        for (let b = 0; b < BP; b += 4) {
          const o = (<usize>b) << 2;
          const drive = f32x4.add(v128.load(zm + o), v128.load(dm + o));
          v128.store(zm + o, madd(vcz, v128.load(zp + o), f32x4.mul(vaz, drive)));
        }
      }
      reduceRows(st, pAz, 4, (<usize>M) << 2, zcur, row, M, R, BP);
      for (let k = 0; k < R; k++) {
        const sk = rowAt(st, k, BP);
        const bk = f32x4.splat(load<f32>(pbz + ((<usize>k) << 2)));
        for (let b = 0; b < BP; b += 4) {
          const o = sk + ((<usize>b) << 2);
          v128.store(o, sigmoid4(f32x4.add(bk, v128.load(o))));
        }
        const qk = rowAt(qt, k, BP);
        const wk = rowAt(pW, k, BP);
        for (let b = 0; b < BP; b += 4) {
          const o = (<usize>b) << 2;
          v128.store(wk + o, f32x4.mul(f32x4.mul(vrs, v128.load(sk + o)), v128.load(qk + o)));
        }
      }
    } else {
      for (let k = 0; k < RB; k += 4) {
        const o = (<usize>k) << 2;
        v128.store(pW + o, f32x4.mul(vrs, v128.load(qt + o)));
      }
    }
    // x_t[n] = Σ_r L̃[n][r] w_r (four units per pass), then + cx·x_{t−1} + ax·DX_t.
    reduceRows(cur, pLt, 4, (<usize>R) << 2, pW, row, R, N, BP);
    const dx: usize = pDX;
    projectStep(dx, pBx, 0, ut, N, Ux, BP);
    for (let k = 0; k < NB; k += 4) {
      const o = (<usize>k) << 2;
      const acc = madd(vcx, v128.load(prev + o), v128.load(cur + o));
      v128.store(cur + o, madd(vax, v128.load(dx + o), acc));
    }
    projectStep(pY + <usize>(t * O) * row, pC, pd, cur, O, N, BP);
  }
}

/**
 * BPTT of forward. pdY [T][O][BP]: dL/dy (zero in pad lanes); pU, pC as forward read them. Out: the
 * weight gradients (f64, the parameters' shapes) pgLt, pgV, pgWz, pgAz, pgbz, pgWzx, pgBx, pgBz,
 * pgbzx (0: no b_zx), pgC, pgd (0: no d) and the initial states' gradients pgx0 (N), pgz0 (M). pAcc:
 * scratch for the weight gradients' lane sums, 2NR + M² + RM + MN + N·Ux + M·U + M + O·N + O v128
 * slots. pPh and pQ: what forward stored. Scratch, one row block each: pGX, pGXC, pDPH, pDXT, pGDX
 * [N][BP]; pPhz, pGZ, pGZC, pRZ [M][BP]; pDQ, pDP [R][BP]. The readout's gradient into x and the
 * projections' weight sums are taken step by step, as forward formed them. `want`: which weight
 * gradients to accumulate (bits WANT_*); the others are not written. A frozen group (the NM
 * subnetwork alone, or the inputs alone, in the authors' retraining) then costs only the gradient's
 * way back through time, not its weight sums.
 */
export function backward(
  N: i32,
  R: i32,
  M: i32,
  BP: i32,
  T: i32,
  linear: i32,
  cx: f32,
  ax: f32,
  rs: f32,
  cz: f32,
  az: f32,
  pLt: usize,
  pV: usize,
  pWz: usize,
  pAz: usize,
  pWzx: usize,
  pX0: usize,
  pZ0: usize,
  pX: usize,
  pZ: usize,
  pS: usize,
  pPh: usize,
  pQ: usize,
  U: i32,
  Ux: i32,
  O: i32,
  pU: usize,
  pC: usize,
  pdY: usize,
  pgLt: usize,
  pgV: usize,
  pgWz: usize,
  pgAz: usize,
  pgbz: usize,
  pgWzx: usize,
  pgx0: usize,
  pgz0: usize,
  pgBx: usize,
  pgBz: usize,
  pgbzx: usize,
  pgC: usize,
  pgd: usize,
  pGX: usize,
  pGXC: usize,
  pDPH: usize,
  pPhz: usize,
  pGZ: usize,
  pGZC: usize,
  pDQ: usize,
  pDP: usize,
  pDXT: usize,
  pGDX: usize,
  pRZ: usize,
  pAcc: usize,
  want: i32,
): void {
  const NB = N * BP;
  const MB = M * BP;
  const RB = R * BP;
  const row = (<usize>BP) << 2;
  const vcx = f32x4.splat(cx);
  const vax = f32x4.splat(ax);
  const vrs = f32x4.splat(rs);
  const vcz = f32x4.splat(cz);
  const vaz = f32x4.splat(az);
  const one = f32x4.splat(1.0);
  const aLt = pAcc;
  const aV = aLt + ((<usize>(N * R)) << 4);
  const aWz = aV + ((<usize>(N * R)) << 4);
  const aAz = aWz + ((<usize>(M * M)) << 4);
  const aWzx = aAz + ((<usize>(R * M)) << 4);
  const aBx = aWzx + (pWzx ? (<usize>(M * N)) << 4 : 0);
  const aBz = aBx + ((<usize>(N * Ux)) << 4);
  const aBzx = aBz + ((<usize>(M * U)) << 4);
  const aC = aBzx + ((<usize>M) << 4);
  const ad = aC + ((<usize>(O * N)) << 4);
  const aEnd = ad + ((<usize>O) << 4);
  memory.fill(pAcc, 0, aEnd - pAcc);
  if (M > 0) memory.fill(pgbz, 0, (<usize>R) << 3);
  memory.fill(pGXC, 0, (<usize>NB) << 2);
  if (M > 0) memory.fill(pGZC, 0, (<usize>MB) << 2);
  for (let t = T - 1; t >= 0; t--) {
    const prev: usize = t == 0 ? pX0 : pX + ((<usize>((t - 1) * NB)) << 2);
    const phx: usize = linear != 0 ? prev : pPh + ((<usize>(t * NB)) << 2);
    const st: usize = pS + ((<usize>(t * RB)) << 2);
    const qt: usize = pQ + ((<usize>(t * RB)) << 2);
    const ut: usize = pU + <usize>(t * U) * row;
    const dyt: usize = pdY + <usize>(t * O) * row;
    // The readout's share: dL/dx_t = Cᵀ dy_t, and C's (and d's) sums over x_t.
    projectBackStep(pDXT, pC, dyt, O, N, BP);
    if (want & WANT_C)
      projectGradStep(aC, pgd ? ad : 0, dyt, pX + ((<usize>(t * NB)) << 2), O, N, BP);
    // The forward's w_r = rs·s_r·q_r goes in pDQ for now.
    for (let k = 0; k < RB; k += 4) {
      const o = (<usize>k) << 2;
      const w = f32x4.mul(vrs, v128.load(qt + o));
      v128.store(pDQ + o, M > 0 ? f32x4.mul(w, v128.load(st + o)) : w);
    }
    // gx = dL/dx_t (readout) + the gradient carried back from x_{t+1}.
    for (let k = 0; k < NB; k += 4) {
      const o = (<usize>k) << 2;
      v128.store(pGX + o, f32x4.add(v128.load(pDXT + o), v128.load(pGXC + o)));
    }
    // B_x's sums: the drive's gradient is ax·gx.
    if (want & WANT_BX) {
      for (let k = 0; k < NB; k += 4) {
        const o = (<usize>k) << 2;
        v128.store(pGDX + o, f32x4.mul(vax, v128.load(pGX + o)));
      }
      projectGradStep(aBx, 0, pGDX, ut, N, Ux, BP);
    }
    if (want & WANT_LT) outerSums(aLt, pGX, N, pDQ, R, BP);
    // dw_r = Σ_n L̃[n][r] gx_n (in pDP for now); dq = rs·s⊙dw; dpre = rs·dw⊙q·s(1 − s).
    reduceRows(pDP, pLt, (<usize>R) << 2, 4, pGX, row, N, R, BP);
    for (let k = 0; k < RB; k += 4) {
      const o = (<usize>k) << 2;
      const dw = f32x4.mul(vrs, v128.load(pDP + o));
      if (M > 0) {
        const s = v128.load(st + o);
        v128.store(pDQ + o, f32x4.mul(dw, s));
        const ds = f32x4.mul(dw, v128.load(qt + o));
        v128.store(pDP + o, f32x4.mul(ds, f32x4.mul(s, f32x4.sub(one, s))));
      } else {
        v128.store(pDQ + o, dw);
      }
    }
    if (want & WANT_V) outerSums(aV, phx, N, pDQ, R, BP);
    reduceRows(pDPH, pV, 4, (<usize>R) << 2, pDQ, row, R, N, BP);
    if (M > 0) {
      const zcur: usize = pZ + ((<usize>(t * MB)) << 2);
      const zprev: usize = t == 0 ? pZ0 : pZ + ((<usize>((t - 1) * MB)) << 2);
      const rz: usize = pRZ;
      if (want & WANT_BZ)
        for (let k = 0; k < R; k++) {
          const o = pgbz + ((<usize>k) << 3);
          store<f64>(o, load<f64>(o) + rowSum(rowAt(pDP, k, BP), BP));
        }
      if (want & WANT_AZ) outerSums(aAz, pDP, R, zcur, M, BP);
      // gz_m = gzc_m + Σ_k A_z[k][m] dpre_k; rz = az·gz is the drive's gradient.
      reduceRows(pGZ, pAz, (<usize>M) << 2, 4, pDP, row, R, M, BP);
      for (let k = 0; k < MB; k += 4) {
        const o = (<usize>k) << 2;
        const g = f32x4.add(v128.load(pGZ + o), v128.load(pGZC + o));
        v128.store(pGZ + o, g);
        v128.store(rz + o, f32x4.mul(vaz, g));
      }
      if (want & WANT_BZU) projectGradStep(aBz, pgbzx ? aBzx : 0, rz, ut, M, U, BP);
      tanhRows(pPhz, zprev, MB);
      if (want & WANT_WZ) outerSums(aWz, rz, M, pPhz, M, BP);
      if (pWzx) {
        if (want & WANT_WZX) outerSums(aWzx, rz, M, phx, N, BP);
        for (let n = 0; n < N; n++) {
          const dn = rowAt(pDPH, n, BP);
          weightedRows(dn, dn, pWzx + ((<usize>n) << 2), (<usize>N) << 2, rz, row, M, BP);
        }
      }
      // gzc_j = cz·gz_j + (1 − φ(z_{t−1})_j²)·Σ_m W_z[m][j] rz_m
      reduceRows(pGZC, pWz, (<usize>M) << 2, 4, rz, row, M, M, BP);
      for (let k = 0; k < MB; k += 4) {
        const o = (<usize>k) << 2;
        const p = v128.load(pPhz + o);
        const d = f32x4.mul(v128.load(pGZC + o), nmadd(p, p, one));
        v128.store(pGZC + o, madd(vcz, v128.load(pGZ + o), d));
      }
    }
    // gxc = cx·gx + φ'(x_{t−1})⊙dφ
    for (let k = 0; k < NB; k += 4) {
      const o = (<usize>k) << 2;
      const dp = v128.load(pDPH + o);
      let d = dp;
      if (linear == 0) {
        const p = v128.load(phx + o);
        d = f32x4.mul(dp, nmadd(p, p, one));
      }
      v128.store(pGXC + o, madd(vcx, v128.load(pGX + o), d));
    }
  }
  flushSums(pgLt, aLt, N * R);
  flushSums(pgV, aV, N * R);
  flushSums(pgWz, aWz, M * M);
  flushSums(pgAz, aAz, R * M);
  if (pWzx) flushSums(pgWzx, aWzx, M * N);
  if (want & WANT_BX) flushProjectGrad(pgBx, 0, aBx, 0, N, Ux);
  if (M > 0 && want & WANT_BZU) flushProjectGrad(pgBz, pgbzx, aBz, aBzx, M, U);
  if (want & WANT_C) flushProjectGrad(pgC, pgd, aC, ad, O, N);
  for (let n = 0; n < N; n++) store<f64>(pgx0 + ((<usize>n) << 3), rowSum(rowAt(pGXC, n, BP), BP));
  for (let m = 0; m < M; m++) store<f64>(pgz0 + ((<usize>m) << 3), rowSum(rowAt(pGZC, m, BP), BP));
}
