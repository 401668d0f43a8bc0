/**
 * The model file (DESIGN.md §2): one JSON document holding a model's configuration, every parameter
 * (row-major, with its shape), the metrics it reached, the seeds it came from and what made it.
 *
 * Import is the app's only door for untrusted data, so `parseModelFile` checks everything in the
 * order a user can act on (size, syntax, format, version, config, each parameter) and stops at the
 * first problem with a message that names it. The round trip is bit-exact: each float32 is written
 * as the shortest decimal that reads back to the same float32.
 */
import { z } from 'zod';
import type { ModelConfig, ParamArrays } from '../models/types';
import type { Seeds } from '../random';
import { paramSpecs } from '../models/paramSpecs';
import { validateModelConfig } from '../models/config';

export const MODEL_FILE_FORMAT = 'nmrnn-playground/model';
export const MODEL_FILE_VERSION = 1;
export const SUPPORTED_VERSIONS: readonly number[] = [1];
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

/** A metric may be missing (NaN, written as null) or grouped per evaluation set. */
export type MetricValue = number | null;
export type ModelMetrics = Record<string, MetricValue | Record<string, MetricValue>>;

/** Opaque JSON (validated elsewhere, e.g. by the experiment schema). */
export type JsonObject = { [key: string]: unknown };

/** ModelConfig plus the experiment it was trained in, if any. */
export type ModelFileConfig = ModelConfig & { experiment?: JsonObject };

export interface CreatedWith {
  app: string;
  version: string;
  /** Training steps taken, if known. */
  steps?: number;
  /** ISO date of export. */
  date?: string;
  [extra: string]: unknown;
}

/**
 * How the model got here, small enough to ship with a preset: the training loss averaged over
 * blocks of `lossBlock` steps, and the evaluation metrics at a few hundred steps.
 */
export interface ModelHistory {
  lossBlock: number;
  loss: (number | null)[];
  evals: { step: number; metrics: Record<string, number | null> }[];
}

/**
 * Everything beyond the weights that a saved playground session needs to continue exactly where it
 * was: the step, the optimiser's moments, the loss and evaluation curves as the page held them, and
 * the page's own state (view, ablation, preset: checked by the page when read back).
 */
export interface SessionRecord {
  step: number;
  optimizer?: {
    options: Record<string, unknown>;
    counts: Record<string, number>;
    m: Record<string, { shape: number[]; data: number[] }>;
    v: Record<string, { shape: number[]; data: number[] }>;
  };
  loss: { step: number; loss: number }[];
  evals: { step: number; metrics: Record<string, number | null> }[];
  page?: Record<string, unknown>;
}

export interface ModelFileContents {
  config: ModelFileConfig;
  params: ParamArrays;
  metrics: ModelMetrics;
  seeds: Seeds;
  createdWith: CreatedWith;
  history?: ModelHistory;
  session?: SessionRecord;
}

const int = (lo: number, hi: number) => z.number().int().min(lo).max(hi);
const timeConstant = z.number().positive().max(100_000);

const configSchema = z
  .object({
    kind: z.enum(['nmrnn', 'lrrnn', 'rnn', 'lstm']),
    N: int(1, 1024),
    R: int(0, 256),
    M: int(0, 1024),
    U: int(1, 256),
    Ux: int(1, 256),
    O: int(1, 256),
    tauX: timeConstant,
    tauZ: timeConstant,
    feedback: z.boolean(),
    orthonormalize: z.boolean(),
    recurrentScale: z.enum(['one', 'invN']),
    readoutBias: z.boolean(),
    init: z.enum(['paper', 'eft']),
    activation: z.enum(['tanh', 'linear']).optional(),
    symmetric: z.boolean().optional(),
    experiment: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.Ux > c.U) ctx.addIssue({ code: 'custom', path: ['Ux'], message: `must be ≤ U (${c.U})` });
    if ((c.kind === 'nmrnn' || c.kind === 'lrrnn') && c.R < 1) {
      ctx.addIssue({ code: 'custom', path: ['R'], message: `must be ≥ 1 for a ${c.kind} model` });
    }
    if (c.kind === 'nmrnn' && c.M < 1) {
      ctx.addIssue({ code: 'custom', path: ['M'], message: 'must be ≥ 1 for an nmrnn model' });
    }
  });

