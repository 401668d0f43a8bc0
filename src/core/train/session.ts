/**
 * A training run over one model: steps, staged freezing, checkpoints and a divergence guard.
 *
 * Step numbering: step s evaluates the loss of the parameters left by s − 1 updates and then applies
 * update s. "Parameters at step s" therefore means the parameters whose loss step s reported; a
 * checkpoint stores exactly that pair, and the divergence guard restores to it.
 *
 * A block of steps reads one small vector back from the backend (each step's loss and squared
 * gradient norms), so it costs one device sync however many steps it holds; everything else stays
 * on the backend. On the host backends (cpu, wasm) with a fused step, a block runs on host arrays
 * instead (hostParams.ts: the step, the update and the guard with no tensor made) and assigns the
 * variables once at its end; both ways give the same numbers, bit for bit.
 */
import * as tf from '@tensorflow/tfjs';
import type { Model, ParamArrays, ParamGroup, ScanImpl } from '../models/types';
import type { BatchSource, TaskBatch } from '../tasks/types';
import { fusedLossGradFor, hostLossGradFor, type HostLossGradFn } from '../models/fusedRegistry';
import { maskedMse } from './loss';
import { shareTensor } from './shareTensor';
import { HostParams } from './hostParams';
import {
  ClippedAdamW,
  type MomentsSnapshot,
  type PreparedUpdate,
  type OptimizerOptions,
  type OptimizerState,
} from './optimizer';

export type StepReport =
  | { step: number; loss: number; gradNorm?: number; ok: true }
  | { step: number; ok: false; reason: string };

export interface Checkpoint {
  /** The step whose loss these parameters produced. */
  step: number;
  loss: number;
  params: ParamArrays;
}

export interface TrainingSessionOptions {
  lr: number;
  /** Which parameter group trains; the others are frozen. Default 'all'. */
  stage?: ParamGroup;
  optimizer?: Partial<OptimizerOptions>;
  /** Keep a checkpoint every k steps (0 = never). Default 0. */
  checkpointEvery?: number;
  /** How many recent checkpoints to keep in memory. Default 5. */
  keepCheckpoints?: number;
  /** Forward implementation; undefined lets the model choose. */
  impl?: ScanImpl;
}

export type SessionState =
  { kind: 'ready' } | { kind: 'diverged'; step: number; message: string } | { kind: 'disposed' };

/** A step queued inside a block: applied, not yet checked. */
interface QueuedStep {
  step: number;
  /** [loss, Σ g² of each trained parameter]. */
  diag: tf.Tensor1D;
  gradCount: number;
  grads: Record<string, tf.Tensor>;
  /** Every parameter before this step's update. */
  before: Record<string, tf.Tensor>;
  /** The moments before this step's update, where it was applied before its check. */
  moments?: MomentsSnapshot;
  /** The update, where it waits for this step's check (a block of one step). */
  pending?: PreparedUpdate;
  /** Its parameters became the last good ones (the session frees them later). */
  kept: boolean;
}

interface BatchTensors {
  batch: TaskBatch;
  inputs: tf.Tensor3D;
  targets: tf.Tensor3D;
  mask: tf.Tensor2D;
}

export class TrainingSession {
  readonly model: Model;
  private readonly nextBatch: BatchSource;
  /** The host steps' last batch, done with: the next draw may write over it (BatchSource). */
  private spentBatch: TaskBatch | undefined;
  private readonly optimizer: ClippedAdamW;
  private stageGroup: ParamGroup;
  private readonly checkpointEvery: number;
  private readonly keepCheckpoints: number;
  private readonly impl: ScanImpl | undefined;

  private updates = 0;
  private sessionState: SessionState = { kind: 'ready' };
  private inFlight = false;
  private cached: BatchTensors | undefined;
  /**
   * The parameters evaluated by the last good step, before its update: shared handles on the
   * variables' data (shareTensor.ts) until the update replaces it, so this costs no copy.
   */
  private lastGood: { step: number; tensors: Record<string, tf.Tensor> } | undefined;
  /** The host steps' parameters, and their copy of the last good step's (buffers reused). */
  private readonly host = new HostParams();
  private hostLastGood: { step: number; data: Record<string, Float32Array> } | undefined;
  private readonly kept: Checkpoint[] = [];

