/**
 * The contract every model implements. Parameter names and shapes follow docs/SCIENCE.md exactly (L is
 * N×R, C is O×N, …) because the model file stores them under these names, row-major.
 */
import type * as tf from '@tensorflow/tfjs';

export type ModelKind = 'nmrnn' | 'lrrnn' | 'rnn' | 'lstm';

export interface ModelConfig {
  kind: ModelKind;
  /** Output-network (or RNN/LSTM) hidden size. */
  N: number;
  /** Rank of the recurrence (nmrnn, lrrnn). K = R for the NM-RNN. */
  R: number;
  /** NM subnetwork size (nmrnn only). */
  M: number;
  /** Input channels the model receives (all of them; the NM subnetwork reads all U). */
  U: number;
  /**
   * Input channels that reach x (the first Ux of the U channels). Equals U except for the context
   * NM-RNN, whose context one-hots (the trailing channels) reach only z (docs/SCIENCE.md §1.2).
   */
  Ux: number;
  /** Output channels. */
  O: number;
  /** Time constants in steps. */
  tauX: number;
  tauZ: number;
  /** NM-RNN with feedback from x to z (docs/SCIENCE.md §1.3). */
  feedback: boolean;
  /** Orthonormalise L each forward pass (Gram–Schmidt / sign-normalised QR). */
  orthonormalize: boolean;
  /** Scale of the low-rank recurrent term: 1 (clean) or 1/N (authors' EFT / LR-RNN code). */
  recurrentScale: 'one' | 'invN';
  /** Learnable readout bias d. */
  readoutBias: boolean;
  /** Initialisation scheme: 'paper' (docs/SCIENCE.md §1.1/§1.4) or 'eft' (§1.3). */
  init: 'paper' | 'eft';
  /**
   * φ of the output network x (nmrnn, lrrnn): tanh (absent), or the identity for the linear rank-1
   * theory (docs/SCIENCE.md §4). The NM subnetwork z keeps tanh.
   */
  activation?: 'tanh' | 'linear';
  /**
   * nmrnn, lrrnn: the right factor is the left one, V ≡ L̃ (no V parameter): the symmetric network
   * of the rank-1 theory (docs/SCIENCE.md §4; the authors' lin_sym_nm_rnn). Absent: V is its own.
   */
  symmetric?: boolean;
}

/** Parameters by docs/SCIENCE.md name. Fixed initial states (x0, z0, h0, c0) are included, untrained. */
export type Params = Record<string, tf.Variable>;

/** Plain-array parameters (for files, workers and fused kernels). */
export interface ParamData {
  shape: number[];
  data: Float32Array;
}
export type ParamArrays = Record<string, ParamData>;

/**
 * Ablation of the neuromodulatory signal, per component k. Applied as s'_k(t) = s_k(t)·mul + add
 * inside [t0, t1) (whole trial when no window): clamp → mul 0, add value; scale → mul factor.
 */
export interface ComponentAblation {
  mode: 'off' | 'clamp' | 'scale';
  /** Clamp value in [0, 1] or scale factor in [0, 2]. */
  value: number;
  /** Optional window [t0, t1) in steps; absent = whole trial. */
  window?: [number, number];
  /**
   * The cue the window counts from in each trial (e.g. 'go': [-5, 20) is five steps before go to
   * twenty after); absent = trial start. Needs ForwardOptions.trialCues.
   */
  anchor?: string;
}
export type Ablation = ComponentAblation[];

export interface ForwardOptions {
  ablation?: Ablation;
  /** Per-trial cue times, which place windows anchored to a cue (TaskBatch.meta[b].cues). */
  trialCues?: readonly Readonly<Record<string, number>>[];
  /** Also return internal trajectories (costs memory; off while training). */
  record?: boolean;
}

/** Internal trajectories, each [B, T, dim]. Which ones exist depends on the model. */
export interface Trajectories {
  x?: tf.Tensor3D;
  z?: tf.Tensor3D;
  s?: tf.Tensor3D;
  h?: tf.Tensor3D;
  c?: tf.Tensor3D;
  /** LSTM gates i, f, g, o stacked as [B, T, 4N]. */
  gates?: tf.Tensor3D;
}

export interface ForwardResult {
  /** [B, T, O] */
  y: tf.Tensor3D;
  states: Trajectories;
}

/** Named parameter groups for staged training / freezing. */
export type ParamGroup = 'all' | 'nm' | 'output' | 'input';

/** Which implementation of the recurrence runs: op-by-op tfjs (the oracle) or a fused kernel. */
export type ScanImpl = 'reference' | 'fused';

export interface ForwardOptionsWithImpl extends ForwardOptions {
  /** Default 'fused' where a fused kernel exists for the active backend, else 'reference'. */
  impl?: ScanImpl;
}

/**
 * A model instance: its configuration, its tf.Variables, and a pure forward pass. Forward is
 * synchronous tfjs so it can run inside tf.tidy / tf.variableGrads.
 */
export interface Model {
  readonly config: ModelConfig;
  readonly params: Params;
  /** inputs: [B, T, U]. */
  forward(
    inputs: import('@tensorflow/tfjs').Tensor3D,
    opts?: ForwardOptionsWithImpl,
  ): ForwardResult;
  /** Names of the trainable parameters in each group ('all' = every trainable one). */
  readonly groups: Record<ParamGroup, string[]>;
  /** Number of trainable scalars (docs/SCIENCE.md §1.5). */
  paramCount(): number;
  /** Copy of every parameter (fixed initial states included) as plain arrays. */
  toArrays(): Promise<ParamArrays>;
  dispose(): void;
}
