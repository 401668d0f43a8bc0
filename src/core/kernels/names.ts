/**
 * Names of the fused kernels in the tfjs kernel registry. Each forward kernel has a gradient
 * (registered once, backend-independent) that calls its `…Grad` kernel, which each backend
 * implements. The low-rank RNN has its own pair because its kernel has fewer inputs and outputs.
 */
export const NMRNN_SCAN = 'NmrnnScanFused';
export const NMRNN_SCAN_GRAD = 'NmrnnScanFusedGrad';
export const LOWRANK_SCAN = 'LowRankScanFused';
export const LOWRANK_SCAN_GRAD = 'LowRankScanFusedGrad';
/**
 * The factored NM-RNN / low-rank RNN scan: inputs u instead of drives, y = C x + d read out inside
 * (attrs NmrnnScanUAttrs). Separate names so backends that only have the drive-taking kernels keep
 * working; scans.ts uses these only where the active backend registers them.
 */
export const NMRNN_SCAN_U = 'NmrnnScanFusedU';
export const NMRNN_SCAN_U_GRAD = 'NmrnnScanFusedUGrad';
export const RNN_SCAN = 'RnnScanFused';
export const RNN_SCAN_GRAD = 'RnnScanFusedGrad';
export const LSTM_SCAN = 'LstmScanFused';
export const LSTM_SCAN_GRAD = 'LstmScanFusedGrad';

/** Forward kernels; a model family's fused path exists on a backend iff its kernel is registered. */
export const FORWARD_KERNELS = [NMRNN_SCAN, LOWRANK_SCAN, RNN_SCAN, LSTM_SCAN] as const;

/**
 * The NM-RNN / low-rank RNN training step in one kernel (attrs NmrnnLossGradAttrs): parameters and
 * a batch in, the masked MSE and every requested parameter's gradient out (host backends). Not
 * differentiated: the trainer calls it instead of tf.variableGrads.
 */
export const NMRNN_LOSS_GRAD = 'NmrnnLossGradFused';
/** The same for the vanilla RNN and the LSTM (attrs RnnLossGradAttrs, LstmLossGradAttrs; SIMD only). */
export const RNN_LOSS_GRAD = 'RnnLossGradFused';
export const LSTM_LOSS_GRAD = 'LstmLossGradFused';

/**
 * One clipped-AdamW (or Adam) step over every trainable parameter at once (attrs AdamWAttrs);
 * registered on the host backends. Not differentiated.
 */
export const ADAMW_UPDATE = 'ClippedAdamWUpdate';

/** Gram–Schmidt of L's columns (L̃, docs/SCIENCE.md §1.1) and its gradient, host backends. */
export const ORTHONORMALIZE = 'OrthonormalizeColumns';
export const ORTHONORMALIZE_GRAD = 'OrthonormalizeColumnsGrad';
