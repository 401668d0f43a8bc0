/**
 * Between an ExperimentConfig and the model file (core/io/modelFile.ts), which stores the resolved
 * ModelConfig and, optionally, the whole experiment. The page (to show the imported config), the
 * worker (to load the weights), the CLI and the reproduction all read and write files through
 * here, so they agree; the app's name and version are stamped here only. Pure: no tfjs kernels.
 */
import { DEFAULT_EXPERIMENT, parseExperiment, type ExperimentConfig } from '../config/schema';
import { resolveModelConfig, type Metrics } from '../experiment';
import {
  ModelFileError,
  parseModelFile,
  serializeModel,
  type CreatedWith,
  type ModelFileConfig,
  type ModelHistory,
  type SessionRecord,
} from './modelFile';
import type { ModelConfig, ParamArrays } from '../models/types';
import type { OptimizerState } from '../train/optimizer';
import type { TaskFamily } from '../tasks/types';

export const APP_NAME = 'nmrnn-playground';
export const APP_VERSION = '0.1.0';

/** Who wrote a file: the app (and which part of it), its version, the steps trained, when. */
export function createdWith(
  part: string | undefined,
  steps: number,
  extra: Partial<CreatedWith> = {},
): CreatedWith {
  return {
    app: part ? `${APP_NAME} ${part}` : APP_NAME,
    version: APP_VERSION,
    steps,
    date: new Date().toISOString(),
    ...extra,
  };
}

/** JSON has no NaN: a metric undefined for this model (a ramp never reached) is stored as null. */
export function jsonSafe(metrics: Record<string, number>): Record<string, number | null> {
  return Object.fromEntries(
    Object.entries(metrics).map(([k, v]) => [k, Number.isFinite(v) ? v : null]),
  );
}

export interface LoadedModelFile {
  config: ExperimentConfig;
  params: ParamArrays;
  steps?: number;
  /** How the file's model was trained (shipped presets carry it). */
  history?: ModelHistory;
  /** A saved session: optimiser state, exact curves and page state. */
  session?: SessionRecord;
}

/** Which task a bare model config (no experiment recorded) was made for, from its input/output sizes. */
function familyOf(c: ModelConfig): TaskFamily | undefined {
  if (c.U === 3 && c.O === 1) return 'mwg';
  if (c.O === 3) return 'multitask';
  if (c.U === 1 && c.O === 1) return 'eft';
  return undefined;
}

/** Parse and validate a model file; throws ModelFileError with a message for the user. */
export function readModelFile(text: string): LoadedModelFile {
  const contents = parseModelFile(text);
  const file = contents.config;
  let base: ExperimentConfig;
  if (file.experiment) {
    const parsed = parseExperiment(file.experiment);
    if (!parsed.ok) {
      throw new ModelFileError(`the file's experiment settings are invalid: ${parsed.errors[0]}`);
    }
    base = parsed.config;
  } else {
    const family = familyOf(file);
    if (!family) {
      throw new ModelFileError(
        `cannot tell which task a model with ${file.U} inputs and ${file.O} outputs is for`,
      );
    }
    base = { ...structuredClone(DEFAULT_EXPERIMENT), task: { ...DEFAULT_EXPERIMENT.task, family } };
  }
  // The parameters belong to the file's model config, so it wins over the recorded experiment;
  // U, Ux and O follow from the task (checked below).
  const { U: _U, Ux: _Ux, O: _O, experiment: _experiment, ...model } = file;
  const config: ExperimentConfig = {
    ...base,
    model,
    seeds: { init: contents.seeds.init, data: contents.seeds.data },
  };
  const parsed = parseExperiment(config);
  if (!parsed.ok) {
    throw new ModelFileError(
      `the file's model is outside what the playground supports: ${parsed.errors[0]}`,
    );
  }
  const resolved = resolveModelConfig(parsed.config);
  if (resolved.U !== file.U || resolved.Ux !== file.Ux || resolved.O !== file.O) {
    throw new ModelFileError(
      `the model has U=${file.U}, Ux=${file.Ux}, O=${file.O} but its task needs U=${resolved.U}, Ux=${resolved.Ux}, O=${resolved.O}`,
    );
  }
  return {
    config: parsed.config,
    params: contents.params,
    steps: contents.createdWith.steps,
    ...(contents.history ? { history: contents.history } : {}),
    ...(contents.session ? { session: contents.session } : {}),
  };
}

/**
 * Why weights made for experiment `b` cannot run under experiment `a` (a different task or model),
 * or undefined when they can. Training settings and seeds may differ.
 */
export function modelMismatch(a: ExperimentConfig, b: ExperimentConfig): string | undefined {
  if (a.task.family !== b.task.family) return `task ${a.task.family} vs ${b.task.family}`;
  const ma = resolveModelConfig(a);
  const mb = resolveModelConfig(b);
  const keys = new Set([...Object.keys(ma), ...Object.keys(mb)]) as Set<keyof ModelConfig>;
  for (const key of keys) {
    if (ma[key] !== mb[key]) return `${key} ${String(ma[key])} vs ${String(mb[key])}`;
  }
  return undefined;
}

/** The optimiser state as plain JSON arrays (and back), for session files. */
export function optimizerToJson(state: OptimizerState): NonNullable<SessionRecord['optimizer']> {
  const arrays = (r: ParamArrays) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [k, { shape: [...v.shape], data: Array.from(v.data) }]),
    );
  return {
    options: { ...state.options },
    counts: { ...state.counts },
    m: arrays(state.m),
    v: arrays(state.v),
  };
}

export function optimizerFromJson(
  json: NonNullable<SessionRecord['optimizer']>,
  options: OptimizerState['options'],
): OptimizerState {
  const arrays = (r: Record<string, { shape: number[]; data: number[] }>): ParamArrays =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        { shape: [...v.shape], data: Float32Array.from(v.data) },
      ]),
    );
  return { options, counts: { ...json.counts }, m: arrays(json.m), v: arrays(json.v) };
}

export function writeModelFile(args: {
  config: ExperimentConfig;
  params: ParamArrays;
  metrics: Metrics;
  step: number;
  backend: string;
  session?: SessionRecord;
}): string {
  const fileConfig: ModelFileConfig = {
    ...resolveModelConfig(args.config),
    experiment: args.config as unknown as Record<string, unknown>,
  };
  return serializeModel({
    config: fileConfig,
    params: args.params,
    metrics: args.metrics,
    seeds: { ...args.config.seeds },
    createdWith: createdWith(undefined, args.step, { backend: args.backend }),
    ...(args.session ? { session: args.session } : {}),
  });
}
