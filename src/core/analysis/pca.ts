/**
 * PCA of network states across trials and time: each of the B·T time points is one sample of
 * dimension N. The fitted basis is kept so that other trajectories (an ablated run, another
 * condition) are drawn in the same axes as the intact network.
 */
import { PCA } from 'ml-pca';
import { projectOnto, type Basis } from './subspace';

export interface PcaFit {
  /** Sample dimension (N). */
  dim: number;
  /** Samples used (rows with any non-finite entry, e.g. alignment padding, are skipped). */
  samples: number;
  mean: Float64Array;
  /** The first k principal directions, unit length, largest-|entry| positive (stable plots). */
  components: Basis;
  /** Fraction of the total variance along every principal direction (not only the k kept). */
  explainedVarianceRatio: number[];
  /** Running sum of explainedVarianceRatio. */
  cumulative: number[];
}

export interface PcaOptions {
  /** Components kept in `components` (default min(10, dim)). */
  components?: number;
}

/** data: rows×dim row-major (a [B, T, N] state array flattens to B·T rows). */
export function fitPca(data: ArrayLike<number>, dim: number, opts: PcaOptions = {}): PcaFit {
  if (!(dim >= 1) || data.length % dim !== 0) {
    throw new Error(`PCA: data length ${data.length} is not a multiple of dim ${dim}`);
  }
  const rows: number[][] = [];
  for (let off = 0; off < data.length; off += dim) {
    const row = new Array<number>(dim);
    let finite = true;
    for (let d = 0; d < dim; d++) {
      row[d] = data[off + d];
      if (!Number.isFinite(row[d])) finite = false;
    }
    if (finite) rows.push(row);
  }
  if (rows.length < 2) throw new Error(`PCA needs at least 2 finite samples, got ${rows.length}`);

  // The covariance route costs O(rows·dim² + dim³): cheaper than an SVD of the data matrix when,
  // as here, there are many more time points than units.
  const pca = new PCA(rows, { method: 'covarianceMatrix', center: true, scale: false });
  const vectors = pca.getEigenvectors(); // dim×dim, columns are directions
  const eig = pca.getEigenvalues();
  const total = eig.reduce((a, b) => a + Math.max(0, b), 0);
  const explainedVarianceRatio = eig.map((e) => (total > 0 ? Math.max(0, e) / total : 0));
  const cumulative: number[] = [];
  explainedVarianceRatio.reduce((acc, r) => {
    cumulative.push(acc + r);
    return acc + r;
  }, 0);

  const k = Math.min(opts.components ?? 10, dim, vectors.columns);
  const components: Basis = [];
  for (let j = 0; j < k; j++) {
    const v = Float64Array.from(vectors.getColumn(j));
    let big = 0;
    for (let d = 1; d < dim; d++) if (Math.abs(v[d]) > Math.abs(v[big])) big = d;
    if (v[big] < 0) for (let d = 0; d < dim; d++) v[d] = -v[d];
    components.push(v);
  }

  const mean = new Float64Array(dim);
  for (const row of rows) for (let d = 0; d < dim; d++) mean[d] += row[d];
  for (let d = 0; d < dim; d++) mean[d] /= rows.length;

  return { dim, samples: rows.length, mean, components, explainedVarianceRatio, cumulative };
}

/** Scores of rows×dim `data` on the first `k` components of `fit` (default all kept): rows×k. */
export function projectPca(fit: PcaFit, data: ArrayLike<number>, k?: number): Float32Array {
  const basis = k === undefined ? fit.components : fit.components.slice(0, k);
  return projectOnto(data, fit.dim, basis, fit.mean);
}
