/**
 * What a share link holds: the playground's state (experiment config, preset, ablation, view,
 * classroom flags) and the page's vocabulary for it (panel tabs, alignments, classroom controls,
 * backends), with its defaults.
 */
import type { Ablation } from '../../core/models/types';
import { fitAblation, offComponent } from '../../core/models/ablation';
import { DEFAULT_EXPERIMENT, type ExperimentConfig } from '../../core/config/schema';
import { BACKEND_ORDER, MAX_PAGE_THREADS, type BackendName } from '../../worker/protocol';

export { MAX_PAGE_THREADS };

export const SHARE_VERSION = 1;

/** Controls a classroom link can hide or lock (TensorFlow Playground's idea). */
export const CLASSROOM_CONTROLS = [
  'presets',
  'task',
  'model',
  'training',
  'lr',
  'batch',
  'stage',
  'seed',
  'backend',
  'ablation',
  'file',
  'share',
] as const;
export type ClassroomControl = (typeof CLASSROOM_CONTROLS)[number];

/** Panels, for the active tab on a phone and the panel a link points at. */
export const VIEW_TABS = [
  'task',
  'model',
  'training',
  'loss',
  'output',
  'signal',
  'ablation',
  'pca',
] as const;
export type ViewTab = (typeof VIEW_TABS)[number];

/** What the s(t) traces are aligned to; one that does not fit the task means trial start. */
export const ALIGNMENTS = ['start', 'go', 'fixOff', 'element', 'readout'] as const;
export type TraceAlignment = (typeof ALIGNMENTS)[number];

export interface ShareView {
  tab: ViewTab;
  align: TraceAlignment;
  pcaDims: 2 | 3;
  /** Evaluation trial singled out in the output plot (index); absent = none. */
  trial?: number;
  /** Presentation layout for projectors: larger text and plots, the page scrolls. */
  present?: boolean;
  /** The tfjs backend asked for (a link or the menu); absent = the fastest measured here. */
  backend?: LinkBackend;
  /** Threads sharing each training step (1–MAX_PAGE_THREADS); absent = one fewer than the cores. */
  threads?: number;
}

/** tfjs backends a link may ask for (the worker's names). */
export const LINK_BACKENDS: readonly BackendName[] = BACKEND_ORDER;
export type LinkBackend = BackendName;

export interface ShareState {
  config: ExperimentConfig;
  /** The preset the state started from (gallery highlight; shipped weights). */
  preset?: string;
  /** Start from the preset's shipped weights rather than from the initial parameters. */
  weights: boolean;
  /** Training steps taken from that start; opening the link replays them. */
  trained: number;
  /** One entry per modulation component (length K; empty for models without s). */
  ablation: Ablation;
  view: ShareView;
  hide: ClassroomControl[];
  lock: ClassroomControl[];
}

export interface ShareNotice {
  key: string;
  kind: 'clamped' | 'invalid' | 'unknown' | 'version' | 'malformed';
  message: string;
}

export const DEFAULT_VIEW: ShareView = { tab: 'output', align: 'go', pcaDims: 2 };

/** Largest trial step an ablation window may name (no task is longer). */
export const MAX_WINDOW_STEP = 1000;
export const MAX_TRIAL_INDEX = 999;
export const MAX_TRAINED = 1_000_000;
export const EPS_BOUNDS: readonly [number, number] = [1e-12, 1e-2];

/** Modulation components a config's model has (K = R for the NM-RNN, none otherwise). */
export function componentCount(config: ExperimentConfig): number {
  return config.model.kind === 'nmrnn' ? config.model.R : 0;
}

export { offComponent };

/** The state with no link: the default experiment, intact, default view. */
export function defaultShareState(config: ExperimentConfig = DEFAULT_EXPERIMENT): ShareState {
  return {
    config: structuredClone(config),
    weights: false,
    trained: 0,
    ablation: fitAblation([], componentCount(config)),
    view: structuredClone(DEFAULT_VIEW),
    hide: [],
    lock: [],
  };
}