  constructor(model: Model, nextBatch: BatchSource, opts: TrainingSessionOptions) {
    this.model = model;
    this.nextBatch = nextBatch;
    this.optimizer = new ClippedAdamW(opts.lr, opts.optimizer);
    this.stageGroup = opts.stage ?? 'all';
    this.checkGroup(this.stageGroup);
    this.checkpointEvery = Math.max(0, Math.floor(opts.checkpointEvery ?? 0));
    this.keepCheckpoints = Math.max(1, Math.floor(opts.keepCheckpoints ?? 5));
    this.impl = opts.impl;
  }

  /** Updates applied so far (the next step is stepCount + 1). */
  get stepCount(): number {
    return this.updates;
  }

  get state(): SessionState {
    return this.sessionState;
  }

  get learningRate(): number {
    return this.optimizer.learningRate;
  }

  setLearningRate(lr: number): void {
    if (!(lr > 0) || !Number.isFinite(lr)) throw new Error(`learning rate must be > 0, got ${lr}`);
    this.optimizer.learningRate = lr;
  }

  get stage(): ParamGroup {
    return this.stageGroup;
  }

  /** Train only `group` from the next step on; frozen parameters keep their optimiser moments. */
  setStage(group: ParamGroup): void {
    this.checkGroup(group);
    this.stageGroup = group;
  }

  /** Oldest first. */
  get checkpoints(): readonly Checkpoint[] {
    return this.kept;
  }

  async step(): Promise<StepReport> {
    const [report] = await this.steps(1);
    return report;
  }

  /**
   * Up to `k` steps with one read-back at the end (train/readBack.ts says how many pay off on a
   * backend): one report per step, ending early at a step that diverged. `beforeStep` runs on the
   * host before each step is queued (a learning rate or a stage that changes by step).
   */
  async steps(k: number, beforeStep?: (step: number) => void): Promise<StepReport[]> {
    const first = this.updates + 1;
    if (this.sessionState.kind === 'disposed') throw new Error('training session was disposed');
    if (this.sessionState.kind === 'diverged') {
      const reason = `${this.sessionState.message} (call resume() to go on)`;
      return [{ step: first, ok: false, reason }];
    }
    if (this.inFlight) throw new Error('a training step is already running');
    this.inFlight = true;
    try {
      return await this.runBlock(first, Math.max(1, Math.floor(k)), beforeStep);
    } finally {
      this.inFlight = false;
    }
  }

  /**
   * Up to `steps` steps, stopping early on divergence or when `signal` aborts. Returns the last
   * report (undefined if no step ran).
   */
  async run(
    steps: number,
    onProgress?: (report: StepReport) => void,
    signal?: AbortSignal,
  ): Promise<StepReport | undefined> {
    let last: StepReport | undefined;
    for (let i = 0; i < steps; i++) {
      if (signal?.aborted) break;
      last = await this.step();
      onProgress?.(last);
      if (!last.ok) break;
    }
    return last;
  }

  /** Leave the diverged state; parameters are those of the last good step. */
  resume(): void {
    if (this.sessionState.kind === 'diverged') this.sessionState = { kind: 'ready' };
  }

  /** Drop the optimiser's moments (e.g. after loading other weights). */
  resetOptimizer(): void {
    this.optimizer.reset();
  }

  async getOptimizerState(): Promise<OptimizerState> {
    return this.optimizer.getState();
  }

  setOptimizerState(state: OptimizerState): void {
    this.optimizer.setState(state);
  }

  getParams(): Promise<ParamArrays> {
    return this.model.toArrays();
  }

