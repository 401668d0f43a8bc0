/**
 * Orthonormal bases and projections onto them. Used for the recurrent subspace of a low-rank
 * network (the span of V's columns, where φ(x) is read from) and, through pca.ts, for principal
 * components. A basis is a list of unit vectors of length `dim`.
 */

export type Basis = Float64Array[];

/**
 * Orthonormal basis of the columns of a row-major rows×cols matrix (e.g. V, N×R), by modified
 * Gram–Schmidt with one re-orthogonalisation pass (twice is enough for float64, Giraud et al.).
 * Columns that are (numerically) in the span of earlier ones are dropped, so the result has the
 * matrix's rank; column order and sign are kept (basis k is V's column k made orthogonal to the
 * earlier ones), so the first axis of a plot is V's first column.
 */
export function orthonormalColumns(
  matrix: ArrayLike<number>,
  rows: number,
  cols: number,
  relTol = 1e-10,
): Basis {
  if (matrix.length !== rows * cols) {
    throw new Error(`matrix has ${matrix.length} entries, expected ${rows}×${cols}`);
  }
  const basis: Basis = [];
  for (let c = 0; c < cols; c++) {
    const v = new Float64Array(rows);
    for (let r = 0; r < rows; r++) v[r] = matrix[r * cols + c];
    const original = norm(v);
    if (original === 0) continue;
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) axpy(-dot(q, v), q, v);
    }
    const n = norm(v);
    if (n <= relTol * original) continue;
    for (let r = 0; r < rows; r++) v[r] /= n;
    basis.push(v);
  }
  return basis;
}

/**
 * Coordinates of each row of `data` (rows×dim, row-major) in `basis`, after subtracting `center`
 * when given. Returns rows×basis.length. NaN rows (padding) stay NaN.
 */
export function projectOnto(
  data: ArrayLike<number>,
  dim: number,
  basis: Basis,
  center?: ArrayLike<number>,
): Float32Array {
  if (data.length % dim !== 0)
    throw new Error(`data length ${data.length} is not a multiple of ${dim}`);
  for (const q of basis) {
    if (q.length !== dim) throw new Error(`basis vector of length ${q.length}, data dim ${dim}`);
  }
  const rows = data.length / dim;
  const k = basis.length;
  const out = new Float32Array(rows * k);
  for (let i = 0; i < rows; i++) {
    const off = i * dim;
    for (let j = 0; j < k; j++) {
      const q = basis[j];
      let s = 0;
      for (let d = 0; d < dim; d++) s += q[d] * (data[off + d] - (center ? center[d] : 0));
      out[i * k + j] = s;
    }
  }
  return out;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** y += alpha·x */
function axpy(alpha: number, x: ArrayLike<number>, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}
