/**
 * How each fused scan packs its recurrent parameters into one flat float32 vector. Packing keeps
 * the kernels' input count small (WebGPU allows only a few storage buffers per program) and lets
 * tfjs split the packed gradient back into per-parameter gradients through concat's own gradient.
 * Every block is row-major with the shape docs/SCIENCE.md gives it.
 */

export interface NmrnnDims {
  /** Output-network size. */
  N: number;
  /** Rank; also the number of modulatory components K. */
  R: number;
  /** NM-subnetwork size; 0 for the unmodulated low-rank RNN (s ≡ 1). */
  M: number;
  feedback: boolean;
}

export interface NmrnnLayout {
  /** Orthonormalised L̃ (N×R); the recurrent scale (1 or 1/N) is a kernel attribute. */
  Lt: number;
  V: number;
  Wz: number;
  Az: number;
  bz: number;
  /** Feedback weights W_zx (M×N); zero-sized without feedback. */
  Wzx: number;
  x0: number;
  z0: number;
  size: number;
}

export function nmrnnLayout({ N, R, M, feedback }: NmrnnDims): NmrnnLayout {
  const blocks: [keyof Omit<NmrnnLayout, 'size'>, number][] = [
    ['Lt', N * R],
    ['V', N * R],
    ['Wz', M * M],
    ['Az', R * M],
    ['bz', M > 0 ? R : 0],
    ['Wzx', feedback ? M * N : 0],
    ['x0', N],
    ['z0', M],
  ];
  const out = { size: 0 } as NmrnnLayout;
  for (const [name, len] of blocks) {
    out[name] = out.size;
    out.size += len;
  }
  return out;
}

/** Vanilla RNN: W (N×N, the 1/N scale is an attribute), then x0. */
export function rnnLayout(N: number): { W: number; x0: number; size: number } {
  return { W: 0, x0: N * N, size: N * N + N };
}

/**
 * LSTM: the recurrent matrix of all four gates stacked as Wh (4N×N, gate order i, f, g, o), then
 * h0 and c0. Input projections and biases are precomputed outside the scan as a [B, T, 4N] drive.
 */
export function lstmLayout(N: number): { Wh: number; h0: number; c0: number; size: number } {
  return { Wh: 0, h0: 4 * N * N, c0: 4 * N * N + N, size: 4 * N * N + 2 * N };
}

export interface NmrnnFactoredDims extends NmrnnDims {
  U: number;
  Ux: number;
  O: number;
  biasZ: boolean;
  biasY: boolean;
}

export interface NmrnnFactoredLayout extends NmrnnLayout {
  /** B_x (N×Ux) */
  Bx: number;
  /** B_z (M×U) */
  Bz: number;
  /** b_zx (M), zero-sized without biasZ. */
  bzx: number;
  /** C (O×N) */
  C: number;
  /** d (O), zero-sized without biasY. */
  d: number;
}

/**
 * nmrnnLayout followed by the input and readout weights, so the factored kernel still takes one
 * packed parameter vector (and one packed gradient).
 */
export function nmrnnFactoredLayout(a: NmrnnFactoredDims): NmrnnFactoredLayout {
  const base = nmrnnLayout(a);
  let at = base.size;
  const next = (len: number): number => {
    const o = at;
    at += len;
    return o;
  };
  const Bx = next(a.N * a.Ux);
  const Bz = next(a.M * a.U);
  const bzx = next(a.biasZ ? a.M : 0);
  const C = next(a.O * a.N);
  const d = next(a.biasY ? a.O : 0);
  return { ...base, Bx, Bz, bzx, C, d, size: at };
}

// The fused training steps (threads/stepParts.ts) pack every parameter of a model, inputs and
// readout included: the NM-RNN and LR-RNN as nmrnnFactoredLayout, the vanilla RNN and LSTM as below.

/** The vanilla RNN's packed step parameters: W (N×N), B_x (N×U), C (O×N), d (O, iff biasY), x0. */
export function rnnStepLayout(a: { N: number; U: number; O: number; biasY: boolean }) {
  const { N, U, O } = a;
  const W = 0;
  const Bx = W + N * N;
  const C = Bx + N * U;
  const d = C + O * N;
  const x0 = d + (a.biasY ? O : 0);
  return { W, Bx, C, d, x0, size: x0 + N };
}

/**
 * The LSTM's packed step parameters: W_in (4N×U), W_h (4N×N) and the bias (4N), each with the gates
 * stacked i, f, g, o; then C (O×N), h0, c0.
 */
export function lstmStepLayout(a: { N: number; U: number; O: number }) {
  const { N, U, O } = a;
  const Win = 0;
  const Wh = Win + 4 * N * U;
  const bias = Wh + 4 * N * N;
  const C = bias + 4 * N;
  const h0 = C + O * N;
  const c0 = h0 + N;
  return { Win, Wh, bias, C, h0, c0, size: c0 + N };
}
