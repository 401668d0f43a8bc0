/**
 * Cue-aligned windows: cut every trial's trace around one of its cues so that trials with different
 * cue times line up (docs/SCIENCE.md §4: MWG s(t) traces go−20 … go+40).
 */
import type { TrialMeta } from '../tasks/types';

/** Half-open window [cue + from, cue + to) in steps relative to the cue. */
export interface CueWindow {
  from: number;
  to: number;
}

/** The MWG window of docs/SCIENCE.md §4, go − 20 … go + 40 inclusive. */
export const MWG_GO_WINDOW: CueWindow = { from: -20, to: 41 };

export interface AlignedWindows {
  /** [B, W, K]; NaN where the window reaches outside the trial (Plotly draws NaN as a gap). */
  data: Float32Array;
  dims: [number, number, number];
  /** Relative time of each window column: from, from + 1, …, to − 1. */
  time: number[];
}

/** data: [B, T, K] row-major; cueTimes: one step index per trial. */
export function alignToCue(
  data: ArrayLike<number>,
  dims: readonly [number, number, number],
  cueTimes: ArrayLike<number>,
  window: CueWindow,
): AlignedWindows {
  const [B, T, K] = dims;
  if (data.length !== B * T * K)
    throw new Error(`data has ${data.length} entries, expected ${B}·${T}·${K}`);
  if (cueTimes.length !== B) throw new Error(`${cueTimes.length} cue times for ${B} trials`);
  const W = window.to - window.from;
  if (!(W > 0) || !Number.isInteger(window.from) || !Number.isInteger(window.to)) {
    throw new Error(`window [${window.from}, ${window.to}) must be a non-empty integer range`);
  }
  const out = new Float32Array(B * W * K).fill(NaN);
  for (let b = 0; b < B; b++) {
    const start = Math.round(cueTimes[b]) + window.from;
    for (let w = 0; w < W; w++) {
      const t = start + w;
      if (t < 0 || t >= T) continue;
      const src = (b * T + t) * K;
      const dst = (b * W + w) * K;
      for (let k = 0; k < K; k++) out[dst + k] = data[src + k];
    }
  }
  const time = Array.from({ length: W }, (_, w) => window.from + w);
  return { data: out, dims: [B, W, K], time };
}

/** Each trial's time of the named cue (e.g. 'go'); throws naming the first trial without it. */
export function cueTimesOf(meta: readonly TrialMeta[], cue: string): number[] {
  return meta.map((m, b) => {
    const t = m.cues[cue];
    if (t === undefined) throw new Error(`trial ${b} (${m.label}) has no "${cue}" cue`);
    return t;
  });
}
