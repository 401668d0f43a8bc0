/**
 * One colour and legend label per trial condition, the same in every panel: MWG intervals on the
 * sequential ramp (short → long reads as dark → light, and the trained range sits visibly in the
 * middle), cognitive tasks and s components in Okabe–Ito categorical colours, EFT query positions
 * on the sequential ramp.
 */
import type { TaskFamily, TrialMeta } from '../../core/tasks/types';
import { COGNITIVE_TASK_LABELS, COGNITIVE_TASKS } from '../../core/tasks/types';
import type { Symbol2d } from './figure';
import { categorical, sequential, type PlotTheme } from '../palette';

/** The top of the ramp is a yellow that vanishes on a white background, so stop short of it. */
const RAMP_MAX = 0.88;

export const TASK_LABELS = COGNITIVE_TASK_LABELS;

export const GROUP_LABELS = {
  short: 'shorter',
  trained: 'trained',
  long: 'longer',
} as const;

export interface ConditionStyle {
  color: (condition: number) => string;
  label: (condition: number) => string;
  /** Legend group of a trial (MWG: short/trained/long; otherwise the condition). */
  group: (meta: TrialMeta) => string;
}

export function conditionStyle(
  family: TaskFamily | undefined,
  meta: readonly TrialMeta[],
  theme?: Pick<PlotTheme, 'rampStart'>,
): ConditionStyle {
  const start = theme?.rampStart ?? 0;
  const conds = meta.map((m) => m.condition);
  const lo = conds.length ? Math.min(...conds) : 0;
  const hi = conds.length ? Math.max(...conds) : 1;
  const ramp = (c: number) =>
    sequential(
      start + (hi > lo ? ((c - lo) / (hi - lo)) * (RAMP_MAX - start) : 0.5 * (RAMP_MAX - start)),
    );
  switch (family) {
    case 'multitask':
      return {
        color: (c) => categorical(c),
        label: (c) => TASK_LABELS[COGNITIVE_TASKS[c]] ?? `task ${c}`,
        group: (m) => `task-${m.condition}`,
      };
    case 'eft':
      return { color: ramp, label: (c) => `q=${c}`, group: (m) => `q-${m.condition}` };
    default:
      return { color: ramp, label: (c) => `I=${c}`, group: (m) => m.group ?? 'trained' };
  }
}

/** `#rrggbb` or `rgb(r, g, b)` at the given opacity, for fills and ghosts of a series colour. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(color);
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`;
  return color;
}

/** Opacity of the intact model's traces when an ablated run is drawn over them. */
export const GHOST_OPACITY = 0.25;

/** Marker symbols per cue name, so a cue reads the same in every plot. */
export const CUE_SYMBOLS: Record<string, Symbol2d> = {
  measure: 'circle',
  set: 'square',
  go: 'triangle-up',
  stimOn: 'circle',
  stimOff: 'square',
  fixOff: 'triangle-up',
  end: 'x',
  query: 'circle',
  element: 'diamond',
  readout: 'triangle-up',
};

export const CUE_LABELS: Record<string, string> = {
  measure: 'measure cue',
  set: 'set (wait) cue',
  go: 'go cue',
  stimOn: 'stimulus on',
  stimOff: 'stimulus off',
  fixOff: 'fixation off',
  end: 'trial end',
  query: 'query',
  element: 'queried element',
  readout: 'readout',
};

export interface LegendEntry {
  /** Whether this condition's trace carries the legend entry. */
  show: boolean;
  /** Legend text (a whole group's name for the condition that represents the group). */
  name: string;
  /** Legend group shared by every condition it stands for, so a click toggles them together. */
  group: string;
}

/**
 * A compact legend: MWG gets one entry per interval group ("trained (12–18)"), cognitive tasks one
 * per task, EFT only the ends of the query ramp (q=0 … q=24), since 12–25 entries would crowd out
 * the plot in a one-third-width panel.
 */
export function legendPlan(
  family: TaskFamily | undefined,
  meta: readonly TrialMeta[],
): (condition: number) => LegendEntry {
  const style = conditionStyle(family, meta);
  if (family === 'multitask') {
    return (c) => ({ show: true, name: style.label(c), group: `cond-${c}` });
  }
  if (family === 'eft') {
    const conds = meta.map((m) => m.condition);
    const lo = Math.min(...conds);
    const hi = Math.max(...conds);
    return (c) => ({ show: c === lo || c === hi, name: style.label(c), group: `cond-${c}` });
  }
  const ranges = new Map<string, [number, number]>();
  for (const m of meta) {
    const g = m.group ?? 'trained';
    const r = ranges.get(g);
    ranges.set(
      g,
      r ? [Math.min(r[0], m.condition), Math.max(r[1], m.condition)] : [m.condition, m.condition],
    );
  }
  const groupOf = new Map(meta.map((m) => [m.condition, m.group ?? 'trained'] as const));
  return (c) => {
    const g = groupOf.get(c) ?? 'trained';
    const [lo, hi] = ranges.get(g) ?? [c, c];
    const label = GROUP_LABELS[g as keyof typeof GROUP_LABELS] ?? g;
    return {
      show: c === lo,
      name: lo === hi ? `${label} (I=${lo})` : `${label} (I=${lo}–${hi})`,
      group: `group-${g}`,
    };
  };
}
