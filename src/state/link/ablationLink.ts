/**
 * An ablation in a share link: `k:mode:value`, optionally with a window in trial steps
 * (`@t0-t1`) or counted from one of the task's cues (`@go:-5..20`), components joined by commas.
 */
import type { Ablation, ComponentAblation } from '../../core/models/types';
import { ablationValueRange, fitAblation } from '../../core/models/ablation';
import { MAX_WINDOW_STEP, type ShareNotice } from './shareState';
import { clampNumber, parseNumber, truncate, type Result } from './linkValues';

export function encodeAblation(ablation: Ablation): string {
  const parts: string[] = [];
  ablation.forEach((a, k) => {
    if (!a || (a.mode === 'off' && a.value === 0 && !a.window)) return;
    const win = !a.window
      ? ''
      : a.anchor
        ? `@${a.anchor}:${a.window[0]}..${a.window[1]}`
        : `@${a.window[0]}-${a.window[1]}`;
    parts.push(`${k}:${a.mode}:${a.value}${win}`);
  });
  return parts.join(',');
}

/**
 * One component's ablation: `k:mode:value`, then optionally a window in trial steps `@t0-t1`, or a
 * window counted from one of the task's cues, `@go:-5..20` (five steps before go to twenty after).
 */
function parseAblationEntry(
  raw: string,
  cues: readonly string[],
): Result<{ k: number; a: ComponentAblation }> {
  const m =
    /^(\d+):(off|clamp|scale):([^@]+)(?:@(\d+)-(\d+)|@([A-Za-z]{1,20}):(-?\d{1,4})\.\.(-?\d{1,4}))?$/.exec(
      raw,
    );
  if (!m) {
    return {
      ok: false,
      error: `"${truncate(raw)}" is not k:mode:value, k:mode:value@t0-t1 or k:mode:value@cue:t0..t1`,
    };
  }
  const k = Number(m[1]);
  const mode = m[2] as ComponentAblation['mode'];
  const value = parseNumber(m[3]);
  if (!value.ok) return value;
  const range = ablationValueRange(mode);
  const clamped = clampNumber(value.value, range, false);
  if (!clamped.ok) return clamped;
  const a: ComponentAblation = { mode, value: clamped.value };
  const notes: string[] = [];
  if (clamped.note) notes.push(`s${k + 1} value ${clamped.note}`);
  const anchored = m[6] !== undefined;
  const w0 = anchored ? m[7] : m[4];
  const w1 = anchored ? m[8] : m[5];
  if (anchored && !cues.includes(m[6])) {
    notes.push(
      `s${k + 1} window counts from "${m[6]}", which this task does not have (it has ${cues.join(', ')}); using the whole trial`,
    );
  } else if (w0 !== undefined && w1 !== undefined) {
    const limit = (v: string) => Math.max(-MAX_WINDOW_STEP, Math.min(Number(v), MAX_WINDOW_STEP));
    const [t0, t1] = [limit(w0), limit(w1)];
    if (t1 > t0) {
      a.window = [t0, t1];
      if (anchored) a.anchor = m[6];
    } else notes.push(`s${k + 1} window ${w0}–${w1} is empty; using the whole trial`);
  }
  return { ok: true, value: { k, a }, note: notes.length ? notes.join('; ') : undefined };
}

export function decodeAblation(
  raw: string | undefined,
  K: number,
  model: string,
  cues: readonly string[],
  notices: ShareNotice[],
): Ablation {
  const out = fitAblation([], K);
  if (raw === undefined || raw === '') return out;
  if (K === 0) {
    notices.push({
      key: 'abl',
      kind: 'invalid',
      message: `abl: a ${model} model has no modulation signal s(t) to ablate; ignored`,
    });
    return out;
  }
  for (const part of raw.split(',')) {
    const r = parseAblationEntry(part, cues);
    if (!r.ok) {
      notices.push({ key: 'abl', kind: 'invalid', message: `abl: ${r.error}; ignored` });
      continue;
    }
    if (r.value.k >= K) {
      notices.push({
        key: 'abl',
        kind: 'invalid',
        message: `abl: component s${r.value.k + 1} does not exist (the model has ${K}); ignored`,
      });
      continue;
    }
    if (r.note) notices.push({ key: 'abl', kind: 'clamped', message: `abl: ${r.note}` });
    out[r.value.k] = r.value.a;
  }
  return out;
}
