/**
 * The page side of `npm run bench:browser` (devpages/bench.html): starts a requested tfjs backend and runs
 * the same training-step benchmark as `npm run bench` (src/core/bench/stepBench.ts),
 * exposed as `window.__nmrnnBench` for the Playwright driver (scripts/bench-browser.mjs).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { benchBackend, type BenchOptions, type BenchRow } from '../core/bench/stepBench';
import { measurePeak, type Peak } from '../core/bench/peak';
import { registerFusedKernels } from '../core/kernels/register';
import { setNmrnnSimdEnabled } from '../core/kernels/simd/nmrnnSimd';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

export interface PageBenchRequest extends Omit<BenchOptions, 'onRow'> {
  backend: string;
  simd?: boolean;
}

export type PageBenchResult =
  { ok: true; rows: BenchRow[]; peak: Peak | null } | { ok: false; error: string };

declare global {
  interface Window {
    __nmrnnBench?: (req: PageBenchRequest) => Promise<PageBenchResult>;
  }
}

const out = document.getElementById('out');

window.__nmrnnBench = async (req) => {
  try {
    registerFusedKernels();
    setNmrnnSimdEnabled(req.simd ?? true);
    if (!(await tf.setBackend(req.backend))) throw new Error(`${req.backend} did not start`);
    await tf.ready();
    const rows = await benchBackend({
      ...req,
      onRow: (r) => {
        if (out)
          out.textContent += `${r.backend} ${r.family} B${r.B} ${r.impl} ${r.msPerStep.toFixed(2)} ms\n`;
      },
    });
    tf.disposeVariables();
    // This engine's own floor for the host backends' rows (bench/peak.ts).
    return { ok: true, rows, peak: measurePeak() };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
};
