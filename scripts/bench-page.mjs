// `npm run bench:page [-- --presets mwg-nmrnn,multitask-nmrnn --seconds 12 --warm 6 --runs 2]`
//
// Training speed as a user sees it: builds the app (into a temporary folder, the app's own config,
// so `vite preview` sends the cross-origin-isolation headers and the page gets its step threads),
// opens each preset from its link in headless Chromium, presses Play with the plots live, and
// reads the step counter of the Training panel after `--warm` seconds and again `--seconds` later.
// Steps/s is the difference over that window: the page's own counter averages from Play, and
// its first second runs the WebAssembly kernels from baseline code. Timings only; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
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
    presets: { type: 'string', default: 'mwg-nmrnn,multitask-nmrnn,eft-nmrnn,mwg-lrrnn' },
    seconds: { type: 'string', default: '12' },
    warm: { type: 'string', default: '6' },
    runs: { type: 'string', default: '2' },
  },
});
const presets = args.presets.split(',').filter(Boolean);
const executablePath = chromiumPath();
if (!executablePath) {
  console.error(
    'bench:page: no Chromium found (set CHROME_PATH or run node scripts/ensure-chromium.mjs)',
  );
  process.exit(1);
}

/** The value beside `term` in the Training panel's progress list. */
async function stat(page, term) {
  const stats = page.getByLabel('Training progress');
  return stats
    .locator('div')
    .filter({ has: page.locator('dt', { hasText: term }) })
    .locator('dd')
    .first()
    .innerText();
}

/** The Training panel's step counter ("12,345" → 12345). */
async function stepCount(page) {
  return Number((await stat(page, /^step$/)).replace(/[^0-9]/g, ''));
}

const outDir = mkdtempSync(join(tmpdir(), 'nmrnn-page-bench-'));
let server;
let browser;
try {
  await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  server = await preview({
    root,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 4181, strictPort: false },
  });
  const base = server.resolvedUrls.local[0];
  browser = await chromium.launch({ executablePath, args: chromiumArgs() });
  console.log(
    `bench:page: ${new Date().toISOString()}, Chromium ${browser.version()}, ${cpus().length} cores ` +
      `(${cpus()[0]?.model ?? 'unknown CPU'}); steps/s from ${args.warm} s to ${Number(args.warm) + Number(args.seconds)} s after Play`,
  );
  const warm = Number(args.warm) * 1000;
  const window = Number(args.seconds) * 1000;
  for (const name of presets) {
    const rates = [];
    let backend = '';
    for (let r = 0; r < Number(args.runs); r++) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(`${base}#v=1&preset=${name}`);
      const play = page.getByRole('button', { name: 'Play', exact: true });
      await play.waitFor({ state: 'visible', timeout: 60_000 });
      await play.click();
      await page.waitForTimeout(warm);
      const s0 = await stepCount(page);
      const t0 = Date.now();
      await page.waitForTimeout(window);
      const s1 = await stepCount(page);
      rates.push(((s1 - s0) * 1000) / (Date.now() - t0));
      const speed = page.getByLabel('Training speed');
      const why = await page
        .getByTestId('backend-why')
        .innerText()
        .catch(() => '');
      backend = `${await speed.getAttribute('title')}${why ? `; ${why}` : ''}`;
      await page.close();
    }
    console.log(
      `  ${name.padEnd(28)} ${rates.map((x) => x.toFixed(0)).join(' / ')} steps/s  (${backend})`,
    );
  }
} finally {
  await browser?.close();
  await server?.close();
  rmSync(outDir, { recursive: true, force: true });
}
