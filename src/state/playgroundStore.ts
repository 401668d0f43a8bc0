/**
 * The shareable state of the playground (everything a link carries): the experiment config, the
 * preset it came from, the ablation, the view and the classroom flags. One store, because the URL
 * codec reads and writes it as one object (src/core/config/shareCodec.ts).
 */
import { create } from 'zustand';
import type { ExperimentConfig } from '../core/config/schema';
import type { Ablation } from '../core/models/types';
import {
  componentCount,
  defaultShareState,
  offComponent,
  type ShareState,
  type ShareView,
} from '../core/config/shareCodec';

interface PlaygroundState extends ShareState {
  /** Replace the whole state (startup from a link). */
  load: (state: ShareState) => void;
  /** A new config; the ablation is resized to the new model's component count. */
  setConfig: (config: ExperimentConfig, origin?: { preset?: string; weights?: boolean }) => void;
  setAblation: (ablation: Ablation) => void;
  setView: (patch: Partial<ShareView>) => void;
}

/** `ablation` with exactly `K` entries: extra ones dropped, missing ones off. */
export function fitAblation(ablation: Ablation, K: number): Ablation {
  return Array.from({ length: K }, (_, k) => ablation[k] ?? offComponent());
}

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