  /**
   * Overwrite parameters by name (shapes must match). The step count is left alone; optimiser
   * moments are kept, since a checkpoint of this same run is the usual source.
   */
  setParams(arrays: ParamArrays): void {
    const params = this.model.params;
    for (const [name, pd] of Object.entries(arrays)) {
      const v = params[name];
      if (!v) throw new Error(`unknown parameter "${name}"`);
      if (pd.shape.length !== v.shape.length || pd.shape.some((d, i) => d !== v.shape[i])) {
        throw new Error(`parameter "${name}" has shape [${pd.shape}], expected [${v.shape}]`);
      }
    }
    tf.tidy(() => {
      for (const [name, pd] of Object.entries(arrays)) {
        params[name].assign(tf.tensor(pd.data, pd.shape, 'float32'));
      }
    });
    this.dropLastGood();
  }

  /** Go back to checkpoint `index` (0 = oldest kept); the next step is checkpoint.step. */
  restoreCheckpoint(index: number): Checkpoint {
    const cp = this.kept[index];
    if (!cp) throw new Error(`no checkpoint ${index} (have ${this.kept.length})`);
    this.setParams(cp.params);
    this.updates = cp.step - 1;
    if (this.sessionState.kind === 'diverged') this.sessionState = { kind: 'ready' };
    return cp;
  }

  /** Frees the session's tensors and optimiser state; the model belongs to the caller. */
  dispose(): void {
    if (this.sessionState.kind === 'disposed') return;
    this.optimizer.dispose();
    this.dropBatch();
    this.dropLastGood();
    this.host.clear();
    this.sessionState = { kind: 'disposed' };
  }

  /**
   * Steps `first` … `first + k − 1`, queued without waiting, then one read of every step's loss and
   * squared gradient norms. Each step's update is applied straight away (a backend that queues work
   * keeps queueing); the parameters and moments before each are kept by reference (no copies), so a
   * step that proves non-finite is undone exactly as if it had been checked on its own: the steps
   * after it in the block are dropped, and the reports end with its failure.
   */
  private async runBlock(
    first: number,
    k: number,
    beforeStep?: (step: number) => void,
  ): Promise<StepReport[]> {
    const hostStep = this.hostStep();
    if (hostStep) return this.runHostBlock(first, k, hostStep, beforeStep);
    this.hostLastGood = undefined;
    const queued: QueuedStep[] = [];
    const reports: StepReport[] = [];
    try {
      // A block of one step (cpu, wasm: read back every step) checks the step before applying its
      // update, so nothing needs undoing and the moments need no snapshot (26 copies per MWG step).
      const defer = k === 1;
      for (let i = 0; i < k; i++) queued.push(this.queueStep(first + i, defer, beforeStep));
      // One step's own vector as it is: tf.concat of one tensor is a copy on wasm.
      const diag = queued.length === 1 ? queued[0].diag : tf.concat(queued.map((q) => q.diag));
      const read = await diag.data();
      if (queued.length > 1) diag.dispose();
      let offset = 0;
      for (const q of queued) {
        const loss = read[offset];
        let gradSq = 0;
        for (let j = 1; j <= q.gradCount; j++) gradSq += read[offset + j];
        offset += 1 + q.gradCount;
        let badGrad: string | undefined;
        if (Number.isFinite(loss) && !Number.isFinite(gradSq)) {
          // A finite squared norm can overflow to Infinity with finite entries (clipping copes with
          // those), so only now, rarely, pay a second read to find out which gradient is not finite.
          badGrad = await this.firstNonFiniteGradient(q.grads);
        }
        if (!Number.isFinite(loss) || badGrad !== undefined) {
          const what = !Number.isFinite(loss)
            ? `loss became ${loss}`
            : `gradient of "${badGrad}" became non-finite`;
          q.pending?.discard();
          reports.push({ step: q.step, ok: false, reason: this.diverge(q, what) });
          break;
        }
        q.pending?.commit();
        this.keepAsLastGood(q);
        this.updates = q.step;
        if (this.checkpointEvery > 0 && q.step % this.checkpointEvery === 0) {
          await this.keepCheckpoint(q.step, loss);
        }
        reports.push({ step: q.step, loss, gradNorm: Math.sqrt(gradSq), ok: true });
      }
    } finally {
      for (const q of queued) this.releaseQueued(q);
    }
    return reports;
  }

