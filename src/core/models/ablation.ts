/**
 * Turning an `Ablation` (per component: off / clamp / scale, optionally in a window) into the
 * per-step multiplier and adder that every scan applies as s'_t = s_t · mul_t + add_t.
 */
import type { Ablation, ComponentAblation } from './types';
import type { AblationArrays } from './scanTypes';

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

/**
 * Row-major [T, K] arrays. Components beyond `ablation.length` are left alone; entries beyond K
 * are ignored; windows are clipped to [0, T).
 */
export function ablationArrays(
  ablation: Ablation | undefined,
  T: number,
  K: number,
): AblationArrays {
  const mul = new Float32Array(T * K).fill(1);
  const add = new Float32Array(T * K);
  const n = Math.min(K, ablation?.length ?? 0);
  for (let k = 0; k < n; k++) {
    const a = ablation![k];
    if (a.mode === 'off') continue;
    const [w0, w1] = a.window ?? [0, T];
    const t0 = Math.max(0, Math.floor(w0));
    const t1 = Math.min(T, Math.ceil(w1));
    for (let t = t0; t < t1; t++) {
      mul[t * K + k] = a.mode === 'clamp' ? 0 : a.value;
      add[t * K + k] = a.mode === 'clamp' ? a.value : 0;
    }
  }
  return { mul, add };
}

/** True when the arrays change nothing (every mul 1, every add 0), so a scan can skip them. */
export function isIdentityAblation(a: AblationArrays): boolean {
  for (let i = 0; i < a.mul.length; i++) if (a.mul[i] !== 1 || a.add[i] !== 0) return false;
  return true;
}

/** Whether step t of [T, K] arrays changes anything. */
export function ablationActiveAt(a: AblationArrays, t: number, K: number): boolean {
  for (let k = t * K; k < (t + 1) * K; k++) if (a.mul[k] !== 1 || a.add[k] !== 0) return true;
  return false;
}
