/**
 * Pure edits of an Ablation (one entry per s component): each returns a new array, so the store
 * can compare by identity and the URL codec sees exactly what the user set.
 */
import type { Ablation, ComponentAblation } from '../../core/models/types';
import {
  ablatedComponents,
  ablationValueRange,
  fitAblation,
  OFF,
} from '../../core/models/ablation';

export type AblationMode = ComponentAblation['mode'];

export { OFF };

/** The value slider's range (the engine's rule). */
export const valueRange = ablationValueRange;

/** Exactly K entries (the engine's rule). */
export const normalizeAblation = fitAblation;

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

/**
 * The steps a window may span: the trial [0, T] when it counts from trial start; when it counts
 * from a cue, anywhere from a whole trial before the cue to a whole trial after it.
 */
export function windowBounds(anchor: string | undefined, T: number): [number, number] {
  return anchor ? [-(T - 1), T] : [0, T];
}

/**
 * Set or clear component k's window [t0, t1), keeping t0 < t1 inside windowBounds. `to.anchor` is
 * the cue it counts from (undefined: trial start); without `to`, the component keeps its own.
 */
export function setWindow(
  ablation: Ablation,
  k: number,
  window: [number, number] | undefined,
  T: number,
  to?: { anchor: string | undefined },
): Ablation {
  const cur = ablation[k] ?? OFF;
  const anchor = to ? to.anchor : cur.anchor;
  const { window: _w, anchor: _a, ...rest } = cur;
  if (!window) return replace(ablation, k, rest);
  const [lo, hi] = windowBounds(anchor, T);
  const t0 = Math.round(clamp(window[0], [lo, hi - 1]));
  const t1 = Math.round(clamp(window[1], [t0 + 1, hi]));
  return replace(ablation, k, { ...rest, window: [t0, t1], ...(anchor ? { anchor } : {}) });
}

/** Count component k's window from another cue; the window restarts at that cue's default. */
export function setWindowAnchor(
  ablation: Ablation,
  k: number,
  anchor: string | undefined,
  T: number,
): Ablation {
  return setWindow(ablation, k, anchor ? [0, Math.min(10, T)] : [0, T], T, { anchor });
}

/**
 * A span dragged on the s(t) plot, in the plot's aligned time: it becomes component k's window,
 * counted from the cue the plot is aligned to. An intact component is clamped to 0 (the paper's
 * ablation) so the drag has a visible effect.
 */
export function windowFromDrag(
  ablation: Ablation,
  k: number,
  span: [number, number],
  anchor: string | undefined,
  T: number,
): Ablation {
  const lo = Math.min(span[0], span[1]);
  const hi = Math.max(span[0], span[1]);
  const moded = (ablation[k] ?? OFF).mode === 'off' ? setMode(ablation, k, 'clamp') : ablation;
  return setWindow(moded, k, [Math.round(lo), Math.max(Math.round(hi), Math.round(lo) + 1)], T, {
    anchor,
  });
}

/** Move one end of the window; the other end yields so the window never becomes empty. */
export function moveWindowEdge(
  ablation: Ablation,
  k: number,
  edge: 'start' | 'end',
  t: number,
  T: number,
): Ablation {
  const anchor = ablation[k]?.anchor;
  const [lo, hi] = windowBounds(anchor, T);
  const [t0, t1] = ablation[k]?.window ?? [lo, hi];
  if (edge === 'start') {
    const s = Math.round(clamp(t, [lo, hi - 1]));
    return setWindow(ablation, k, [s, Math.max(t1, s + 1)], T);
  }
  const e = Math.round(clamp(t, [lo + 1, hi]));
  return setWindow(ablation, k, [Math.min(t0, e - 1), e], T);
}

/** "go−5 … go+20" or "t 40–70": a window in words, from its cue or the trial start. */
export function describeWindow(a: ComponentAblation): string {
  if (!a.window) return 'the whole trial';
  const [t0, t1] = a.window;
  const cue = a.anchor;
  if (!cue) return `t ${t0}–${t1}`;
  const rel = (t: number) => (t === 0 ? cue : `${cue}${t > 0 ? '+' : '−'}${Math.abs(t)}`);
  return `${rel(t0)} … ${rel(t1)}`;
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
  return a.window ? `${name} ${what} during ${describeWindow(a)}` : `${name} ${what}`;
}
