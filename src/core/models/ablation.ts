/**
 * Turning an `Ablation` (per component: off / clamp / scale, optionally in a window) into the
 * per-step multiplier and adder that every scan applies as s'_t = s_t · mul_t + add_t.
 */
import type { Ablation, ComponentAblation } from './types';
import type { AblationArrays } from './scanTypes';

/** An intact component (what every component is until the user ablates it). */
export const OFF: Readonly<ComponentAblation> = Object.freeze({ mode: 'off', value: 0 });

/** A fresh intact entry (a copy, so callers may extend it). */
export const offComponent = (): ComponentAblation => ({ mode: 'off', value: 0 });

/** The range of an ablation's value: a clamp level in [0, 1] (s is a sigmoid) or a gain in [0, 2]. */
export function ablationValueRange(mode: ComponentAblation['mode']): [number, number] {
  return mode === 'scale' ? [0, 2] : [0, 1];
}

/** Exactly K entries: missing ones are intact, extra ones (after K shrank) are dropped. */
export function fitAblation(ablation: Ablation | undefined, K: number): Ablation {
  return Array.from({ length: K }, (_, k) => ablation?.[k] ?? offComponent());
}

/**
 * Whether a component's ablation changes s at all: 'off' does not, and neither does a scale of
 * exactly 1. The one answer the engine, the worker and the page use.
 */
export function isComponentAblated(a: ComponentAblation | undefined): boolean {
  return a !== undefined && (a.mode === 'clamp' || (a.mode === 'scale' && a.value !== 1));
}

/** Indices of the components whose ablation changes s. */
export function ablatedComponents(ablation: Ablation | undefined): number[] {
  return (ablation ?? []).flatMap((a, k) => (isComponentAblated(a) ? [k] : []));
}

/** Per-trial cue times (TrialMeta.cues), for windows that follow a cue. */
export type TrialCues = readonly Readonly<Record<string, number>>[];

/**
 * The steps [t0, t1) a component's window covers in one trial: from trial start, or counted from
 * the window's anchor cue in that trial. A trial without the anchor cue is left intact (an empty
 * span), since there is nothing to count from. Clipped to [0, T).
 */
export function windowSpan(
  a: ComponentAblation,
  T: number,
  cues: Readonly<Record<string, number>> | undefined,
): [number, number] {
  const [w0, w1] = a.window ?? [0, T];
  let offset = 0;
  if (a.window && a.anchor) {
    const at = cues?.[a.anchor];
    if (at === undefined) return [0, 0];
    offset = at;
  }
  return [Math.max(0, Math.floor(w0 + offset)), Math.min(T, Math.ceil(w1 + offset))];
}

/**
 * Row-major [B, T, K] arrays. Components beyond `ablation.length` are left alone; entries beyond K
 * are ignored; windows are clipped to the trial. `cues` (one record per trial) places anchored
 * windows; without it an anchored window leaves every trial intact.
 */
export function ablationArrays(
  ablation: Ablation | undefined,
  B: number,
  T: number,
  K: number,
  cues?: TrialCues,
): AblationArrays {
  const mul = new Float32Array(B * T * K).fill(1);
  const add = new Float32Array(B * T * K);
  const n = Math.min(K, ablation?.length ?? 0);
  for (let k = 0; k < n; k++) {
    const a = ablation![k];
    if (a.mode === 'off') continue;
    for (let b = 0; b < B; b++) {
      const [t0, t1] = windowSpan(a, T, cues?.[b]);
      for (let t = t0; t < t1; t++) {
        const i = (b * T + t) * K + k;
        mul[i] = a.mode === 'clamp' ? 0 : a.value;
        add[i] = a.mode === 'clamp' ? a.value : 0;
      }
    }
  }
  return { mul, add };
}

/** True when the arrays change nothing (every mul 1, every add 0), so a scan can skip them. */
export function isIdentityAblation(a: AblationArrays): boolean {
  for (let i = 0; i < a.mul.length; i++) if (a.mul[i] !== 1 || a.add[i] !== 0) return false;
  return true;
}

/** Whether step t of [B, T, K] arrays changes anything in any trial. */
export function ablationActiveAt(
  a: AblationArrays,
  t: number,
  B: number,
  T: number,
  K: number,
): boolean {
  for (let b = 0; b < B; b++) {
    const i0 = (b * T + t) * K;
    for (let i = i0; i < i0 + K; i++) if (a.mul[i] !== 1 || a.add[i] !== 0) return true;
  }
  return false;
}

/** Step t of [B, T, K] arrays as [B, K] rows (what one step of a scan multiplies s by). */
export function ablationStep(
  a: AblationArrays,
  t: number,
  B: number,
  T: number,
  K: number,
): AblationArrays {
  const mul = new Float32Array(B * K);
  const add = new Float32Array(B * K);
  for (let b = 0; b < B; b++) {
    const i0 = (b * T + t) * K;
    mul.set(a.mul.subarray(i0, i0 + K), b * K);
    add.set(a.add.subarray(i0, i0 + K), b * K);
  }
  return { mul, add };
}
