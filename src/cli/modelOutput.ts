/**
 * The CLI's side of model files (writing and the app's stamp are core/io/experimentFile.ts): which
 * experiment a file was trained under.
 */
import type { ExperimentConfig } from '../core/config/schema';
import { parseExperiment } from '../core/config/schema';

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
