/**
 * Step threads in the page (core/kernels/threads): helper Web Workers, started by the training
 * worker, that each take a part of every fused training step on the host backends (cpu, wasm).
 * They need SharedArrayBuffer, which a browser offers only to a cross-origin-isolated page
 * (`vite dev` and `vite preview` send the COOP/COEP headers for that, and on other hosts the app's
 * service worker adds them from the second visit: public/coi-headers.js); elsewhere training stays
 * on one thread and the indicator says why.
 */
import { SharedStepPool, getStepThreads, setStepThreads } from '../core/kernels/threads/stepPool';

/** More helpers than this split a batch of 40–128 trials too finely to pay. */
const MAX_THREADS = 4;

export interface ThreadsInfo {
  /** Threads sharing each step: 1 + helpers. */
  count: number;
  /** Why there is only one, when there is only one. */
  note?: string;
}

/** Starts the helpers (once); resolves to what is in use, never rejects. */
export async function startPageStepThreads(): Promise<ThreadsInfo> {
  const existing = getStepThreads();
  if (existing) return { count: existing.size + 1 };
  if (typeof SharedArrayBuffer === 'undefined' || !self.crossOriginIsolated) {
    return {
      count: 1,
      note: 'one thread: this page is not cross-origin isolated, so it cannot share memory (on a static host it is from the next visit on)',
    };
  }
  const cores = navigator.hardwareConcurrency || 1;
  const threads = Math.min(cores, MAX_THREADS);
  if (threads < 2) return { count: 1, note: 'one thread: this device reports one core' };
  let pool: SharedStepPool;
  try {
    pool = await SharedStepPool.start(
      threads - 1,
      (index, control, mailbox, lost) => {
        const worker = new Worker(new URL('./stepHelper.worker.ts', import.meta.url), {
          type: 'module',
          name: `step helper ${index + 1}`,
        });
        worker.onerror = (e) => lost(`step thread ${index} failed: ${e.message}`);
        worker.postMessage({ control, mailbox, index });
        return { terminate: () => worker.terminate() };
      },
      { mailboxBytes: 16 * 1024 * 1024, timeoutMs: 20_000 },
    );
  } catch (err) {
    return { count: 1, note: `one thread: ${err instanceof Error ? err.message : String(err)}` };
  }
  setStepThreads(pool);
  return { count: threads };
}
