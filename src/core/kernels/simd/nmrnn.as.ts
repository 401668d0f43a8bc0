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

// Rational tanh coefficients: the same as fastTanh.ts.
const TC: f32 = 9.0;
const TY: f32 = 1.0 / 81.0;
const P0: f32 = 0.9999999060232249;
const P1: f32 = 10.832232541175191;
const P2: f32 = 22.874925086102813;
const P3: f32 = 10.87889806413665;
const P4: f32 = 0.5674682670014486;
const Q1: f32 = 37.83220290885738;
const Q2: f32 = 169.5471366564208;
const Q3: f32 = 173.84790075370034;
const Q4: f32 = 33.15447950788021;

function tanh4(x: v128): v128 {
  const xc = f32x4.min(f32x4.max(x, f32x4.splat(-TC)), f32x4.splat(TC));
  const y = f32x4.mul(f32x4.mul(xc, xc), f32x4.splat(TY));
  let p = f32x4.add(f32x4.splat(P3), f32x4.mul(y, f32x4.splat(P4)));
  p = f32x4.add(f32x4.splat(P2), f32x4.mul(y, p));
  p = f32x4.add(f32x4.splat(P1), f32x4.mul(y, p));
  p = f32x4.add(f32x4.splat(P0), f32x4.mul(y, p));
  let q = f32x4.add(f32x4.splat(Q3), f32x4.mul(y, f32x4.splat(Q4)));
  q = f32x4.add(f32x4.splat(Q2), f32x4.mul(y, q));
  q = f32x4.add(f32x4.splat(Q1), f32x4.mul(y, q));
  q = f32x4.add(f32x4.splat(1.0), f32x4.mul(y, q));
  return f32x4.div(f32x4.mul(xc, p), q);
}

function tanh1(x: f32): f32 {
  const xc = x > TC ? TC : x < -TC ? -TC : x;
  const y = xc * xc * TY;
  const p = P0 + y * (P1 + y * (P2 + y * (P3 + y * P4)));
  const q: f32 = 1.0 + y * (Q1 + y * (Q2 + y * (Q3 + y * Q4)));
  return (xc * p) / q;
}

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

/** Σ a[i]·b[i] over NP (a multiple of 4) floats. */
function dot(a: usize, b: usize, NP: i32): f32 {
  let acc = f32x4.splat(0);
  for (let i = 0; i < NP; i += 4) {
    const o = (<usize>i) << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  return hsum(acc);
}

/** y[i] += a·x[i] over NP floats. */
function axpy(y: usize, a: f32, x: usize, NP: i32): void {
  const av = f32x4.splat(a);
  for (let i = 0; i < NP; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(av, v128.load(x + o))));
  }
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

// Scratch layout (byte offsets from `scratch`), all padded to NP or rounded up to 4 floats.
// x, phx, gx, gxc, dpx: NP each; then z, phz, gz, gzc, rz: MP each; then w, q, s, dq, dpre: RP each.

