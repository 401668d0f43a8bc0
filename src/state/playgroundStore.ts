/**
 * The shareable state of the playground (everything a link carries): the experiment config, the
 * preset it came from, the ablation, the view and the classroom flags. One store, because the URL
 * codec reads and writes it as one object (src/core/config/shareCodec.ts).
 */
import { create } from 'zustand';
import type { ExperimentConfig } from '../core/config/schema';
import type { Ablation } from '../core/models/types';
import { fitAblation } from '../core/models/ablation';
import {
  componentCount,
  defaultShareState,
  type ShareState,
  type ShareView,
} from './link/shareCodec';

interface PlaygroundState extends ShareState {
  /** Replace the whole state (startup from a link). */
  load: (state: ShareState) => void;
  /** A new config; the ablation is resized to the new model's component count. */
  setConfig: (config: ExperimentConfig, origin?: { preset?: string; weights?: boolean }) => void;
  setAblation: (ablation: Ablation) => void;
  setView: (patch: Partial<ShareView>) => void;
}

/** Exactly K ablation entries (the engine's rule, re-exported for the controller). */
export { fitAblation };

export const usePlayground = create<PlaygroundState>((set) => ({
  ...defaultShareState(),
  load: (state) => set({ ...state }),
  setConfig: (config, origin) =>
    set((s) => ({
      config,
      preset: origin ? origin.preset : s.preset,
      weights: origin?.weights ?? false,
      ablation: fitAblation(s.ablation, componentCount(config)),
    })),
  setAblation: (ablation) =>
    set((s) => ({ ablation: fitAblation(ablation, componentCount(s.config)) })),
  setView: (patch) => set((s) => ({ view: { ...s.view, ...patch } })),
}));

/** The ShareState part of the store (no actions), for encoding. */
export function shareStateOf(s: ShareState): ShareState {
  return {
    config: s.config,
    preset: s.preset,
    weights: s.weights,
    trained: s.trained,
    ablation: s.ablation,
    view: s.view,
    hide: s.hide,
    lock: s.lock,
  };
}
