// `npm run bench:browser [-- --backends cpu,wasm,webgl,webgpu --families nmrnn,lrrnn,rnn,lstm
//   --batches 40,100,400 --gpu-batches 40 --gpu-steps 3 --steps 20 --warmup 3 --max-reference-batch 400
//   --no-simd --json FILE]`
//
// The training-step benchmark of `npm run bench`, inside headless Chromium: builds devpages/bench.html
// (its own Vite build into a temporary folder, so the app's build is untouched), serves it on
// 127.0.0.1, and runs it once per backend in a fresh page. WebGL and WebGPU here are SwiftShader
// (CPU-emulated), so their timings say nothing about a real GPU; they default to B=40 and 3 steps.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, preview } from 'vite';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    backends: { type: 'string', default: 'cpu,wasm,webgl,webgpu' },
    families: { type: 'string', default: 'nmrnn,lrrnn,rnn,lstm' },
    batches: { type: 'string', default: '40,100,400' },
    'gpu-batches': { type: 'string', default: '40' },
    'gpu-steps': { type: 'string', default: '3' },
    impl: { type: 'string', default: 'reference,fused' },
    steps: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    'max-reference-batch': { type: 'string', default: '400' },
    'no-simd': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
const list = (s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
const ints = (s) => list(s).map(Number);

const executablePath = chromiumPath();
if (!executablePath) {
  console.error(
    'bench:browser: no Chromium found (set CHROME_PATH or run node scripts/ensure-chromium.mjs)',
  );
  process.exit(1);
}

const outDir = mkdtempSync(join(tmpdir(), 'nmrnn-bench-'));
let server;
let browser;
try {
  await build({
    root,
    configFile: false,
    base: './',
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 8000,
      rollupOptions: { input: join(root, 'devpages', 'bench.html') },
    },
  });
  server = await preview({
    root,
    configFile: false,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 4180, strictPort: false },
  });
  const url = `${server.resolvedUrls.local[0]}devpages/bench.html`;
  browser = await chromium.launch({ executablePath, args: chromiumArgs({ webgpu: true }) });
  const version = browser.version();
  console.log(
    `bench:browser: ${new Date().toISOString()}, Chromium ${version}, ${cpus().length} cores ` +
      `(${cpus()[0]?.model ?? 'unknown CPU'}), MWG T=110`,
  );

  const { describePeak, formatBenchTable } = await import('../src/core/bench/benchTable.ts');
  const rows = [];
  let peak = null;
  for (const backend of list(args.backends)) {
    const gpu = backend === 'webgl' || backend === 'webgpu';
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') console.log(`  [page] ${m.text()}`);
    });
    await page.goto(url);
    await page.waitForFunction(() => typeof window.__nmrnnBench === 'function');
    console.log(`\n${backend}:`);
    const req = {
      backend,
      families: list(args.families),
      batches: ints(gpu ? args['gpu-batches'] : args.batches),
      impls: list(args.impl),
      steps: Number(gpu ? args['gpu-steps'] : args.steps),
      warmup: gpu ? 1 : Number(args.warmup),
      maxReferenceBatch: Number(args['max-reference-batch']),
      simd: !args['no-simd'],
    };
    const res = await page.evaluate((r) => window.__nmrnnBench(r), req);
    if (!res.ok) {
      console.log(`  ${backend} not benchmarked: ${res.error}`);
    } else {
      for (const r of res.rows) {
        console.log(
          `  ${r.family.padEnd(6)} N${String(r.N).padEnd(4)} B${String(r.B).padEnd(4)} ${r.impl.padEnd(9)} ` +
            `${r.msPerStep.toFixed(2).padStart(8)} ms/step (p10 ${r.p10.toFixed(2)}, p90 ${r.p90.toFixed(2)})`,
        );
      }
      rows.push(...res.rows);
      if (res.peak && !peak) {
        peak = res.peak;
        console.log(`  ${describePeak(peak, ' in Chromium')}`);
      }
    }
    await page.close();
  }
  console.log(`\n${formatBenchTable(rows, peak?.gigaPerSecond)}`);
  if (args.json) writeFileSync(args.json, JSON.stringify(rows, null, 2));
} finally {
  await browser?.close();
  await new Promise((r) => (server ? server.httpServer.close(r) : r()));
  rmSync(outDir, { recursive: true, force: true });
}
