/**
 * The factored NM-RNN scan (inputs u, readout inside) as TypeScript loops, for where WebAssembly
 * SIMD is missing: forms the drives and the readout around the loops of nmrnnScan.ts. This is the
 * fallback, not the fast path, so it materialises the drives rather than duplicating the loops.
 */
import type { NmrnnScanUAttrs } from '../attrs';
import { nmrnnFactoredLayout, nmrnnLayout } from '../layout';
import { nmrnnBackward, nmrnnForward, type NmrnnTrajectories } from './nmrnnScan';

export interface FactoredForwardInputs {
  /** [B, T, U] */
  u: Float32Array;
  /** Packed as nmrnnFactoredLayout. */
  params: Float32Array;
  mul: Float32Array;
  add: Float32Array;
}

export interface FactoredTrajectories extends NmrnnTrajectories {
  /** [B, T, O] */
  y: Float32Array;
}

export interface FactoredBackwardInputs {
  u: Float32Array;
  params: Float32Array;
  mul: Float32Array;
  traj: NmrnnTrajectories;
  /** dL/d(trajectories) and dL/dy. */
  grad: FactoredTrajectories;
}

/** out[r, p] = Σ_j W[p, j] u[r, j] (+ b[p]) for r < rows, u with row stride U, first Uin columns. */
function project(
  u: Float32Array,
  U: number,
  Uin: number,
  P: Float32Array,
  W: number,
  b: number | null,
  rows: number,
  out: Float32Array,
): void {
  const width = out.length / rows;
  for (let r = 0; r < rows; r++) {
    for (let p = 0; p < width; p++) {
      let acc = b === null ? 0 : P[b + p];
      for (let j = 0; j < Uin; j++) acc += P[W + p * Uin + j] * u[r * U + j];
      out[r * width + p] = acc;
    }
  }
}

/** G[W + p·Uin + j] += Σ_r g[r, p] u[r, j]; G[b + p] += Σ_r g[r, p]. */
function projectGrad(
  u: Float32Array,
  U: number,
  Uin: number,
  g: Float32Array,
  rows: number,
  G: Float32Array,
  W: number,
  b: number | null,
): void {
  const width = g.length / rows;
  for (let r = 0; r < rows; r++) {
    for (let p = 0; p < width; p++) {
      const gp = g[r * width + p];
      for (let j = 0; j < Uin; j++) G[W + p * Uin + j] += gp * u[r * U + j];
      if (b !== null) G[b + p] += gp;
    }
  }
}

export function nmrnnForwardFactored(
  a: NmrnnScanUAttrs,
  inp: FactoredForwardInputs,
  out: FactoredTrajectories,
): void {
  const { B, T, N, M, U, Ux, O } = a;
  const lay = nmrnnFactoredLayout(a);
  const P = inp.params;
  const rows = B * T;
  const driveX = new Float32Array(rows * N);
  project(inp.u, U, Ux, P, lay.Bx, null, rows, driveX);
  const driveZ = new Float32Array(rows * M);
  if (M > 0) project(inp.u, U, U, P, lay.Bz, a.biasZ ? lay.bzx : null, rows, driveZ);
  // nmrnnForward reads only the leading nmrnnLayout blocks of the packed parameters.
  nmrnnForward(a, { driveX, driveZ, params: P, mul: inp.mul, add: inp.add }, out);
  if (O > 0) project(out.x, N, N, P, lay.C, a.biasY ? lay.d : null, rows, out.y);
}

/** Writes the packed (nmrnnFactoredLayout) gradient in full. */
export function nmrnnBackwardFactored(
  a: NmrnnScanUAttrs,
  inp: FactoredBackwardInputs,
  gParams: Float32Array,
): void {
  const { B, T, N, M, U, Ux, O } = a;
  const lay = nmrnnFactoredLayout(a);
  const P = inp.params;
  const rows = B * T;
  const dy = inp.grad.y;
  // dL/dx also gets Cᵀ dL/dy from the readout.
  const dX = Float32Array.from(inp.grad.x);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < O; k++) {
      const g = dy[r * O + k];
      const row = lay.C + k * N;
      for (let n = 0; n < N; n++) dX[r * N + n] += g * P[row + n];
    }
  }
  const base = new Float32Array(nmrnnLayout(a).size);
  const gDriveX = new Float32Array(rows * N);
  const gDriveZ = new Float32Array(rows * M);
  nmrnnBackward(
    a,
    { ...inp, add: new Float32Array(0), grad: { ...inp.grad, x: dX } },
    { driveX: gDriveX, driveZ: gDriveZ, params: base },
  );
  gParams.fill(0);
  gParams.set(base);
  projectGrad(inp.u, U, Ux, gDriveX, rows, gParams, lay.Bx, null);
  if (M > 0) projectGrad(inp.u, U, U, gDriveZ, rows, gParams, lay.Bz, a.biasZ ? lay.bzx : null);
  if (O > 0) projectGrad(inp.traj.x, N, N, dy, rows, gParams, lay.C, a.biasY ? lay.d : null);
}
