/** Building and reading model files for the CLI (the same format the page imports and exports). */
import type { ExperimentConfig } from '../core/config/schema';
import { parseExperiment } from '../core/config/schema';
import type { ParamArrays } from '../core/models/types';
import type { Metrics } from '../core/experiment';

import type { CreatedWith } from '../core/io/modelFile';
import { createdWith as stamp, jsonSafe } from '../core/io/experimentFile';

export function createdWith(steps: number): CreatedWith {
  return stamp('cli', steps);
}

/** JSON has no NaN: undefined metrics are stored as null (core/io/experimentFile). */
export const jsonSafeMetrics = jsonSafe;

/** The experiment a model file was trained under, validated; files without one cannot be evaluated. */
export function experimentOf(config: { experiment?: unknown }, file: string): ExperimentConfig {
  if (config.experiment === undefined) {
    throw new Error(`${file}: the model file has no config.experiment, so its task is unknown`);
  }
  const parsed = parseExperiment(config.experiment);
  if (!parsed.ok) {
    throw new Error(`${file}: config.experiment is invalid: ${parsed.errors.join('; ')}`);
  }
  return parsed.config;
}

export type { ParamArrays, Metrics };