  /**
   * Whether this session's steps run on host arrays here (the fused step function, with no tfjs
   * kernel): on cpu and wasm those are the same WebAssembly modules, so the two step alike.
   */
  get stepsOnHost(): boolean {
    return this.hostStep() !== undefined;
  }

  /** The host form of the fused step for this model here, unless the session runs the reference. */
  private hostStep(): HostLossGradFn | undefined {
    if (this.impl === 'reference') return undefined;
    const { config } = this.model;
    return hostLossGradFor(config.kind, tf.getBackend(), config);
  }

  /**
   * runBlock on host arrays: each step's loss and gradients from the fused step, the guard's check,
   * and only then the update, in place; the variables are assigned once, at the end. The same
   * numbers as the tensor path (the same step and update functions, float32 throughout).
   */
  private runHostBlock(
    first: number,
    k: number,
    run: HostLossGradFn,
    beforeStep?: (step: number) => void,
  ): StepReport[] {
    const { config, params: vars } = this.model;
    this.dropTensorLastGood();
    const params = this.host.pull(vars);
    const shapes: Record<string, readonly number[]> = {};
    for (const [name, v] of Object.entries(vars)) shapes[name] = v.shape;
    const reports: StepReport[] = [];
    try {
      for (let i = 0; i < k; i++) {
        const step = first + i;
        beforeStep?.(step);
        const batch = this.checkBatch(this.nextBatch(this.spentBatch));
        // Nothing keeps a host step's batch past the step (the tensor path's cached tensors
        // may, so it draws fresh batches).
        this.spentBatch = batch;
        const names = this.model.groups[this.stageGroup];
        const { loss, grads: all } = run(config, params, batch, names);
        const grads: Record<string, Float32Array> = {};
        for (const n of names) {
          const g = all[n];
          if (!g) throw new Error(`fused training step: no gradient for "${n}"`);
          grads[n] = g;
        }
        const update = this.optimizer.prepareHost(params, grads, shapes);
        let gradSq = 0;
        for (const x of update.gradSq) gradSq += x;
        const badGrad =
          Number.isFinite(loss) && !Number.isFinite(gradSq)
            ? names.find((n) => !grads[n].every(Number.isFinite))
            : undefined;
        if (!Number.isFinite(loss) || badGrad !== undefined) {
          const what = !Number.isFinite(loss)
            ? `loss became ${loss}`
            : `gradient of "${badGrad}" became non-finite`;
          reports.push({ step, ok: false, reason: this.divergeHost(step, params, what) });
          break;
        }
        this.keepHostLastGood(step, params);
        update.commit();
        this.host.markChanged(names);
        this.updates = step;
        if (this.checkpointEvery > 0 && step % this.checkpointEvery === 0) {
          this.keepHostCheckpoint(step, loss, shapes);
        }
        reports.push({ step, loss, gradNorm: Math.sqrt(gradSq), ok: true });
      }
    } finally {
      this.host.push(vars);
    }
    return reports;
  }

  /** The parameters step `step` evaluated, copied into the buffers of the previous copy. */
  private keepHostLastGood(step: number, params: Record<string, Float32Array>): void {
    const data = this.hostLastGood?.data ?? {};
    for (const [name, a] of Object.entries(params)) {
      const b = data[name];
      if (b && b.length === a.length) b.set(a);
      else data[name] = a.slice();
    }
    this.hostLastGood = { step, data };
  }

  private keepHostCheckpoint(
    step: number,
    loss: number,
    shapes: Record<string, readonly number[]>,
  ): void {
    const snap = this.hostLastGood?.data ?? {};
    const params: ParamArrays = {};
    for (const name of Object.keys(this.model.params)) {
      params[name] = { shape: [...shapes[name]], data: Float32Array.from(snap[name]) };
    }
    this.kept.push({ step, loss, params });
    while (this.kept.length > this.keepCheckpoints) this.kept.shift();
  }

