/**
 * Step threads: helpers that each compute one part of a fused training step (stepParts.ts) while
 * the calling thread computes the first. The tfjs kernels that call them are synchronous, so the
 * hand-over is too: the job goes into a helper's shared-memory mailbox, the helper is woken with
 * Atomics.notify, and the caller blocks in Atomics.wait until every helper has answered. That is
 * allowed in Node's threads and in a Web Worker (where the page trains), never on a page's main
 * thread. The platform supplies the threads (cli/stepThreads.ts, worker/stepThreads.ts); this file
 * owns the protocol and the registry the kernels ask.
 */
import type { StepBatch, StepJob } from './stepTypes';

export interface PartTask {
  job: StepJob;
  /** Packed parameters (stepParts.ts stepSize floats). */
  params: Float32Array;
  part: StepBatch;
  /** The whole batch's loss denominator. */
  den: number;
}

export interface PartResult {
  loss: number;
  grad: Float32Array;
}

export interface StepThreads {
  /** Helper threads (a step runs in size + 1 parts at most). */
  readonly size: number;
  /** Whether a part with this many floats of parameters and data fits a mailbox. */
  fits(floats: number): boolean;
  /** Posts tasks[i] to helper i; at most `size` tasks. */
  start(tasks: PartTask[]): void;
  /** Blocks until every started task has answered; their results in task order. */
  finish(): PartResult[];
  dispose(): void;
}

let current: StepThreads | undefined;

/**
 * The step threads the kernels use from now on (undefined: every step on the calling thread). The
 * caller owns the pool it replaces (dispose it when it is done with it).
 */
export function setStepThreads(threads: StepThreads | undefined): void {
  current = threads;
}

export function getStepThreads(): StepThreads | undefined {
  return current;
}

/** Mailbox states, one Int32 per helper in the control array (four slots per helper). */
export const STEP_STATE = {
  starting: 0,
  idle: 1,
  posted: 2,
  done: 3,
  failed: 4,
  stop: 5,
} as const;

/** Bytes at the start of a mailbox for the job's JSON (and a failure's message). */
export const JOB_BYTES = 64 * 1024;
/** Then the part's loss (f64), then floats: params, u, targets, mask, and the gradient. */
export const LOSS_AT = JOB_BYTES;
export const FLOATS_AT = JOB_BYTES + 16;

/** The JSON a mailbox carries beside its arrays. */
export interface MailboxJob {
  job: StepJob;
  B: number;
  den: number;
  /** Floats of params, u, targets, mask; the gradient has `params` floats. */
  lengths: [number, number, number, number];
}

/** What a platform hands back for each helper it starts. */
export interface HelperHandle {
  terminate(): void;
}

/** Wait at most this long for a helper's answer before declaring it lost. */
const ANSWER_TIMEOUT_MS = 120_000;

/**
 * Starts helper `index`, which must call serveStepParts (stepHelper.ts) with the same buffers;
 * `lost` is for a helper that fails outside a job (it could not load, or it crashed).
 */
export type SpawnHelper = (
  index: number,
  control: SharedArrayBuffer,
  mailbox: SharedArrayBuffer,
  lost: (message: string) => void,
) => HelperHandle;

/** The caller's side of the mailboxes. */
export class SharedStepPool implements StepThreads {
  readonly size: number;
  private readonly control: Int32Array;
  private readonly mailboxes: SharedArrayBuffer[];
  private readonly helpers: HelperHandle[];
  private readonly maxFloats: number;
  /** The lengths of each started task's arrays (params, u, targets, mask). */
  private posted: MailboxJob['lengths'][] = [];
  private lost: string | undefined;

  /**
   * `size` helpers, resolved once every one waits for work; on failure (a helper that does not start
   * within `timeoutMs`, or reports itself lost) they are ended and the promise rejects.
   */
  static async start(
    size: number,
    spawn: SpawnHelper,
    { mailboxBytes = 64 * 1024 * 1024, timeoutMs = 60_000 } = {},
  ): Promise<SharedStepPool> {
    const pool = new SharedStepPool(size, spawn, mailboxBytes);
    try {
      await pool.ready(timeoutMs);
    } catch (err) {
      pool.dispose();
      throw err;
    }
    return pool;
  }

