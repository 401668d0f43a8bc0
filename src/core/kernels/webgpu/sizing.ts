/**
 * Which model sizes the WebGPU scans handle, and how each size is laid out on a workgroup.
 *
 * One workgroup runs one trial; invocation `lid` owns hidden units lid, lid + WG, lid + 2·WG, …
 * (UPT of them), and, for the NM-RNN, NM unit m = lid and component k = lid. The limits are the
 * WebGPU defaults every device guarantees: 16 KiB of workgroup memory and 256 invocations per
 * workgroup. Beyond those (or when per-invocation arrays would get large) `fits` says no, and the
 * model runs its reference scan instead.
 */
import type { ModelConfig, ModelKind } from '../../models/types';
import { defaultModelConfig } from '../../models/config';

export const MAX_WORKGROUP_BYTES = 16384;
export const MAX_WORKGROUP_SIZE = 256;
/** Hidden units per invocation at most, so N ≤ 256 · 8 = 2048. */
export const MAX_UNITS_PER_THREAD = 8;
/** Floats of per-invocation accumulators at most (they live in registers or spill). */
export const MAX_PRIVATE_FLOATS = 256;
const MIN_WORKGROUP = 8;

export interface WorkgroupPlan {
  /** Invocations per workgroup, a power of two. */
  WG: number;
  /** Hidden units per invocation: ceil(N / WG). */
  UPT: number;
}

function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Workgroup-memory floats of the NM-RNN programs (forward, backward: the larger). */
function nmrnnSharedFloats(WG: number, R: number, M: number, feedback: boolean): number {
  const MM = Math.max(M, 1);
  const forward = (R + (feedback ? M : 0)) * WG + 2 * MM + R;
  const backward = 2 * R * WG + 3 * MM + 3 * R;
  return Math.max(forward, backward);
}

/** The NM-RNN / low-rank RNN plan, or null when the size does not fit. */
export function nmrnnPlan(
  N: number,
  R: number,
  M: number,
  feedback: boolean,
): WorkgroupPlan | null {
  const minWG = Math.max(MIN_WORKGROUP, nextPow2(Math.max(M, R)));
  if (minWG > MAX_WORKGROUP_SIZE) return null;
  // The widest workgroup up to N (fewest units per invocation) whose shared memory fits; the
  // reduction scratch grows with WG, so a large R or feedback M may need a narrower one.
  for (let WG = Math.min(MAX_WORKGROUP_SIZE, Math.max(minWG, nextPow2(N))); WG >= minWG; WG /= 2) {
    const UPT = Math.ceil(N / WG);
    if (UPT > MAX_UNITS_PER_THREAD) return null;
    if (nmrnnSharedFloats(WG, R, M, feedback) * 4 > MAX_WORKGROUP_BYTES) continue;
    const privateFloats = UPT * (2 * R + (feedback ? M : 0) + 4) + 2 * Math.max(M, R) + R + M;
    if (privateFloats > MAX_PRIVATE_FLOATS) return null;
    return { WG, UPT };
  }
  return null;
}

/** Vanilla RNN (shared: φ(x) and the scaled gradient, 2N floats) and LSTM (h, 4N gate grads). */
export function densePlan(N: number, sharedFloats: number): WorkgroupPlan | null {
  if (sharedFloats * 4 > MAX_WORKGROUP_BYTES) return null;
  const WG = Math.min(MAX_WORKGROUP_SIZE, Math.max(MIN_WORKGROUP, nextPow2(N)));
  const UPT = Math.ceil(N / WG);
  return UPT > MAX_UNITS_PER_THREAD ? null : { WG, UPT };
}

export const rnnPlan = (N: number): WorkgroupPlan | null => densePlan(N, 2 * N);
export const lstmPlan = (N: number): WorkgroupPlan | null => densePlan(N, 5 * N);

/**
 * Whether the fused WebGPU scan handles this model (the hook register.ts's fusedAvailable asks).
 * Sizes the configuration leaves out are the defaults of defaultModelConfig.
 */
export function webgpuFits(kind: ModelKind, config?: Partial<ModelConfig>): boolean {
  const c = defaultModelConfig(kind, config ?? {});
  switch (kind) {
    case 'nmrnn':
      return nmrnnPlan(c.N, c.R, c.M, c.feedback) !== null;
    case 'lrrnn':
      return nmrnnPlan(c.N, c.R, 0, false) !== null;
    case 'rnn':
      return rnnPlan(c.N) !== null;
    case 'lstm':
      return lstmPlan(c.N) !== null;
  }
}
