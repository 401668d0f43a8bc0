/**
 * AdamW with element-wise gradient clipping (docs/SCIENCE.md §3): one fused kernel per step on the
 * backends that have it (cpu, wasm), tfjs ops elsewhere (WebGPU), with the same arithmetic.
 *
 * Moments live in tf.Variables keyed by the *parameter name* (not the tfjs variable name), so a
 * frozen group simply does not appear in a step and keeps its moments for when it is unfrozen. The
 * step count used for bias correction is kept per parameter for the same reason: a parameter that
 * was frozen for 1000 steps has only seen the updates it received, and its moments must be
 * corrected for that many, not for the session's total.
 *
 * On the host backends (cpu, wasm) the trainer's host steps (train/hostParams.ts) keep the moments
 * as host arrays instead, updated in place by the same arithmetic (kernels/cpu/adamwKernel.ts
 * adamWArrays): a parameter's moments live in one of the two forms at a time and move, once, to
 * whichever form the next update of it uses.
 */
import * as tf from '@tensorflow/tfjs';
import type { ParamArrays } from '../models/types';
import { adamWUpdate, adamWUpdateOps, fusedAdamWAvailable } from '../kernels/adamwOp';
import { shareTensor } from './shareTensor';
import { adamWArrays, type AdamWHyper } from '../kernels/cpu/adamwKernel';

export interface OptimizerOptions {
  /** 'adamw' = decoupled weight decay; 'adam' = none (EFT, docs/SCIENCE.md §3). */
  kind: 'adamw' | 'adam';
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled decay coefficient: each step subtracts lr·weightDecay·θ. Ignored for 'adam'. */
  weightDecay: number;
  /** Gradients are clipped element-wise to [−clip, clip] before the moments see them; 0 = off. */
  clip: number;
}

export const ADAMW_DEFAULTS: OptimizerOptions = {
  kind: 'adamw',
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  weightDecay: 1e-4,
  clip: 1,
};

/** The EFT optimiser: plain Adam, ε 1e-7 (clipping kept, as in the authors' training loop). */
export const ADAM_EFT_DEFAULTS: OptimizerOptions = {
  kind: 'adam',
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
  weightDecay: 0,
  clip: 1,
};

/** Fill in defaults for the chosen kind; explicit fields always win. */
export function resolveOptimizerOptions(opts: Partial<OptimizerOptions> = {}): OptimizerOptions {
  const base = opts.kind === 'adam' ? ADAM_EFT_DEFAULTS : ADAMW_DEFAULTS;
  const resolved = { ...base, ...opts };
  if (!(resolved.clip >= 0)) throw new Error(`optimizer clip must be ≥ 0, got ${resolved.clip}`);
  if (!(resolved.beta1 >= 0 && resolved.beta1 < 1 && resolved.beta2 >= 0 && resolved.beta2 < 1)) {
    throw new Error(`optimizer betas must lie in [0, 1), got ${resolved.beta1}, ${resolved.beta2}`);
  }
  return resolved;
}

/** Serializable optimiser state, for checkpoints. */
export interface OptimizerState {
  options: OptimizerOptions;
  /** Updates each parameter has received (drives bias correction). */
  counts: Record<string, number>;
  m: ParamArrays;
  v: ParamArrays;
}

/**
 * The moments and counts at one moment of a run, held without copying (shareTensor.ts; an update
 * assigns new ones): what a block of steps goes back to on divergence.
 */
export interface MomentsSnapshot {
  entries: Map<string, { m: tf.Tensor; v: tf.Tensor; count: number }>;
}

/** An optimiser step computed by `prepare`, applied by `commit` or dropped by `discard`. */
export interface PreparedUpdate {
  /** Parameter names, in the order of `gradSq`. */
  names: string[];
  /** Σ g² of each raw gradient, [names.length]; freed by commit or discard. */
  gradSq: tf.Tensor1D;
  /** Assign the new parameters and moments (and count the update). */
  commit(): void;
  discard(): void;
}

interface Moments {
  m: tf.Variable;
  v: tf.Variable;
  count: number;
}

/** Moments on the host, with the next update's results beside them (swapped in by commit). */
interface HostMoments {
  /** The parameter's shape (for getState and the way back to tensors). */
  shape: readonly number[];
  m: Float32Array;
  v: Float32Array;
  count: number;
  mNext: Float32Array;
  vNext: Float32Array;
  thetaNext: Float32Array;
}

/** A host update computed by `prepareHost`: applied by `commit`, or simply not applied. */
export interface HostUpdate {
  /** Σ g² of each raw gradient, rounded to float32 as the fused kernel's output is. */
  gradSq: number[];
  /** Writes the new parameters into the arrays given to prepareHost, and the new moments. */
  commit(): void;
}

export class ClippedAdamW {
  readonly options: OptimizerOptions;
  /** Changeable between steps; read once per step. */
  learningRate: number;
  private readonly moments = new Map<string, Moments>();
  private readonly hostMoments = new Map<string, HostMoments>();

  constructor(learningRate: number, options: Partial<OptimizerOptions> = {}) {
    this.options = resolveOptimizerOptions(options);
    this.learningRate = learningRate;
  }

