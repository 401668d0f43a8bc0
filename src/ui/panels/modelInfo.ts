/**
 * Model-panel logic without React: which size fields apply to a model kind, the live parameter
 * count, and matching N to a parameter budget. Imports the models' config module directly (not
 * the models index) so the page does not pull tfjs onto the main thread.
 */
import type { ExperimentConfig, ModelSettings } from '../../core/config/schema';
import { BOUNDS } from '../../core/config/schema';
import { resolveModelConfig } from '../../core/experiment';
import { matchHiddenSize, paramCount, validateModelConfig } from '../../core/models/config';
import type { ModelKind } from '../../core/models/types';

export type SizeField = 'N' | 'R' | 'M' | 'tauX' | 'tauZ';

export const KIND_LABELS: Record<ModelKind, string> = {
  nmrnn: 'NM-RNN',
  lrrnn: 'Low-rank RNN',
  rnn: 'Vanilla RNN',
  lstm: 'LSTM',
};

export const FIELD_INFO: Record<
  SizeField,
  { label: string; aria: string; integer: boolean; hint: string }
> = {
  N: { label: 'N', aria: 'Hidden units N', integer: true, hint: 'units of the output network x' },
  R: { label: 'R', aria: 'Rank R', integer: true, hint: 'rank of the recurrence (K = R)' },
  M: { label: 'M', aria: 'NM units M', integer: true, hint: 'units of the NM subnetwork z' },
  tauX: {
    label: 'τx',
    aria: 'Time constant τx',
    integer: false,
    hint: 'time constant of x (steps)',
  },
  tauZ: {
    label: 'τz',
    aria: 'Time constant τz',
    integer: false,
    hint: 'time constant of z (steps)',
  },
};

/** The size fields that mean something for `kind` (docs/SCIENCE.md §1). */
export function fieldsFor(kind: ModelKind): SizeField[] {
  switch (kind) {
    case 'nmrnn':
      return ['N', 'R', 'M', 'tauX', 'tauZ'];
    case 'lrrnn':
      return ['N', 'R', 'tauX'];
    case 'rnn':
      return ['N', 'tauX'];
    case 'lstm':
      return ['N'];
  }
}

/** Trainable parameters of the config, or an error message when the sizes do not make a model. */
export function modelParamCount(config: ExperimentConfig): { count: number } | { error: string } {
  try {
    return { count: paramCount(validateModelConfig(resolveModelConfig(config))) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** The N (within BOUNDS.N) whose parameter count first reaches `target`, other sizes kept. */
export function matchedN(
  config: ExperimentConfig,
  target: number,
): { N: number; count: number } | { error: string } {
  try {
    const base = resolveModelConfig(config);
    const N = matchHiddenSize(config.model.kind, target, base);
    if (N > BOUNDS.N[1]) {
      return {
        error: `matching ${target} parameters needs N = ${N}, above the limit ${BOUNDS.N[1]}`,
      };
    }
    return { N, count: paramCount({ ...base, N }) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/** A model-settings change, with K-dependent fields left alone. */
export function withField(model: ModelSettings, field: SizeField, value: number): ModelSettings {
  return { ...model, [field]: value };
}
