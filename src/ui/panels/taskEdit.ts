/** Task-panel edits without React: interval lists, the cognitive task mix. */
import type { TaskConfig } from '../../core/config/schema';
import { BOUNDS } from '../../core/config/schema';
import type { CognitiveTask } from '../../core/tasks/types';
import { COGNITIVE_TASKS } from '../../core/tasks/types';

/** The checkbox choices: even intervals 4…26, the paper's evaluation set. */
export const INTERVAL_CHOICES: readonly number[] = Array.from({ length: 12 }, (_, i) => 4 + 2 * i);
const MAX_INTERVALS = 20;

/** Toggle one interval, keeping the list sorted and never empty. */
export function toggleInterval(list: readonly number[], I: number, on: boolean): number[] {
  const set = new Set(list);
  if (on) set.add(I);
  else if (set.size > 1) set.delete(I);
  return [...set].sort((a, b) => a - b);
}

/**
 * Parse "12, 14, 16 18" into a sorted list of distinct integer intervals within bounds, or say
 * what is wrong.
 */
export function parseIntervals(text: string): { intervals: number[] } | { error: string } {
  const parts = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) return { error: 'Enter at least one interval.' };
  const [lo, hi] = BOUNDS.mwgInterval;
  const out = new Set<number>();
  for (const p of parts) {
    const v = Number(p);
    if (!Number.isInteger(v) || v < lo || v > hi) {
      return { error: `"${p}" is not a whole number of steps between ${lo} and ${hi}.` };
    }
    out.add(v);
  }
  if (out.size > MAX_INTERVALS) return { error: `At most ${MAX_INTERVALS} intervals.` };
  return { intervals: [...out].sort((a, b) => a - b) };
}

/** Toggle one cognitive task, in context-channel order, never leaving the mix empty. */
export function toggleTask(
  tasks: readonly CognitiveTask[],
  task: CognitiveTask,
  on: boolean,
): CognitiveTask[] {
  const set = new Set(tasks);
  if (on) set.add(task);
  else if (set.size > 1) set.delete(task);
  return COGNITIVE_TASKS.filter((t) => set.has(t));
}

export const FAMILY_LABELS: Record<TaskConfig['family'], string> = {
  mwg: 'Measure-Wait-Go',
  multitask: 'Cognitive tasks',
  eft: 'Element Finder',
};

export const FAMILY_BLURBS: Record<TaskConfig['family'], string> = {
  mwg: 'Timing: measure the interval between two cues, wait, then produce a ramp lasting that interval after the go cue. Trained on a few intervals, tested on shorter and longer ones.',
  multitask:
    'Four delayed-response tasks: report the stimulus angle (Pro) or its opposite (Anti) after fixation ends, with the stimulus on throughout (Delay) or only briefly (Memory). A context input says which task.',
  eft: 'Long-range memory: a query q, then a sequence of numbers; at the end, output the q-th number.',
};
