// `npm test`: the unit tests (Vitest, Node) and the browser tests (Playwright, headless system
// Chromium against the built app), then one closing line "N passed, N failed" summing both runners.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';

const outDir = 'test-results';
mkdirSync(outDir, { recursive: true });

function run(cmd, args, env = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function readJson(path) {
  try {
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
  } catch {
    return undefined;
  }
}

let passed = 0;
let failed = 0;
let broken = false;

const unitJson = `${outDir}/vitest.json`;
const unitCode = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${unitJson}`,
]);
const unit = readJson(unitJson);
if (unit) {
  passed += unit.numPassedTests;
  failed += unit.numFailedTests;
} else broken = true;
if (unitCode !== 0 && !(unit && unit.numFailedTests > 0)) broken = true;

const chromeCode = run('node', ['scripts/ensure-chromium.mjs']);
const buildCode =
  chromeCode === 0 ? run('npx', ['vite', 'build', '--mode', 'devpages', '--logLevel', 'warn']) : 1;
if (buildCode !== 0) broken = true;
else {
  const pwJson = `${outDir}/playwright.json`;
  const pwCode = run('npx', ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
  });
  const pw = readJson(pwJson);
  if (pw?.stats) {
    passed += pw.stats.expected;
    failed += pw.stats.unexpected + (pw.stats.flaky ?? 0);
  } else broken = true;
  if (pwCode !== 0 && !(pw?.stats && pw.stats.unexpected > 0)) broken = true;
}

if (broken) console.log('\nA test runner failed to start or report; see the output above.');
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || broken ? 1 : 0);
