/**
 * Which model sizes each backend's fused kernels handle (WebGPU: workgroup limits). Its own module
 * so a backend's registration can declare limits without importing the registry that imports it.
 */
import type { ModelConfig, ModelKind } from '../models/types';

export type SizeLimit = (kind: ModelKind, config?: Partial<ModelConfig>) => boolean;

/** Per-backend limits; a backend not listed has none. */
const sizeLimits: Record<string, SizeLimit> = {};

/** Lets a backend's kernels declare which model sizes they handle. */
export function setFusedSizeLimit(backendName: string, fits: SizeLimit): void {
  sizeLimits[backendName] = fits;
}

export function fusedSizeLimit(backendName: string): SizeLimit | undefined {
  return sizeLimits[backendName];
}