export function forward(
  B: i32,
  T: i32,
  N: i32,
  R: i32,
  M: i32,
  feedback: i32,
  ax: f32,
  rs: f32,
  az: f32,
  driveX: usize,
  driveZ: usize,
  LtT: usize,
  VT: usize,
  Wz: usize,
  Az: usize,
  bz: usize,
  WzxP: usize,
  x0: usize,
  z0: usize,
  mul: usize,
  add: usize,
  outX: usize,
  outZ: usize,
  outS: usize,
  scratch: usize,
): void {
  const NP = (N + 3) & ~3;
  const MP = (M + 3) & ~3;
  const RP = (R + 3) & ~3;
  const NF = N & ~3;
  const x = scratch;
  const phx = x + ((<usize>NP) << 2);
  const z = phx + ((<usize>NP) << 2);
  const phz = z + ((<usize>MP) << 2);
  const w = phz + ((<usize>MP) << 2);
  const cx: f32 = 1.0 - ax;
  const cz: f32 = 1.0 - az;
  const cxv = f32x4.splat(cx);
  const axv = f32x4.splat(ax);
  for (let b = 0; b < B; b++) {
    memory.copy(x, x0, (<usize>NP) << 2);
    if (M > 0) memory.copy(z, z0, (<usize>M) << 2);
    for (let t = 0; t < T; t++) {
      const bt = b * T + t;
      for (let i = 0; i < NP; i += 4) {
        const o = (<usize>i) << 2;
        v128.store(phx + o, tanh4(v128.load(x + o)));
      }
      if (M > 0) {
        for (let m = 0; m < M; m++)
          store<f32>(phz + ((<usize>m) << 2), tanh1(load<f32>(z + ((<usize>m) << 2))));
        const oz = driveZ + ((<usize>(bt * M)) << 2);
        const ozo = outZ + ((<usize>(bt * M)) << 2);
        for (let m = 0; m < M; m++) {
          let acc = load<f32>(oz + ((<usize>m) << 2));
          const row = Wz + ((<usize>(m * M)) << 2);
          for (let j = 0; j < M; j++)
            acc += load<f32>(row + ((<usize>j) << 2)) * load<f32>(phz + ((<usize>j) << 2));
          if (feedback) acc += dot(WzxP + ((<usize>(m * NP)) << 2), phx, NP);
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
          const tk = (<usize>(t * R + k)) << 2;
          const s = sigmoid(pre) * load<f32>(mul + tk) + load<f32>(add + tk);
          store<f32>(os + ((<usize>k) << 2), s);
          store<f32>(w + ((<usize>k) << 2), s);
        }
      } else {
        for (let k = 0; k < R; k++) store<f32>(w + ((<usize>k) << 2), 1.0);
      }
      for (let r = 0; r < R; r++) {
        const q = dot(VT + ((<usize>(r * NP)) << 2), phx, NP);
        store<f32>(w + ((<usize>r) << 2), load<f32>(w + ((<usize>r) << 2)) * q * rs);
      }
      const dx = driveX + ((<usize>(bt * N)) << 2);
      const ox = outX + ((<usize>(bt * N)) << 2);
      for (let i = 0; i < NF; i += 4) {
        const o = (<usize>i) << 2;
        let acc = f32x4.add(f32x4.mul(cxv, v128.load(x + o)), f32x4.mul(axv, v128.load(dx + o)));
        for (let r = 0; r < R; r++) {
          acc = f32x4.add(
            acc,
            f32x4.mul(
              v128.load(LtT + ((<usize>(r * NP + i)) << 2)),
              f32x4.splat(load<f32>(w + ((<usize>r) << 2))),
            ),
          );
        }
        v128.store(x + o, acc);
        v128.store(ox + o, acc);
      }
      for (let i = NF; i < N; i++) {
        const o = (<usize>i) << 2;
        let acc = cx * load<f32>(x + o) + ax * load<f32>(dx + o);
        for (let r = 0; r < R; r++)
          acc += load<f32>(LtT + ((<usize>(r * NP + i)) << 2)) * load<f32>(w + ((<usize>r) << 2));
        store<f32>(x + o, acc);
        store<f32>(ox + o, acc);
      }
    }
  }
}

/**
 * BPTT. Gradient accumulators (gLtT, gVT, gWzxP padded/transposed like the parameters; gWz, gAz,
 * gbz, gx0 (NP), gz0) must be zeroed by the caller; gDriveX/gDriveZ are written in full.
 */
