/**
 * Step threads in the page (core/kernels/threads): helper Web Workers, started by the training
 * worker, that each take a part of every fused training step on the host backends (cpu, wasm).
 * They need SharedArrayBuffer, which a browser offers only to a cross-origin-isolated page
 * (`vite dev` and `vite preview` send the COOP/COEP headers for that, and on other hosts the app's
 * service worker adds them from the second visit: public/coi-headers.js); elsewhere training stays
 * on one thread and the indicator says why.
 */
import { SharedStepPool, getStepThreads, setStepThreads } from '../core/kernels/threads/stepPool';
import { MAX_PAGE_THREADS } from './protocol';

export interface ThreadsInfo {
  /** Threads sharing each step: 1 + helpers. */
  count: number;
  /** Why there is only one, when there is only one. */
  note?: string;
}

/**
 * Starts the helpers (once); resolves to what is in use, never rejects. `requested` (a link's
 * `th=`, 1–4) replaces the default of one thread fewer than the cores.
 */
export async function startPageStepThreads(requested?: number): Promise<ThreadsInfo> {
  const existing = getStepThreads();
  if (existing) return { count: existing.size + 1 };
  if (typeof SharedArrayBuffer === 'undefined' || !self.crossOriginIsolated) {
    return {
      count: 1,
      note: 'one thread: this page is not cross-origin isolated, so it cannot share memory (on a static host it is from the next visit on)',
    };
  }
  const cores = navigator.hardwareConcurrency || 1;
  // One core stays with the page: its live plots run on the main thread, and a step split over
  // as many threads as cores waits for whichever part the plots delayed (measured on 2 cores:
  // MWG NM-RNN 265–277 steps/s on one thread, 190–269 on two; docs/PERFORMANCE.md).
  if (requested !== undefined && requested < 2)
    return { count: 1, note: 'one thread: the link asks for one' };
  const threads = Math.min(requested ?? cores - 1, MAX_PAGE_THREADS);
  if (threads < 2) {
    return {
      count: 1,
      note: `one thread: this device reports ${cores} core${cores === 1 ? '' : 's'}, and the page's plots keep one`,
    };
  }
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