  /**
   * One update of `params[name]` for every name in `grads`. Gradients are not disposed (the caller
   * owns them). Parameters missing from `grads` are untouched, moments included.
   */
  apply(params: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>): void {
    const update = this.prepare(params, grads);
    update.commit();
  }

  /**
   * The update for every name in `grads`, computed but not applied: the caller reads each raw
   * gradient's squared norm first (the divergence guard) and then commits or discards it. Through
   * one fused kernel where the backend has it (kernels/adamwOp.ts), else with tfjs ops.
   */
  prepare(params: Record<string, tf.Variable>, grads: Record<string, tf.Tensor>): PreparedUpdate {
    const names = Object.keys(grads);
    const items = names.map((name) => {
      const theta = params[name];
      if (!theta) throw new Error(`optimizer: gradient for unknown parameter "${name}"`);
      const mom = this.momentsFor(name, theta);
      return { name, theta, mom, g: grads[name] };
    });
    const { beta1, beta2, epsilon, clip } = this.options;
    const weightDecay = this.options.kind === 'adamw' ? this.options.weightDecay : 0;
    const lr = this.learningRate;
    // Bias corrections in float64 on the host: exact, and no extra kernels.
    const c1 = items.map((it) => 1 - beta1 ** (it.mom.count + 1));
    const c2 = items.map((it) => 1 - beta2 ** (it.mom.count + 1));
    const inputs = items.map((it) => ({ theta: it.theta, g: it.g, m: it.mom.m, v: it.mom.v }));
    const attrs = { lr, beta1, beta2, epsilon, weightDecay, clip, c1, c2 };
    const result = fusedAdamWAvailable()
      ? adamWUpdate(inputs, attrs)
      : adamWUpdateOps(inputs, attrs);
    let settled = false;
    const release = (): void => {
      settled = true;
      tf.dispose([...result.theta, ...result.m, ...result.v, result.gradSq]);
    };
    return {
      names,
      gradSq: result.gradSq,
      commit: () => {
        if (settled) throw new Error('optimizer: this update was already committed or discarded');
        items.forEach((it, i) => {
          it.theta.assign(result.theta[i]);
          it.mom.m.assign(result.m[i]);
          it.mom.v.assign(result.v[i]);
          it.mom.count += 1;
        });
        release();
      },
      discard: () => {
        if (!settled) release();
      },
    };
  }

  /**
   * prepare on host arrays (the host steps): the update of params[name] for every name in `grads`,
   * computed into spare arrays; commit writes it into `params` and the moments. Nothing else is
   * touched until then, so a step found non-finite is dropped by not committing.
   */
  prepareHost(
    params: Record<string, Float32Array>,
    grads: Record<string, Float32Array>,
    shapes: Record<string, readonly number[]>,
  ): HostUpdate {
    const names = Object.keys(grads);
    const hyper = this.hyper();
    const { beta1, beta2 } = this.options;
    const items = names.map((name) => {
      const theta = params[name];
      if (!theta) throw new Error(`optimizer: gradient for unknown parameter "${name}"`);
      const mom = this.hostMomentsFor(name, shapes[name] ?? [theta.length]);
      const io = {
        theta,
        g: grads[name],
        m: mom.m,
        v: mom.v,
        thetaOut: mom.thetaNext,
        mOut: mom.mNext,
        vOut: mom.vNext,
      };
      const c1 = 1 - beta1 ** (mom.count + 1);
      const c2 = 1 - beta2 ** (mom.count + 1);
      return { theta, mom, sq: Math.fround(adamWArrays(io, hyper, c1, c2)) };
    });
    let settled = false;
    return {
      gradSq: items.map((it) => it.sq),
      commit: () => {
        if (settled) throw new Error('optimizer: this update was already committed');
        settled = true;
        for (const { theta, mom } of items) {
          theta.set(mom.thetaNext);
          [mom.m, mom.mNext] = [mom.mNext, mom.m];
          [mom.v, mom.vNext] = [mom.vNext, mom.v];
          mom.count += 1;
        }
      },
    };
  }

  /** The current moments and counts; free with disposeSnapshot or hand to restore. */
  snapshot(): MomentsSnapshot {
    this.allToTensors();
    const entries: MomentsSnapshot['entries'] = new Map();
    for (const [name, mom] of this.moments) {
      entries.set(name, { m: shareTensor(mom.m), v: shareTensor(mom.v), count: mom.count });
    }
    return { entries };
  }

  /**
   * Back to `snap`'s moments and counts: moments created since are dropped, and those dropped
   * since (a reset) come back.
   */
  restore(snap: MomentsSnapshot): void {
    this.allToTensors();
    for (const [name, mom] of [...this.moments]) {
      if (snap.entries.has(name)) continue;
      tf.dispose([mom.m, mom.v]);
      this.moments.delete(name);
    }
    for (const [name, saved] of snap.entries) {
      const mom = this.moments.get(name);
      if (mom) {
        mom.m.assign(saved.m);
        mom.v.assign(saved.v);
        mom.count = saved.count;
      } else {
        // A variable made from a tensor shares its buffer: no copy.
        const m = tf.variable(saved.m, false);
        const v = tf.variable(saved.v, false);
        this.moments.set(name, { m, v, count: saved.count });
      }
    }
  }

