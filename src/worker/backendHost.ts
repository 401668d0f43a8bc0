/**
 * Which tfjs backend the worker trains on, and everything that changes it: start-up (first working
 * backend, then which others work), a switch asked for by the page, the fastest of a race, a
 * fallback after a failure, and a lost WebGPU device noticed between steps. Activating a backend
 * is injectable so the rules can be tested without tfjs backends.
 */
import * as tf from '@tensorflow/tfjs';
import {
  activateFirstWorking,
  availableBackends,
  candidateOrder,
  describeAttempts,
  fallbacksAfter,
  type BackendAttempt,
} from './backends';
import type { BackendName, TrainingStatus } from './protocol';

export type Activate = (
  candidates: BackendName[],
) => Promise<{ name: BackendName; attempts: BackendAttempt[] }>;
export type ListAvailable = (known: readonly BackendAttempt[]) => Promise<BackendName[]>;

export class BackendHost {
  private current: BackendName = 'cpu';
  private note: string | undefined;
  private works: BackendName[] | undefined;
  private failure: string | undefined;
  /** How the backend was chosen (shown beside the speed); a fallback forgets it. */
  choice: TrainingStatus['backendChoice'];

  constructor(
    private readonly activate: Activate = activateFirstWorking,
    private readonly listAvailable: ListAvailable = availableBackends,
  ) {}

  get name(): BackendName {
    return this.current;
  }

  /** The backends that work here (known after start). */
  get available(): BackendName[] | undefined {
    return this.works ? [...this.works] : undefined;
  }

  /** Why backends earlier in the order were skipped. */
  get backendNote(): string | undefined {
    return this.note;
  }

  /** The first working backend, preferring `preference`; then which others work. */
  async start(preference?: BackendName): Promise<BackendName> {
    const { name, attempts } = await this.activate(candidateOrder(preference));
    this.use(name, attempts);
    this.works = await this.listAvailable(attempts);
    return name;
  }

  /** Switch to `name` (or the next that works); returns the one in use and why others failed. */
  async switchTo(name: BackendName): Promise<{ name: BackendName; attempts: BackendAttempt[] }> {
    const result = await this.activate(candidateOrder(name));
    this.use(result.name, result.attempts);
    return result;
  }

  /** The current backend failed: the next one in the usual order (throws if none works). */
  async fallBack(): Promise<{ failed: BackendName; name: BackendName }> {
    const failed = this.current;
    this.failure = undefined;
    const { name, attempts } = await this.activate(fallbacksAfter(failed));
    this.use(name, attempts);
    this.choice = undefined;
    return { failed, name };
  }

  /** Treat the backend as failed at the next training step (a lost device, or a test). */
  failAtNextStep(reason: string): void {
    this.failure = reason;
  }

  /** The failure waiting for the next step, if any. */
  get pendingFailure(): string | undefined {
    return this.failure;
  }

  private use(name: BackendName, attempts: BackendAttempt[]): void {
    this.current = name;
    this.note = describeAttempts(attempts);
    this.failure = undefined;
    if (name === 'webgpu') this.watchDeviceLoss();
  }

  private watchDeviceLoss(): void {
    // tfjs-backend-webgpu keeps its GPUDevice on the backend; typed loosely because the DOM lib
    // here has no WebGPU types.
    const backend = tf.backend() as unknown as {
      device?: { lost?: Promise<{ message?: string }> };
    };
    void backend.device?.lost?.then((info) => {
      if (this.current === 'webgpu') {
        this.failure = `WebGPU device lost${info?.message ? `: ${info.message}` : ''}`;
      }
    });
  }
}
