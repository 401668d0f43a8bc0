/**
 * Opening a model or session file for a configuration in the worker: read and checked before
 * anything is torn down, so a bad file loses nothing. Writing one is RunSlot.writeFile.
 */
import type { ExperimentConfig } from '../core/config/schema';
import type { OptimizerState } from '../core/train/optimizer';
import { resolveOptimizerOptions } from '../core/train/optimizer';
import { trainingOptionsFor } from '../core/experiment';
import {
  modelMismatch,
  optimizerFromJson,
  readModelFile,
  type LoadedModelFile,
} from '../core/io/experimentFile';

export interface OpenedFile {
  loaded: LoadedModelFile;
  /** A saved session's optimiser moments, read with this configuration's optimiser options. */
  optimizer?: OptimizerState;
}

/** Read `text` as a model file for `config`; throws a sentence when it is broken or does not fit. */
export function openModelFile(config: ExperimentConfig, text: string): OpenedFile {
  const loaded = readModelFile(text);
  const mismatch = modelMismatch(config, loaded.config);
  if (mismatch) throw new Error(`the model file does not fit these settings: ${mismatch}`);
  const saved = loaded.session?.optimizer;
  if (!saved) return { loaded };
  const options = resolveOptimizerOptions(trainingOptionsFor(config).optimizer);
  return { loaded, optimizer: optimizerFromJson(saved, options) };
}
