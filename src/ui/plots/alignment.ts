/**
 * Aligning trials to a task event, as the paper's s(t) figures do: MWG to the go cue (window
 * go−20 … go+40), cognitive tasks to fixation off, EFT to the queried element or the readout.
 */
import type { TaskFamily, TrialMeta } from '../../core/tasks/types';
import { MWG_GO_WINDOW as CORE_GO_WINDOW } from '../../core/analysis/align';
import type { TraceAlignment } from '../../state/link/shareCodec';

/** The alignments a link can name (the link codec owns the ids). */
export type Alignment = TraceAlignment;

export interface AlignmentOption {
  value: Alignment;
  label: string;
  /** Cue the time axis is measured from (absent: trial start). */
  cue?: string;
  /** Steps shown around the cue, [before, after] (absent: the whole trial). */
  window?: [number, number];
  /** Title of the time axis. */
  axisTitle: string;
}

/** docs/SCIENCE.md §4: s(t) aligned to the go cue over go−20 … go+40 (the engine's window). */
export const MWG_GO_WINDOW: [number, number] = [CORE_GO_WINDOW.from, CORE_GO_WINDOW.to - 1];

const START: AlignmentOption = { value: 'start', label: 'Trial start', axisTitle: 'time step' };

export function alignmentOptions(family: TaskFamily | undefined): AlignmentOption[] {
  switch (family) {
    case 'mwg':
      return [
        START,
        {
          value: 'go',
          label: 'Go cue',
          cue: 'go',
          window: MWG_GO_WINDOW,
          axisTitle: 'steps from go cue',
        },
      ];
    case 'multitask':
      return [
        START,
        {
          value: 'fixOff',
          label: 'Fixation off',
          cue: 'fixOff',
          axisTitle: 'steps from fixation off',
        },
      ];
    case 'eft':
      return [
        START,
        {
          value: 'element',
          label: 'Queried element',
          cue: 'element',
          axisTitle: 'steps from queried element',
        },
        {
          value: 'readout',
          label: 'Readout (end)',
          cue: 'readout',
          axisTitle: 'steps from readout',
        },
      ];
    default:
      return [START];
  }
}

/** The option for `alignment`, or trial start when that alignment does not fit the family. */
export function resolveAlignment(
  family: TaskFamily | undefined,
  alignment: Alignment,
): AlignmentOption {
  return alignmentOptions(family).find((o) => o.value === alignment) ?? START;
}

/** Time step of the alignment cue in this trial (0 for trial start or a missing cue). */
export function alignOffset(meta: TrialMeta, option: AlignmentOption): number {
  return option.cue ? (meta.cues[option.cue] ?? 0) : 0;
}

/** The steps of a trial inside the alignment window (`t`) and their aligned times (`x`). */
export function alignedSteps(
  meta: TrialMeta,
  T: number,
  option: AlignmentOption,
): { t: number[]; x: number[] } {
  const offset = alignOffset(meta, option);
  const lo = option.window ? Math.max(0, offset + option.window[0]) : 0;
  const hi = option.window ? Math.min(T - 1, offset + option.window[1]) : T - 1;
  const t: number[] = [];
  const x: number[] = [];
  for (let s = lo; s <= hi; s++) {
    t.push(s);
    x.push(s - offset);
  }
  return { t, x };
}