  disposeSnapshot(snap: MomentsSnapshot): void {
    for (const e of snap.entries.values()) tf.dispose([e.m, e.v]);
    snap.entries.clear();
  }

  /** Forget all moments and counts (a fresh optimiser with the same options). */
  reset(): void {
    for (const mom of this.moments.values()) {
      mom.m.dispose();
      mom.v.dispose();
    }
    this.moments.clear();
    this.hostMoments.clear();
  }

  async getState(): Promise<OptimizerState> {
    const counts: Record<string, number> = {};
    const m: ParamArrays = {};
    const v: ParamArrays = {};
    const entries = [...this.moments.entries()];
    const datas = await Promise.all(
      entries.map(([, mom]) => Promise.all([mom.m.data(), mom.v.data()])),
    );
    entries.forEach(([name, mom], i) => {
      counts[name] = mom.count;
      const [md, vd] = datas[i];
      m[name] = { shape: [...mom.m.shape], data: Float32Array.from(md) };
      v[name] = { shape: [...mom.v.shape], data: Float32Array.from(vd) };
    });
    for (const [name, mom] of this.hostMoments) {
      counts[name] = mom.count;
      m[name] = { shape: [...mom.shape], data: Float32Array.from(mom.m) };
      v[name] = { shape: [...mom.shape], data: Float32Array.from(mom.v) };
    }
    return { options: { ...this.options }, counts, m, v };
  }

  /** Replace all moments with `state`'s (options are kept: they belong to the constructor). */
  setState(state: OptimizerState): void {
    this.reset();
    for (const [name, count] of Object.entries(state.counts)) {
      const m = state.m[name];
      const v = state.v[name];
      if (!m || !v) throw new Error(`optimizer state: moments missing for "${name}"`);
      // tidy frees the upload tensors; the variables hold their own reference.
      const mVar = tf.tidy(() => tf.variable(tf.tensor(m.data, m.shape, 'float32'), false));
      const vVar = tf.tidy(() => tf.variable(tf.tensor(v.data, v.shape, 'float32'), false));
      this.moments.set(name, { m: mVar, v: vVar, count });
    }
  }

  dispose(): void {
    this.reset();
  }

  /** The update's hyperparameters now (the learning rate may change between steps). */
  private hyper(): AdamWHyper {
    const { beta1, beta2, epsilon, clip } = this.options;
    const weightDecay = this.options.kind === 'adamw' ? this.options.weightDecay : 0;
    return { lr: this.learningRate, beta1, beta2, epsilon, weightDecay, clip };
  }

  /** `name`'s moments on the host, moved there from tensors the first time (or new zeros). */
  private hostMomentsFor(name: string, shape: readonly number[]): HostMoments {
    let mom = this.hostMoments.get(name);
    if (mom) return mom;
    const size = shape.reduce((a, b) => a * b, 1);
    const spare = () => new Float32Array(size);
    const onDevice = this.moments.get(name);
    if (onDevice) {
      // Host backends only (the host steps run nowhere else), where a synchronous read is free.
      mom = {
        shape: [...shape],
        m: Float32Array.from(onDevice.m.dataSync()),
        v: Float32Array.from(onDevice.v.dataSync()),
        count: onDevice.count,
        ...{ mNext: spare(), vNext: spare(), thetaNext: spare() },
      };
      tf.dispose([onDevice.m, onDevice.v]);
      this.moments.delete(name);
    } else {
      mom = {
        shape: [...shape],
        m: spare(),
        v: spare(),
        count: 0,
        mNext: spare(),
        vNext: spare(),
        thetaNext: spare(),
      };
    }
    this.hostMoments.set(name, mom);
    return mom;
  }

  /** Every host moment back into tensors (before a snapshot or restore, which hold tensors). */
  private allToTensors(): void {
    for (const name of [...this.hostMoments.keys()]) this.toTensors(name);
  }

  private toTensors(name: string): Moments | undefined {
    const host = this.hostMoments.get(name);
    if (!host) return undefined;
    const shape = [...host.shape];
    const mom = {
      m: tf.tidy(() => tf.variable(tf.tensor(host.m, shape, 'float32'), false)),
      v: tf.tidy(() => tf.variable(tf.tensor(host.v, shape, 'float32'), false)),
      count: host.count,
    };
    this.hostMoments.delete(name);
    this.moments.set(name, mom);
    return mom;
  }

  private momentsFor(name: string, theta: tf.Variable): Moments {
    let mom = this.moments.get(name) ?? this.toTensors(name);
    if (!mom) {
      // Not trainable: tf.variableGrads without an explicit list must never pick these up.
      mom = {
        m: tf.variable(tf.zerosLike(theta), false),
        v: tf.variable(tf.zerosLike(theta), false),
        count: 0,
      };
      this.moments.set(name, mom);
    }
    return mom;
  }
}