const metricValue = z.number().nullable();
const fileSchema = z.object({
  config: z.unknown(),
  params: z.record(
    z.string(),
    z.object({ shape: z.array(z.unknown()), data: z.array(z.unknown()) }),
  ),
  metrics: z.record(z.string(), z.union([metricValue, z.record(z.string(), metricValue)])),
  seeds: z.object({ init: int(0, 2 ** 32 - 1), data: int(0, 2 ** 32 - 1) }),
  createdWith: z.looseObject({
    app: z.string(),
    version: z.string(),
    steps: z.number().int().min(0).optional(),
    date: z.string().optional(),
  }),
  history: z
    .object({
      lossBlock: z.number().int().min(1),
      loss: z.array(z.number().nullable()).max(100_000),
      evals: z
        .array(
          z.object({ step: z.number().int().min(0), metrics: z.record(z.string(), metricValue) }),
        )
        .max(10_000),
    })
    .optional(),
  session: z
    .object({
      step: z.number().int().min(0),
      optimizer: z
        .object({
          options: z.record(z.string(), z.unknown()),
          counts: z.record(z.string(), z.number().int().min(0)),
          m: z.record(
            z.string(),
            z.object({ shape: z.array(z.number().int()), data: z.array(z.number()) }),
          ),
          v: z.record(
            z.string(),
            z.object({ shape: z.array(z.number().int()), data: z.array(z.number()) }),
          ),
        })
        .optional(),
      loss: z.array(z.object({ step: z.number(), loss: z.number() })).max(100_000),
      evals: z
        .array(z.object({ step: z.number(), metrics: z.record(z.string(), metricValue) }))
        .max(100_000),
      page: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});

/** JSON.stringify replacer: JSON has no NaN or ±Infinity, so they are written as null. */
export function nonFiniteAsNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

const HISTORY_PLACEHOLDER = '\u0000history\u0000';
const SESSION_PLACEHOLDER = '\u0000session\u0000';

/** The document as a string: top level indented, each parameter's data on one line. */
export function serializeModel(contents: ModelFileContents): string {
  const shapes = expectedParamShapes(contents.config);
  const names = Object.keys(shapes);
  for (const name of Object.keys(contents.params)) {
    if (!(name in shapes)) throw new Error(`serializeModel: unexpected parameter "${name}"`);
  }
  const paramLines = names.map((name) => {
    const p = contents.params[name];
    if (!p) throw new Error(`serializeModel: parameter "${name}" is missing`);
    const values = Array.from(p.data, (x, i) => {
      if (!Number.isFinite(x)) {
        throw new Error(`serializeModel: parameter "${name}" has ${x} at index ${i}`);
      }
      return float32ToJson(x);
    });
    return `    ${JSON.stringify(name)}: {"shape": ${JSON.stringify(p.shape)}, "data": [${values.join(',')}]}`;
  });
  const metrics = JSON.parse(JSON.stringify(contents.metrics, nonFiniteAsNull)) as ModelMetrics;
  const head = {
    format: MODEL_FILE_FORMAT,
    version: MODEL_FILE_VERSION,
    config: contents.config,
  };
  const tail = {
    metrics,
    seeds: contents.seeds,
    createdWith: contents.createdWith,
    ...(contents.history ? { history: HISTORY_PLACEHOLDER } : {}),
    ...(contents.session ? { session: SESSION_PLACEHOLDER } : {}),
  };
  const headText = JSON.stringify(head, null, 2).slice(0, -2); // drop "\n}"
  let tailText = JSON.stringify(tail, null, 2).slice(1); // drop "{"
  // History and session each go on one line: a preset's curves would otherwise be thousands.
  for (const [placeholder, value] of [
    [HISTORY_PLACEHOLDER, contents.history],
    [SESSION_PLACEHOLDER, contents.session],
  ] as const) {
    if (value) {
      tailText = tailText.replace(
        JSON.stringify(placeholder),
        JSON.stringify(value, nonFiniteAsNull),
      );
    }
  }
  return `${headText},\n  "params": {\n${paramLines.join(',\n')}\n  },${tailText}\n`;
}

export interface ParseOptions {
  maxBytes?: number;
}

export function parseModelFile(text: string, opts: ParseOptions = {}): ModelFileContents {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const bytes = utf8Length(text);
  if (bytes > maxBytes) {
    throw new ModelFileError(
      `model file is too large: ${formatBytes(bytes)} (limit ${formatBytes(maxBytes)})`,
    );
  }

  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ModelFileError(`model file is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new ModelFileError('model file is not a JSON object');
  }
  const top = doc as Record<string, unknown>;
  if (top.format !== MODEL_FILE_FORMAT) {
    throw new ModelFileError(
      `not an NM-RNN Playground model file: "format" is ${describe(top.format)}, expected "${MODEL_FILE_FORMAT}"`,
    );
  }
  if (typeof top.version !== 'number' || !SUPPORTED_VERSIONS.includes(top.version)) {
    throw new ModelFileError(
      `unsupported model file version ${describe(top.version)} (this app reads version ${SUPPORTED_VERSIONS.join(', ')})`,
    );
  }

  const configResult = configSchema.safeParse(top.config);
  if (!configResult.success) {
    throw new ModelFileError(`invalid model config: ${issueText(configResult.error, 'config')}`);
  }
  const config = configResult.data as ModelFileConfig;
  try {
    validateModelConfig(config);
  } catch (e) {
    throw new ModelFileError(`invalid model config: ${(e as Error).message}`);
  }

  const shell = fileSchema.safeParse(top);
  if (!shell.success) throw new ModelFileError(`invalid model file: ${issueText(shell.error)}`);

  const params = checkParams(config, shell.data.params);
  return {
    config,
    params,
    metrics: shell.data.metrics,
    seeds: shell.data.seeds,
    createdWith: shell.data.createdWith as CreatedWith,
    ...(shell.data.history ? { history: shell.data.history } : {}),
    ...(shell.data.session ? { session: shell.data.session as SessionRecord } : {}),
  };
}

function checkParams(
  config: ModelConfig,
  raw: Record<string, { shape: unknown[]; data: unknown[] }>,
): ParamArrays {
  const expected = expectedParamShapes(config);
  for (const name of Object.keys(raw)) {
    if (!(name in expected)) {
      throw new ModelFileError(`unknown parameter "${name}" for a ${config.kind} model`);
    }
  }
  const out: ParamArrays = {};
  for (const [name, shape] of Object.entries(expected)) {
    const p = raw[name];
    if (!p) throw new ModelFileError(`parameter "${name}" is missing (expected shape [${shape}])`);
    const sameShape = p.shape.length === shape.length && p.shape.every((d, i) => d === shape[i]);
    if (!sameShape) {
      throw new ModelFileError(
        `parameter "${name}" has shape ${JSON.stringify(p.shape)}, expected [${shape}]`,
      );
    }
    const size = shape.reduce((a, b) => a * b, 1);
    if (p.data.length !== size) {
      throw new ModelFileError(
        `parameter "${name}" has ${p.data.length} values, expected ${size} for shape [${shape}]`,
      );
    }
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const v = p.data[i];
      const f = typeof v === 'number' ? Math.fround(v) : NaN;
      if (!Number.isFinite(f)) {
        throw new ModelFileError(
          `parameter "${name}" value at index ${i} is not a finite float32 number (${describe(v)})`,
        );
      }
      data[i] = f;
    }
    out[name] = { shape: [...shape], data };
  }
  return out;
}

/**
 * The shortest decimal that reads back as the same float32 (at most 9 significant digits). Negative
 * zero is kept as "-0" so the round trip is bit-exact.
 */
/** Name → shape of every parameter `config`'s model has (the models module is the authority). */
export function expectedParamShapes(config: ModelConfig): Record<string, number[]> {
  return Object.fromEntries(paramSpecs(config).map((s) => [s.name, s.shape]));
}

function float32ToJson(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const f = Math.fround(x);
  for (let p = 1; p < 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(Number(f.toPrecision(9)));
}

/** Bytes the text takes as UTF-8, counted without encoding it (files can be large). */
function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB (${n} bytes)`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB (${n} bytes)`;
  return `${n} bytes`;
}

function describe(v: unknown): string {
  if (v === undefined) return 'missing';
  if (typeof v === 'number') return String(v);
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function issueText(error: z.ZodError, prefix?: string): string {
  const issue = error.issues[0];
  const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
