/**
 * Static description of a task family's shapes and channel names, so plots and model configs can
 * be built without generating a batch.
 */
import { COGNITIVE_TASKS } from './types';
import type { TaskFamily } from './types';
import { MWG_CUES, MWG_INPUT_CHANNELS, MWG_OUTPUT_CHANNELS, resolveMwgOptions } from './mwg';
import type { MwgOptions } from './mwg';
import {
  COGNITIVE_CUES,
  COGNITIVE_OUTPUT_CHANNELS,
  COGNITIVE_T,
  COGNITIVE_TASK_INPUTS,
} from './cognitive';
import type { CognitiveOptions } from './cognitive';
import { EFT_CUES, EFT_INPUT_CHANNELS, EFT_OUTPUT_CHANNELS, resolveEftOptions } from './eft';
import type { EftOptions } from './eft';

export interface TaskDescription {
  family: TaskFamily;
  /** All input channels. */
  U: number;
  /** Input channels that reach the output network x (the first Ux; the rest reach only z). */
  Ux: number;
  O: number;
  T: number;
  inputNames: string[];
  outputNames: string[];
  /** Keys of TrialMeta.cues this family may set (stimOff only on Memory trials). */
  cueNames: string[];
}

export interface TaskFamilyOptions {
  mwg?: Partial<MwgOptions>;
  cognitive?: CognitiveOptions;
  eft?: Partial<EftOptions>;
}

export function describeTask(family: TaskFamily, opts: TaskFamilyOptions = {}): TaskDescription {
  switch (family) {
    case 'mwg': {
      const o = resolveMwgOptions(opts.mwg);
      return {
        family,
        U: MWG_INPUT_CHANNELS.length,
        Ux: MWG_INPUT_CHANNELS.length,
        O: MWG_OUTPUT_CHANNELS.length,
        T: o.T,
        inputNames: [...MWG_INPUT_CHANNELS],
        outputNames: [...MWG_OUTPUT_CHANNELS],
        cueNames: [...MWG_CUES],
      };
    }
    case 'multitask': {
      const contexts = opts.cognitive?.contexts ?? COGNITIVE_TASKS;
      const inputNames = [...COGNITIVE_TASK_INPUTS, ...contexts.map((t) => `context ${t}`)];
      return {
        family,
        U: inputNames.length,
        Ux: COGNITIVE_TASK_INPUTS.length,
        O: COGNITIVE_OUTPUT_CHANNELS.length,
        T: opts.cognitive?.T ?? COGNITIVE_T,
        inputNames,
        outputNames: [...COGNITIVE_OUTPUT_CHANNELS],
        cueNames: [...COGNITIVE_CUES],
      };
    }
    case 'eft': {
      const o = resolveEftOptions(opts.eft);
      return {
        family,
        U: EFT_INPUT_CHANNELS.length,
        Ux: EFT_INPUT_CHANNELS.length,
        O: EFT_OUTPUT_CHANNELS.length,
        T: o.length + 1,
        inputNames: [...EFT_INPUT_CHANNELS],
        outputNames: [...EFT_OUTPUT_CHANNELS],
        cueNames: [...EFT_CUES],
      };
    }
  }
}
