/**
 * Model instances: tf.Variables built from initial or loaded arrays, and a forward pass that runs
 * the registered fused scan for the active backend when there is one, else the reference scan.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import { paramCount, validateModelConfig } from './config';
import { forwardWith } from './forward';
import { fusedScanFor } from './fusedRegistry';
import { initialArrays } from './init';
import { paramGroups, paramSpecs } from './paramSpecs';
import { lstmScanReference, nmrnnScanReference, rnnScanReference } from './referenceScans';
import type { ScanFns } from './scanTypes';
import type {
  ForwardOptionsWithImpl,
  ForwardResult,
  Model,
  ModelConfig,
  ModelKind,
  ParamArrays,
  ParamGroup,
  Params,
  Trajectories,
} from './types';

export const REFERENCE_SCANS: ScanFns = {
  nmrnn: nmrnnScanReference,
  lrrnn: nmrnnScanReference,
  rnn: rnnScanReference,
  lstm: lstmScanReference,
};

/** The scan `Model.forward` will use for `kind` under `impl` on the active backend. */
export function resolveScan<K extends ModelKind>(
  kind: K,
  impl: ForwardOptionsWithImpl['impl'],
  config: Partial<ModelConfig> = {},
): { scan: ScanFns[K]; impl: 'reference' | 'fused' } {
  const fused = impl === 'reference' ? undefined : fusedScanFor(kind, tf.getBackend(), config);
  return fused
    ? { scan: fused, impl: 'fused' }
    : { scan: REFERENCE_SCANS[kind], impl: 'reference' };
}

/** Distinct tfjs variable names, which the engine requires to be globally unique. */
let modelCounter = 0;

const TRAJECTORY_KEYS = ['x', 'z', 's', 'h', 'c', 'gates'] as const;

class TfModel implements Model {
  readonly config: ModelConfig;
  readonly params: Params;
  readonly groups: Record<ParamGroup, string[]>;

  constructor(config: ModelConfig, arrays: ParamArrays) {
    this.config = { ...config };
    this.groups = paramGroups(config);
    const prefix = `${config.kind}${modelCounter++}`;
    const params: Params = {};
    for (const spec of paramSpecs(config)) {
      const initial = tf.tensor(arrays[spec.name].data, spec.shape, 'float32');
      params[spec.name] = tf.variable(initial, spec.trainable, `${prefix}/${spec.name}`);
      // The variable holds its own reference to the data; the temporary can go.
      initial.dispose();
    }
    this.params = params;
  }

  forward(inputs: tf.Tensor3D, opts: ForwardOptionsWithImpl = {}): ForwardResult {
    const { U } = this.config;
    if (inputs.rank !== 3 || inputs.shape[2] !== U) {
      throw new Error(`model expects inputs [B, T, ${U}], got [${inputs.shape.join(', ')}]`);
    }
    const { scan } = resolveScan(this.config.kind, opts.impl, this.config);
    // tidy takes a flat record of tensors; ForwardResult is rebuilt from it outside.
    const out = tf.tidy(() => {
      const r = forwardWith(this.config, this.params, inputs, opts, scan);
      const flat: Record<string, tf.Tensor> = { y: r.y };
      for (const k of TRAJECTORY_KEYS) {
        const t = r.states[k];
        if (t) flat[k] = t;
      }
      return flat;
    });
    const states: Trajectories = {};
    for (const k of TRAJECTORY_KEYS) if (out[k]) states[k] = out[k] as tf.Tensor3D;
    return { y: out.y as tf.Tensor3D, states };
  }

  paramCount(): number {
    return paramCount(this.config);
  }

  async toArrays(): Promise<ParamArrays> {
    const out: ParamArrays = {};
    for (const [name, v] of Object.entries(this.params)) {
      const data = await v.data();
      out[name] = { shape: [...v.shape], data: Float32Array.from(data as Float32Array) };
    }
    return out;
  }

  dispose(): void {
    for (const v of Object.values(this.params)) v.dispose();
  }
}

/** A freshly initialised model (docs/SCIENCE.md §1 initialisation) drawn from `rng`. */
export function createModel(config: ModelConfig, rng: Rng): Model {
  validateModelConfig(config);
  return new TfModel(config, initialArrays(config, rng));
}

/**
 * A model with the given parameter values. Every parameter of `config` (fixed initial states
 * included) must be present with exactly its shape; unknown names are rejected too, since they
 * mean the arrays belong to a different configuration.
 */
export function modelFromArrays(config: ModelConfig, arrays: ParamArrays): Model {
  validateModelConfig(config);
  checkArrays(config, arrays);
  return new TfModel(config, arrays);
}

/** Throws an Error naming the first parameter whose presence, shape or data length is wrong. */
export function checkArrays(config: ModelConfig, arrays: ParamArrays): void {
  const specs = paramSpecs(config);
  const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;
  for (const spec of specs) {
    const a = arrays[spec.name];
    if (!a)
      throw new Error(`parameter "${spec.name}" is missing (expected shape ${fmt(spec.shape)})`);
    if (a.shape.length !== spec.shape.length || a.shape.some((d, i) => d !== spec.shape[i])) {
      throw new Error(
        `parameter "${spec.name}" has shape ${fmt(a.shape)}, expected ${fmt(spec.shape)}`,
      );
    }
    const size = spec.shape.reduce((x, y) => x * y, 1);
    if (a.data.length !== size) {
      throw new Error(
        `parameter "${spec.name}" has ${a.data.length} values, expected ${size} for shape ${fmt(spec.shape)}`,
      );
    }
  }
  const known = new Set(specs.map((s) => s.name));
  for (const name of Object.keys(arrays)) {
    if (!known.has(name))
      throw new Error(`unexpected parameter "${name}" for a ${config.kind} model`);
  }
}
