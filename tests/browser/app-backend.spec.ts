import { chromium, expect, test } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import { readLossAt, readStep, waitForReady, watchPage } from './appHelpers';

const indicator = (page: import('@playwright/test').Page) => page.getByTestId('backend-indicator');

test('without --enable-unsafe-webgpu a fallback backend is chosen', async ({ page }) => {
  const watch = watchPage(page);
  await page.goto('/');
  await waitForReady(page);
  const backend = await indicator(page).getAttribute('data-backend');
  expect(['webgl', 'wasm', 'cpu']).toContain(backend);
  // The menu offers only what works here: no WebGPU without an adapter, no software WebGL.
  const options = await page
    .getByRole('combobox', { name: 'Backend' })
    .locator('option')
    .allTextContents();
  expect(options).not.toContain('WebGPU');
  expect(options).toContain('WASM');
  expect(options).toContain('CPU');
  // The choice was measured: a few training steps on each, the fastest taken, the figures shown.
  await expect(page.getByTestId('backend-why')).toContainText(
    /timed here: .*WASM [0-9.]+ ms\/step/,
  );
  await expect(page.getByTestId('backend-why')).toContainText(/CPU [0-9.]+ ms\/step/);
  expect(watch.errors).toEqual([]);
});

test('a link or the menu overrides the measured choice, and the link keeps it', async ({
  page,
}) => {
  await page.goto('/#v=1&be=cpu');
  await waitForReady(page);
  await expect(indicator(page)).toHaveAttribute('data-backend', 'cpu');
  await expect(page.getByTestId('backend-why')).toHaveText('chosen by the link');
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm');
  await expect(indicator(page)).toHaveAttribute('data-backend', 'wasm');
  await expect(page.getByTestId('backend-why')).toHaveText('chosen in the menu');
  await expect(page).toHaveURL(/[&#]be=wasm(&|$)/);
});

test('with --enable-unsafe-webgpu, WebGPU is offered, raced, and selectable by link', async ({
  baseURL,
}) => {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: chromiumArgs({ webgpu: true }),
  });
  try {
    const page = await browser.newPage();
    const watch = watchPage(page);
    await page.goto(baseURL ?? '/');
    await waitForReady(page);
    const options = await page
      .getByRole('combobox', { name: 'Backend' })
      .locator('option')
      .allTextContents();
    expect(options).toContain('WebGPU');
    // SwiftShader emulates the GPU on the CPU: the race must not pick it over WebAssembly.
    await expect(indicator(page)).not.toHaveAttribute('data-backend', 'webgpu');
    await expect(page.getByTestId('backend-why')).toContainText('WebGPU');
    await page.goto(`${baseURL ?? '/'}#v=1&be=webgpu`);
    await page.reload();
    await expect(indicator(page)).toHaveAttribute('data-backend', 'webgpu', { timeout: 90_000 });
    await expect(page.getByRole('combobox', { name: 'Backend' })).toHaveValue('webgpu');
    expect(watch.errors).toEqual([]);
  } finally {
    await browser.close();
  }
});

test('switching backend, and a failing backend, keep the parameters', async ({ page }) => {
  await page.goto('/');
  await waitForReady(page);
  const start = await indicator(page).getAttribute('data-backend');
  for (let i = 1; i <= 3; i++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => readStep(page)).toBe(i);
  }
  await expect.poll(async () => (await readLossAt(page)).step).toBe(3);
  const loss3 = (await readLossAt(page)).loss;

  // A failure of the running backend: the session moves on down the list with the same model.
  if (start !== 'cpu') {
    await page.evaluate(() =>
      window.nmrnnPlayground?.simulateBackendFailure('simulated device loss'),
    );
    await expect(indicator(page)).toHaveAttribute('data-backend', 'cpu');
    await expect(page.getByRole('alert')).toContainText(`The ${start} backend failed`);
    expect(await readStep(page)).toBe(3);
  }

  // A switch by hand keeps step count and parameters: the next step continues the same run.
  await page.getByRole('combobox', { name: 'Backend' }).selectOption('wasm');
  await expect(indicator(page)).toHaveAttribute('data-backend', 'wasm');
  expect(await readStep(page)).toBe(3);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(async () => (await readLossAt(page)).step).toBe(4);
  const loss4 = (await readLossAt(page)).loss;
  expect(loss4).toBeLessThan(loss3 * 1.5);
  expect(loss4).toBeGreaterThan(0);
});

test('by default one core stays with the page: one thread fewer than the cores', async ({
  page,
}) => {
  await page.goto('/#v=1&preset=mwg-nmrnn&be=wasm');
  await waitForReady(page);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const want = Math.max(1, Math.min(cores - 1, 4));
  await expect(indicator(page)).toHaveAttribute('data-threads', String(want));
  if (want === 1)
    await expect(indicator(page)).toHaveAttribute('title', /and the page's plots keep one/);
});

test('the page is cross-origin isolated and shares each step among the threads a link asks for', async ({
  page,
}) => {
  const watch = watchPage(page);
  await page.goto('/#v=1&preset=mwg-nmrnn&be=wasm&th=2');
  await waitForReady(page);
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  await expect(indicator(page)).toHaveAttribute('data-threads', '2');
  await expect(indicator(page)).toContainText('2 threads');
  // Training on the threads moves the loss like any other step.
  const before = await readStep(page);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => readStep(page)).toBeGreaterThan(before);
  const { loss } = await readLossAt(page);
  expect(Number.isFinite(loss)).toBe(true);
  expect(watch.errors).toEqual([]);
});