  /** diverge for the host steps: back to the last good step's parameters (the update never ran). */
  private divergeHost(step: number, params: Record<string, Float32Array>, what: string): string {
    const restoring = this.hostLastGood;
    if (restoring) {
      for (const [name, a] of Object.entries(params)) a.set(restoring.data[name]);
      this.host.markChanged(Object.keys(params));
    }
    return this.divergedAt(step, restoring?.step ?? step, what);
  }

  /** Enter the diverged state at `step`, the parameters now those of step `restored`. */
  private divergedAt(step: number, restored: number, what: string): string {
    this.updates = restored - 1;
    const message =
      restored < step
        ? `${what} at step ${step}; parameters restored to step ${restored}`
        : `${what} at step ${step}; parameters left at their values before step ${step}`;
    this.sessionState = { kind: 'diverged', step, message };
    return message;
  }

  /**
   * Step `step` queued, with what undoing it needs: its update applied now, or with `defer` kept
   * pending until the caller has checked the step (then no moments snapshot is taken).
   */
  private queueStep(step: number, defer: boolean, beforeStep?: (step: number) => void): QueuedStep {
    beforeStep?.(step);
    const batch = this.nextBatch();
    const t = this.tensorsFor(batch);
    const names = this.model.groups[this.stageGroup];
    const params = this.model.params;
    const before: Record<string, tf.Tensor> = {};
    for (const [name, v] of Object.entries(params)) before[name] = shareTensor(v);
    const moments = defer ? undefined : this.optimizer.snapshot();
    const { value, grads } = this.lossAndGrads(t, names);
    const update = this.optimizer.prepare(params, grads);
    const diag = tf.tidy(() => tf.concat([tf.reshape(value, [1]), update.gradSq])) as tf.Tensor1D;
    const gradCount = update.names.length;
    if (!defer) update.commit();
    value.dispose();
    return {
      step,
      diag,
      gradCount,
      grads,
      before,
      moments,
      pending: defer ? update : undefined,
      kept: false,
    };
  }

  /** Frees what a queued step held, except its parameters if they became the last good ones. */
  private releaseQueued(q: QueuedStep): void {
    if (!q.diag.isDisposed) q.diag.dispose();
    tf.dispose(Object.values(q.grads));
    if (!q.kept) tf.dispose(Object.values(q.before));
    q.pending?.discard();
    if (q.moments) this.optimizer.disposeSnapshot(q.moments);
  }

  private keepAsLastGood(q: QueuedStep): void {
    this.dropTensorLastGood();
    this.lastGood = { step: q.step, tensors: q.before };
    q.kept = true;
  }

  /**
   * The loss of batch `t` and the gradients of `names`: from the model's fused training step where
   * the backend has one (one kernel, told which parameters train so it can skip frozen groups' weight
   * sums; any extra gradients it returns are dropped), else
   * by differentiating Model.forward.
   */
  private lossAndGrads(
    t: BatchTensors,
    names: string[],
  ): { value: tf.Scalar; grads: Record<string, tf.Tensor> } {
    const { config, params } = this.model;
    const fused =
      this.impl === 'reference'
        ? undefined
        : fusedLossGradFor(config.kind, tf.getBackend(), config);
    const whole = fused?.(config, params, t, names);
    if (whole) {
      const keep = new Set(names);
      const grads: Record<string, tf.Tensor> = {};
      for (const [name, g] of Object.entries(whole.grads)) {
        if (keep.has(name)) grads[name] = g;
        else g.dispose();
      }
      return { value: whole.loss, grads };
    }
    const vars = names.map((n) => params[n]);
    const { value, grads: byVarName } = tf.variableGrads(
      () => maskedMse(this.model.forward(t.inputs, { impl: this.impl }).y, t.targets, t.mask),
      vars,
    );
    // tfjs keys gradients by its internal variable names; map back to docs/SCIENCE.md names.
    const grads: Record<string, tf.Tensor> = {};
    names.forEach((n, i) => {
      grads[n] = byVarName[vars[i].name];
    });
    return { value, grads };
  }

