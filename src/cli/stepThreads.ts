/**
 * Step threads for the Node entry points (`--threads N`): N − 1 worker_threads that each take a part
 * of every fused training step (core/kernels/threads). Each thread starts from a small JavaScript
 * entry that registers tsx and loads the TypeScript helper, as the CLI itself runs.
 */
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { SharedStepPool, getStepThreads, setStepThreads } from '../core/kernels/threads/stepPool';

/** The default: one thread per core. */
export function defaultThreads(): number {
  return Math.max(1, cpus().length);
}

/**
 * Starts `threads − 1` helpers and makes the kernels use them; with 1, or on a runtime without
 * SharedArrayBuffer, leaves every step on this thread. Returns the threads actually in use.
 */
export async function startStepThreads(threads: number): Promise<number> {
  stopStepThreads();
  if (threads <= 1 || typeof SharedArrayBuffer === 'undefined') return 1;
  const pool = await SharedStepPool.start(threads - 1, (index, control, mailbox, lost) => {
    const worker = new Worker(new URL('./stepHelper.thread.mjs', import.meta.url), {
      workerData: { control, mailbox, index },
    });
    // Helpers never keep the process alive on their own.
    worker.unref();
    worker.on('error', (err: Error) => lost(`step thread ${index} failed: ${err.message}`));
    return { terminate: () => void worker.terminate() };
  });
  setStepThreads(pool);
  return threads;
}

/** Back to one thread (ends the helpers). */
export function stopStepThreads(): void {
  getStepThreads()?.dispose();
  setStepThreads(undefined);
}
