/**
 * Choosing and starting a tfjs backend inside the worker. Each candidate is probed before tfjs is
 * asked to use it (so a missing WebGPU adapter is a quiet "not available", not a stack trace) and
 * then checked with one tiny computation, because some backends initialise fine and only fail on
 * the first kernel.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { BACKEND_ORDER, type BackendName } from './protocol';

// The bundler renames the binaries (content hashes), so tfjs must be told where each one went;
// this must happen before the wasm backend is first initialised.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});
// A cross-origin-isolated page would make tfjs pick its threaded build, whose pthread workers do not
// start from a bundled app (they fail with "e is not defined"); our own step threads
// (stepThreads.ts) share the work instead, and tfjs's remaining kernels are tiny.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  /** Why it was not used (absent when ok). */
  reason?: string;
}

/** Candidates in the order to try them: the preferred one first, then the usual order. */
export function candidateOrder(
  preference?: BackendName,
  exclude: BackendName[] = [],
): BackendName[] {
  const order = preference
    ? [preference, ...BACKEND_ORDER.filter((b) => b !== preference)]
    : [...BACKEND_ORDER];
  return order.filter((b) => !exclude.includes(b));
}

/** The backends after `failed` in the usual order, for falling back after a runtime failure. */
export function fallbacksAfter(failed: BackendName): BackendName[] {
  const i = BACKEND_ORDER.indexOf(failed);
  return BACKEND_ORDER.slice(i + 1);
}

async function probe(name: BackendName): Promise<string | undefined> {
  if (name === 'webgpu') {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) return 'this browser exposes no WebGPU';
    try {
      const adapter = await gpu.requestAdapter();
      if (!adapter) return 'no WebGPU adapter';
    } catch (e) {
      return `WebGPU adapter request failed: ${errorText(e)}`;
    }
  }
  if (name === 'webgl' && typeof OffscreenCanvas === 'undefined') {
    return 'no OffscreenCanvas in workers';
  }
  if (name === 'webgl') {
    try {
      const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
      if (!gl) return 'no WebGL2 context';
      const renderer = webglRenderer(gl);
      gl.getExtension('WEBGL_lose_context')?.loseContext();
      if (SOFTWARE_RENDERER.test(renderer)) {
        // A CPU emulating a GPU runs these small recurrent models far slower than WASM does.
        return `WebGL is software-rendered here (${renderer})`;
      }
    } catch (e) {
      return `WebGL2 context failed: ${errorText(e)}`;
    }
  }
  return undefined;
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

function webglRenderer(gl: WebGL2RenderingContext): string {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const r = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
  return typeof r === 'string' ? r : '';
}

/**
 * The backends worth offering in the menu: those whose probe passes (WebGPU with an adapter,
 * hardware WebGL2, WebAssembly); the CPU always works.
 */
export async function availableBackends(
  known: readonly BackendAttempt[] = [],
): Promise<BackendName[]> {
  const out: BackendName[] = [];
  for (const name of BACKEND_ORDER) {
    // Backends start-up already tried need no second probe: their attempt says whether they work.
    const tried = known.find((a) => a.name === name);
    if (tried) {
      if (tried.ok) out.push(name);
      continue;
    }
    if (name === 'wasm' && typeof WebAssembly === 'undefined') continue;
    if ((await probe(name)) === undefined) out.push(name);
  }
  return out;
}

/** A kernel on the new backend must actually run and read back, or the backend is not usable. */
async function sanityCheck(): Promise<string | undefined> {
  try {
    const t = tf.tidy(() => tf.sum(tf.mul(tf.tensor1d([1, 2, 3]), 2)));
    const v = (await t.data())[0];
    t.dispose();
    return v === 12 ? undefined : `sanity check computed ${v} instead of 12`;
  } catch (e) {
    return `sanity check failed: ${errorText(e)}`;
  }
}

async function tryBackend(name: BackendName): Promise<string | undefined> {
  const unavailable = await probe(name);
  if (unavailable) return unavailable;
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return 'tfjs could not initialise it';
  } catch (e) {
    return errorText(e);
  }
  await tf.ready();
  return sanityCheck();
}

/**
 * Start the first backend of `candidates` that works. Throws only if none does, which cannot
 * happen while 'cpu' is among the candidates.
 */
export async function activateFirstWorking(
  candidates: BackendName[],
): Promise<{ name: BackendName; attempts: BackendAttempt[] }> {
  const attempts: BackendAttempt[] = [];
  for (const name of candidates) {
    const reason = await tryBackend(name);
    attempts.push(reason ? { name, ok: false, reason } : { name, ok: true });
    if (!reason) return { name, attempts };
  }
  throw new Error(
    `no tfjs backend works: ${attempts.map((a) => `${a.name} (${a.reason})`).join(', ')}`,
  );
}

/** One line for the user about backends that were skipped on the way to the one in use. */
export function describeAttempts(attempts: BackendAttempt[]): string | undefined {
  const failed = attempts.filter((a) => !a.ok);
  if (failed.length === 0) return undefined;
  const used = attempts.find((a) => a.ok);
  return `${failed.map((a) => `${a.name}: ${a.reason}`).join('; ')}${used ? ` — using ${used.name}` : ''}`;
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
