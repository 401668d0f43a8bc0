/** Building and reading model files for the CLI (the same format the page imports and exports). */
import type { ExperimentConfig } from '../core/config/schema';
import { parseExperiment } from '../core/config/schema';
import type { ParamArrays } from '../core/models/types';
import type { Metrics } from '../core/experiment';

import type { CreatedWith } from '../core/io/modelFile';

export function createdWith(steps: number): CreatedWith {
  return { app: 'nmrnn-playground cli', version: '0.1.0', steps, date: new Date().toISOString() };
}

/** JSON has no NaN: a metric undefined for this model (a ramp never reached, say) is null. */
export function jsonSafeMetrics(metrics: Record<string, number>): Record<string, number | null> {
  return Object.fromEntries(
    Object.entries(metrics).map(([k, v]) => [k, Number.isFinite(v) ? v : null]),
  );
}

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