export function backward(
  B: i32,
  T: i32,
  N: i32,
  R: i32,
  M: i32,
  feedback: i32,
  ax: f32,
  rs: f32,
  az: f32,
  LtT: usize,
  VT: usize,
  Wz: usize,
  Az: usize,
  bz: usize,
  WzxP: usize,
  x0: usize,
  z0: usize,
  mul: usize,
  X: usize,
  Z: usize,
  S: usize,
  dX: usize,
  dZ: usize,
  dS: usize,
  gDriveX: usize,
  gDriveZ: usize,
  gLtT: usize,
  gVT: usize,
  gWz: usize,
  gAz: usize,
  gbz: usize,
  gWzxP: usize,
  gx0: usize,
  gz0: usize,
  scratch: usize,
): void {
  const NP = (N + 3) & ~3;
  const MP = (M + 3) & ~3;
  const RP = (R + 3) & ~3;
  const NF = N & ~3;
  const phx = scratch;
  const gx = phx + ((<usize>NP) << 2);
  const gxc = gx + ((<usize>NP) << 2);
  const dpx = gxc + ((<usize>NP) << 2);
  const phz = dpx + ((<usize>NP) << 2);
  const gz = phz + ((<usize>MP) << 2);
  const gzc = gz + ((<usize>MP) << 2);
  const rz = gzc + ((<usize>MP) << 2);
  const q = rz + ((<usize>MP) << 2);
  const s = q + ((<usize>RP) << 2);
  const dq = s + ((<usize>RP) << 2);
  const dpre = dq + ((<usize>RP) << 2);
  const cx: f32 = 1.0 - ax;
  const cz: f32 = 1.0 - az;
  const cxv = f32x4.splat(cx);
  const axv = f32x4.splat(ax);
  const one = f32x4.splat(1.0);
  // Pad lanes of the padded scratch vectors must be zero (dot products run over NP).
  memory.fill(scratch, 0, (<usize>(5 * NP + 4 * MP + 4 * RP)) << 2);
  for (let b = 0; b < B; b++) {
    memory.fill(gxc, 0, (<usize>NP) << 2);
    if (M > 0) memory.fill(gzc, 0, (<usize>MP) << 2);
    for (let t = T - 1; t >= 0; t--) {
      const bt = b * T + t;
      if (t > 0) tanhRow(phx, X + ((<usize>((bt - 1) * N)) << 2), N);
      else tanhRow(phx, x0, N);
      for (let r = 0; r < R; r++)
        store<f32>(q + ((<usize>r) << 2), dot(VT + ((<usize>(r * NP)) << 2), phx, NP));
      if (M > 0)
        for (let k = 0; k < R; k++)
          store<f32>(s + ((<usize>k) << 2), load<f32>(S + ((<usize>(bt * R + k)) << 2)));
      else for (let k = 0; k < R; k++) store<f32>(s + ((<usize>k) << 2), 1.0);

      const dxr = dX + ((<usize>(bt * N)) << 2);
      const gdx = gDriveX + ((<usize>(bt * N)) << 2);
      for (let i = 0; i < NF; i += 4) {
        const o = (<usize>i) << 2;
        const g = f32x4.add(v128.load(dxr + o), v128.load(gxc + o));
        v128.store(gx + o, g);
        v128.store(gdx + o, f32x4.mul(axv, g));
      }
      for (let i = NF; i < N; i++) {
        const o = (<usize>i) << 2;
        const g = load<f32>(dxr + o) + load<f32>(gxc + o);
        store<f32>(gx + o, g);
        store<f32>(gdx + o, ax * g);
      }
      // dw_r = rs·L̃ᵀgx; dL̃ += rs·gx·w_rᵀ with w = s ⊙ q.
      for (let r = 0; r < R; r++) {
        const sr = load<f32>(s + ((<usize>r) << 2));
        const qr = load<f32>(q + ((<usize>r) << 2));
        store<f32>(dq + ((<usize>r) << 2), rs * dot(LtT + ((<usize>(r * NP)) << 2), gx, NP));
        axpy(gLtT + ((<usize>(r * NP)) << 2), rs * sr * qr, gx, NP);
      }
      if (M > 0) {
        const zr = Z + ((<usize>(bt * M)) << 2);
        for (let k = 0; k < R; k++) {
          const ds =
            load<f32>(dS + ((<usize>(bt * R + k)) << 2)) +
            load<f32>(dq + ((<usize>k) << 2)) * load<f32>(q + ((<usize>k) << 2));
          let pre = load<f32>(bz + ((<usize>k) << 2));
          const row = Az + ((<usize>(k * M)) << 2);
          for (let m = 0; m < M; m++)
            pre += load<f32>(row + ((<usize>m) << 2)) * load<f32>(zr + ((<usize>m) << 2));
          const sg = sigmoid(pre);
          store<f32>(
            dpre + ((<usize>k) << 2),
            ds * load<f32>(mul + ((<usize>(t * R + k)) << 2)) * sg * (1.0 - sg),
          );
        }
      }
      memory.fill(dpx, 0, (<usize>NP) << 2);
      for (let r = 0; r < R; r++) {
        const d = load<f32>(dq + ((<usize>r) << 2)) * load<f32>(s + ((<usize>r) << 2));
        axpy(gVT + ((<usize>(r * NP)) << 2), d, phx, NP);
        axpy(dpx, d, VT + ((<usize>(r * NP)) << 2), NP);
      }
      if (M > 0) {
        const oz = bt * M;
        const zr = Z + ((<usize>oz) << 2);
        for (let m = 0; m < M; m++) {
          store<f32>(
            gz + ((<usize>m) << 2),
            load<f32>(dZ + ((<usize>(oz + m)) << 2)) + load<f32>(gzc + ((<usize>m) << 2)),
          );
        }
        for (let k = 0; k < R; k++) {
          const d = load<f32>(dpre + ((<usize>k) << 2));
          store<f32>(gbz + ((<usize>k) << 2), load<f32>(gbz + ((<usize>k) << 2)) + d);
          const row = Az + ((<usize>(k * M)) << 2);
          const grow = gAz + ((<usize>(k * M)) << 2);
          for (let m = 0; m < M; m++) {
            const mo = (<usize>m) << 2;
            store<f32>(grow + mo, load<f32>(grow + mo) + d * load<f32>(zr + mo));
            store<f32>(gz + mo, load<f32>(gz + mo) + load<f32>(row + mo) * d);
          }
        }
        if (t > 0)
          for (let m = 0; m < M; m++)
            store<f32>(phz + ((<usize>m) << 2), tanh1(load<f32>(Z + ((<usize>(oz - M + m)) << 2))));
        else
          for (let m = 0; m < M; m++)
            store<f32>(phz + ((<usize>m) << 2), tanh1(load<f32>(z0 + ((<usize>m) << 2))));
        const gdz = gDriveZ + ((<usize>oz) << 2);
        for (let m = 0; m < M; m++) {
          const r = az * load<f32>(gz + ((<usize>m) << 2));
          store<f32>(rz + ((<usize>m) << 2), r);
          store<f32>(gdz + ((<usize>m) << 2), r);
        }
        memory.fill(gzc, 0, (<usize>MP) << 2);
        for (let m = 0; m < M; m++) {
          const r = load<f32>(rz + ((<usize>m) << 2));
          const row = Wz + ((<usize>(m * M)) << 2);
          const grow = gWz + ((<usize>(m * M)) << 2);
          for (let j = 0; j < M; j++) {
            const jo = (<usize>j) << 2;
            store<f32>(grow + jo, load<f32>(grow + jo) + r * load<f32>(phz + jo));
            store<f32>(gzc + jo, load<f32>(gzc + jo) + load<f32>(row + jo) * r);
          }
        }
        for (let j = 0; j < M; j++) {
          const jo = (<usize>j) << 2;
          const p = load<f32>(phz + jo);
          store<f32>(gzc + jo, cz * load<f32>(gz + jo) + load<f32>(gzc + jo) * (1.0 - p * p));
        }
        if (feedback) {
          for (let m = 0; m < M; m++) {
            const r = load<f32>(rz + ((<usize>m) << 2));
            axpy(gWzxP + ((<usize>(m * NP)) << 2), r, phx, NP);
            axpy(dpx, r, WzxP + ((<usize>(m * NP)) << 2), NP);
          }
        }
      }
      for (let i = 0; i < NP; i += 4) {
        const o = (<usize>i) << 2;
        const p = v128.load(phx + o);
        const v = f32x4.add(
          f32x4.mul(cxv, v128.load(gx + o)),
          f32x4.mul(v128.load(dpx + o), f32x4.sub(one, f32x4.mul(p, p))),
        );
        v128.store(gxc + o, v);
      }
    }
    axpy(gx0, 1.0, gxc, NP);
    for (let m = 0; m < M; m++) {
      const mo = (<usize>m) << 2;
      store<f32>(gz0 + mo, load<f32>(gz0 + mo) + load<f32>(gzc + mo));
    }
  }
}
