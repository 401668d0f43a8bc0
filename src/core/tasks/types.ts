/**
 * What every task generator returns. Plain Float32Arrays (row-major) rather than tensors, so the
 * same batch feeds tfjs models, fused kernels, metrics and plots without a backend round trip.
 */

export type TaskFamily = 'mwg' | 'multitask' | 'eft';

/**
 * The named events each family's trials carry in TrialMeta.cues: what plots align to and what an
 * ablation window may count from (ComponentAblation.anchor).
 */
export const TASK_CUES: Record<TaskFamily, readonly string[]> = {
  mwg: ['measure', 'set', 'go'],
  multitask: ['stimOn', 'stimOff', 'fixOff', 'end'],
  eft: ['query', 'element', 'readout'],
};

/** The four cognitive tasks of docs/SCIENCE.md §2.2, in context-channel order. */
export const COGNITIVE_TASKS = ['delayPro', 'delayAnti', 'memoryPro', 'memoryAnti'] as const;
export type CognitiveTask = (typeof COGNITIVE_TASKS)[number];

/** How the tasks are named to people: page legends, reports, gallery cards. */
export const COGNITIVE_TASK_LABELS: Record<CognitiveTask, string> = {
  delayPro: 'Delay Pro',
  delayAnti: 'Delay Anti',
  memoryPro: 'Memory Pro',
  memoryAnti: 'Memory Anti',
};

/** Per-trial description used by metrics and plots (colouring, cue markers, epoch shading). */
export interface TrialMeta {
  /** Human-readable condition, e.g. "I=14", "delayAnti θ=69°", "q=7". */
  label: string;
  /** Numeric condition used for colouring (MWG: interval I; multitask: task index; EFT: q). */
  condition: number;
  /** MWG: where I falls relative to the trained range. */
  group?: 'short' | 'trained' | 'long';
  /** Named cue / epoch-boundary times in steps (e.g. measure, set, go; stimOn, fixOff; query). */
  cues: Record<string, number>;
  /** Other per-trial values (MWG: interval; multitask: task index, thetaIn, thetaOut; EFT: q, target). */
  values: Record<string, number>;
}

export interface TaskBatch {
  family: TaskFamily;
  /** Batch size, trial length, input channels, output channels. */
  B: number;
  T: number;
  U: number;
  O: number;
  /** [B, T, U] */
  inputs: Float32Array;
  /** [B, T, O] */
  targets: Float32Array;
  /** [B, T]: weight of each time step in the loss (1 = counts). EFT: 1 only at the last step. */
  mask: Float32Array;
  meta: TrialMeta[];
}

/**
 * Where training batches come from. `reuse`, a batch from this source that the caller is done with,
 * may have its arrays written over for the new batch (a source that hands out one fixed batch
 * ignores it): a trainer drawing a fresh batch every step then allocates none. Chromium takes far
 * longer to make and first fill large typed arrays than Node (a multitask batch of 64 trials:
 * ≈ 2.8 ms fresh, 0.19 ms into reused arrays, measured in a worker).
 */
export type BatchSource = (reuse?: TaskBatch) => TaskBatch;

/** Index helpers for the row-major layouts above. */
export const at3 = (b: number, t: number, c: number, T: number, C: number): number =>
  (b * T + t) * C + c;