  /**
   * Step q.step was not finite: back to the parameters of the last good step (before its update)
   * and the moments as they were before q's update, which is what checking q alone would have left.
   */
  private diverge(q: QueuedStep, what: string): string {
    const step = q.step;
    const restoring = this.lastGood ?? { step, tensors: q.before };
    for (const [name, tensor] of Object.entries(restoring.tensors)) {
      this.model.params[name].assign(tensor);
    }
    // A deferred update was never applied: the moments are still those before q.
    if (q.moments) this.optimizer.restore(q.moments);
    return this.divergedAt(step, restoring.step, what);
  }

  private async firstNonFiniteGradient(
    grads: Record<string, tf.Tensor>,
  ): Promise<string | undefined> {
    const names = Object.keys(grads);
    // sum(g·0) is 0 for finite g and NaN as soon as one entry is NaN or ±Infinity; plain
    // arithmetic, so every backend has the kernels.
    const probes = tf.tidy(() => tf.stack(names.map((n) => tf.sum(tf.mul(grads[n], 0)))));
    const c = await probes.data();
    probes.dispose();
    const i = c.findIndex((x) => !Number.isFinite(x));
    return i >= 0 ? names[i] : undefined;
  }

  private dropLastGood(): void {
    this.dropTensorLastGood();
    this.hostLastGood = undefined;
  }

  private dropTensorLastGood(): void {
    if (!this.lastGood) return;
    for (const t of Object.values(this.lastGood.tensors)) t.dispose();
    this.lastGood = undefined;
  }

  /** Checkpoint the parameters step `step` evaluated (the snapshot), paired with its loss. */
  private async keepCheckpoint(step: number, loss: number): Promise<void> {
    const snap = this.lastGood?.tensors ?? {};
    const entries = Object.entries(this.model.params).map(
      ([name, v]) => [name, snap[name] ?? v] as const,
    );
    const datas = await Promise.all(entries.map(([, t]) => t.data<'float32'>()));
    const params: ParamArrays = {};
    entries.forEach(([name, t], i) => {
      params[name] = { shape: [...t.shape], data: Float32Array.from(datas[i]) };
    });
    this.kept.push({ step, loss, params });
    while (this.kept.length > this.keepCheckpoints) this.kept.shift();
  }

  /** `batch`, once its channels are checked against the model's. */
  private checkBatch(batch: TaskBatch): TaskBatch {
    const { U, O } = this.model.config;
    if (batch.U !== U || batch.O !== O) {
      throw new Error(`batch has U=${batch.U}, O=${batch.O} but the model expects U=${U}, O=${O}`);
    }
    return batch;
  }

  private tensorsFor(batch: TaskBatch): BatchTensors {
    if (this.cached?.batch === batch) return this.cached;
    this.checkBatch(batch);
    this.dropBatch();
    const { B, T } = batch;
    this.cached = {
      batch,
      inputs: tf.tensor3d(batch.inputs, [B, T, batch.U]),
      targets: tf.tensor3d(batch.targets, [B, T, batch.O]),
      mask: tf.tensor2d(batch.mask, [B, T]),
    };
    return this.cached;
  }

  private dropBatch(): void {
    if (!this.cached) return;
    this.cached.inputs.dispose();
    this.cached.targets.dispose();
    this.cached.mask.dispose();
    this.cached = undefined;
  }

  private checkGroup(group: ParamGroup): void {
    const names = this.model.groups[group];
    if (!names || names.length === 0) {
      throw new Error(`this ${this.model.config.kind} model has no parameters in group "${group}"`);
    }
    for (const n of names) {
      if (!this.model.params[n]) throw new Error(`group "${group}" names unknown parameter "${n}"`);
    }
  }
}