  private constructor(size: number, spawn: SpawnHelper, mailboxBytes: number) {
    this.size = size;
    const control = new SharedArrayBuffer(16 * size);
    this.control = new Int32Array(control);
    this.mailboxes = Array.from({ length: size }, () => new SharedArrayBuffer(mailboxBytes));
    this.maxFloats = Math.floor((mailboxBytes - FLOATS_AT) / 4);
    this.helpers = this.mailboxes.map((box, i) =>
      spawn(i, control, box, (message) => {
        this.lost = message;
      }),
    );
  }

  /** Resolves once every helper is waiting for work; rejects after `timeoutMs`. */
  private async ready(timeoutMs: number): Promise<void> {
    const t0 = Date.now();
    for (;;) {
      if (this.lost) throw new Error(this.lost);
      let starting = 0;
      for (let i = 0; i < this.size; i++) {
        if (Atomics.load(this.control, 4 * i) === STEP_STATE.starting) starting++;
      }
      if (starting === 0) return;
      if (Date.now() - t0 > timeoutMs) {
        throw new Error(`${starting} of ${this.size} step threads did not start`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  fits(floats: number): boolean {
    return this.lost === undefined && floats <= this.maxFloats;
  }

  start(tasks: PartTask[]): void {
    if (this.posted.length) throw new Error('step threads: the previous parts were not collected');
    if (tasks.length > this.size) throw new Error('step threads: more parts than helpers');
    if (this.lost) throw new Error(this.lost);
    const encoder = new TextEncoder();
    tasks.forEach((t, i) => {
      const s = 4 * i;
      // A helper still loading gets its job when it starts (it checks the state before waiting).
      const state = Atomics.load(this.control, s);
      if (state !== STEP_STATE.idle && state !== STEP_STATE.starting) {
        throw new Error(`step thread ${i} is busy (state ${state})`);
      }
      const lengths: MailboxJob['lengths'] = [
        t.params.length,
        t.part.u.length,
        t.part.targets.length,
        t.part.mask.length,
      ];
      const json = encoder.encode(
        JSON.stringify({ job: t.job, B: t.part.B, den: t.den, lengths } satisfies MailboxJob),
      );
      if (json.length > JOB_BYTES) throw new Error('step threads: job description too long');
      const box = this.mailboxes[i];
      new Uint8Array(box, 0, json.length).set(json);
      this.control[s + 1] = json.length;
      let at = FLOATS_AT / 4;
      const floats = new Float32Array(box);
      for (const a of [t.params, t.part.u, t.part.targets, t.part.mask]) {
        floats.set(a, at);
        at += a.length;
      }
      Atomics.store(this.control, s, STEP_STATE.posted);
      Atomics.notify(this.control, s);
      this.posted.push(lengths);
    });
  }

  finish(): PartResult[] {
    const posted = this.posted;
    this.posted = [];
    const results: PartResult[] = [];
    let failure: string | undefined;
    for (let i = 0; i < posted.length; i++) {
      const s = 4 * i;
      const t0 = Date.now();
      while (Atomics.load(this.control, s) === STEP_STATE.posted) {
        if (Date.now() - t0 > ANSWER_TIMEOUT_MS) {
          this.lost = `step thread ${i} did not answer within ${ANSWER_TIMEOUT_MS / 1000} s`;
          throw new Error(this.lost);
        }
        Atomics.wait(this.control, s, STEP_STATE.posted, 1000);
      }
      const box = this.mailboxes[i];
      if (Atomics.load(this.control, s) === STEP_STATE.failed) {
        const bytes = new Uint8Array(box, 0, this.control[s + 1]).slice();
        failure ??= `step thread ${i}: ${new TextDecoder().decode(bytes)}`;
      } else {
        const [P, nu, nt, nm] = posted[i];
        const gradAt = FLOATS_AT / 4 + P + nu + nt + nm;
        results.push({
          loss: new Float64Array(box, LOSS_AT, 1)[0],
          grad: new Float32Array(box, gradAt * 4, P).slice(),
        });
      }
      Atomics.store(this.control, s, STEP_STATE.idle);
    }
    if (failure) throw new Error(failure);
    return results;
  }

  dispose(): void {
    for (let i = 0; i < this.size; i++) {
      Atomics.store(this.control, 4 * i, STEP_STATE.stop);
      Atomics.notify(this.control, 4 * i);
    }
    for (const h of this.helpers) h.terminate();
    if (current === this) current = undefined;
  }
}
