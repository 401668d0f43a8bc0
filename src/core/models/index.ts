/** The models: configurations, parameter counts, construction, forward passes and scan plug-ins. */
export * from './types';
export * from './scanTypes';
export {
  defaultModelConfig,
  validateModelConfig,
  paramCount,
  matchHiddenSize,
  type MatchRule,
} from './config';
export { paramSpecs, paramGroups, type ParamSpec } from './paramSpecs';
export { initialArrays } from './init';
export { ablationArrays, isIdentityAblation, ablationActiveAt } from './ablation';
export { orthonormalizeColumns } from './orthonormalize';
export { nmrnnScanReference, rnnScanReference, lstmScanReference } from './referenceScans';
export {
  registerFusedScan,
  unregisterFusedScan,
  getFusedScan,
  type FusedScanFn,
} from './fusedRegistry';
export { forwardWith, type RawForward } from './forward';
export { createModel, modelFromArrays, checkArrays, resolveScan, REFERENCE_SCANS } from './model';
