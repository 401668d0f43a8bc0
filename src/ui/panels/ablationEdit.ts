/**
 * Pure edits of an Ablation (one entry per s component): each returns a new array, so the store
 * can compare by identity and the URL codec sees exactly what the user set.
 */
import type { Ablation, ComponentAblation } from '../../core/models/types';
import { ablatedComponents } from '../../core/models/ablation';

export type AblationMode = ComponentAblation['mode'];

export const OFF: ComponentAblation = { mode: 'off', value: 0 };

/** The value slider's range: a clamp level in [0, 1] (s is a sigmoid) or a gain in [0, 2]. */
export function valueRange(mode: AblationMode): [number, number] {
  return mode === 'scale' ? [0, 2] : [0, 1];
}

/** Exactly K entries; missing ones are off, extra ones (after K shrank) are dropped. */
export function normalizeAblation(ablation: Ablation | undefined, K: number): Ablation {
  return Array.from({ length: K }, (_, k) => ablation?.[k] ?? OFF);
}

function replace(ablation: Ablation, k: number, entry: ComponentAblation): Ablation {
  return ablation.map((a, i) => (i === k ? entry : a));
}

const clamp = (v: number, [lo, hi]: [number, number]) => Math.min(hi, Math.max(lo, v));

/**
 * Switch component k's mode. A fresh clamp starts at 0 (the paper's ablation); a fresh scale starts
 * at 0.5 (halving, visibly different from the no-op gain 1).
 */
export function setMode(ablation: Ablation, k: number, mode: AblationMode): Ablation {
  const cur = ablation[k] ?? OFF;
  if (cur.mode === mode) return ablation;
  const value = mode === 'clamp' ? 0 : mode === 'scale' ? 0.5 : cur.value;
  return replace(ablation, k, { ...cur, mode, value: clamp(value, valueRange(mode)) });
}

export function setValue(ablation: Ablation, k: number, value: number): Ablation {
  const cur = ablation[k] ?? OFF;
  return replace(ablation, k, { ...cur, value: clamp(value, valueRange(cur.mode)) });
}

/** Set or clear component k's window [t0, t1) within 0..T, keeping t0 < t1. */
export function setWindow(
  ablation: Ablation,
  k: number,
  window: [number, number] | undefined,
  T: number,
): Ablation {
  const cur = ablation[k] ?? OFF;
  if (!window) {
    const { window: _dropped, ...rest } = cur;
    return replace(ablation, k, rest);
  }
  const t0 = Math.round(clamp(window[0], [0, T - 1]));
  const t1 = Math.round(clamp(window[1], [t0 + 1, T]));
  return replace(ablation, k, { ...cur, window: [t0, t1] });
}

/** Move one end of the window; the other end yields so the window never becomes empty. */
export function moveWindowEdge(
  ablation: Ablation,
  k: number,
  edge: 'start' | 'end',
  t: number,
  T: number,
): Ablation {
  const [t0, t1] = ablation[k]?.window ?? [0, T];
  if (edge === 'start') {
    const s = Math.round(clamp(t, [0, T - 1]));
    return setWindow(ablation, k, [s, Math.max(t1, s + 1)], T);
  }
  const e = Math.round(clamp(t, [1, T]));
  return setWindow(ablation, k, [Math.min(t0, e - 1), e], T);
}

/** Components whose ablation changes s (the engine's rule: a scale of exactly 1 does not). */
export const activeComponents = ablatedComponents;

export function isAblationActive(ablation: Ablation | undefined): boolean {
  return activeComponents(ablation).length > 0;
}

export function resetAblation(K: number): Ablation {
  return Array.from({ length: K }, () => OFF);
}

/** "s2 clamped to 0 during t 40–70", for the readout and the text alternative. */
export function describeComponent(a: ComponentAblation, k: number): string {
  const name = `s${k + 1}`;
  if (a.mode === 'off') return `${name} intact`;
  const what =
    a.mode === 'clamp' ? `clamped to ${a.value.toFixed(2)}` : `scaled by ${a.value.toFixed(2)}`;
  return a.window ? `${name} ${what} during t ${a.window[0]}–${a.window[1]}` : `${name} ${what}`;
}
