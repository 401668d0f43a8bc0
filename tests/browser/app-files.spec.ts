import { existsSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { plottedY, readLossAt, readStep, trainUntil, waitForReady, watchPage } from './appHelpers';

test('export a model file and import it back; a bad file changes nothing', async ({ page }) => {
  const watch = watchPage(page);
  await page.goto('/');
  await waitForReady(page);
  await trainUntil(page, async () => (await readStep(page)) >= 10);
  const trainedAt = await readStep(page);
  await expect
    .poll(() =>
      page
        .getByTestId('output-plot')
        .evaluate((el) => ((el as HTMLElement & { data?: unknown[] }).data ?? []).length),
    )
    .toBeGreaterThan(0);
  const before = await plottedY(page, 'output-plot');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export model' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^nmrnn-mwg-nmrnn-step\d+\.json$/);
  const text = readFileSync(await download.path(), 'utf8');
  const file = JSON.parse(text);
  expect(file.format).toBe('nmrnn-playground/model');
  expect(file.params.L.shape).toEqual([100, 3]);

  // A file that is not a model file: a readable notice, and the current model stays.
  const input = page.getByLabel('Model file to import');
  await input.setInputFiles({
    name: 'notes.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format": "something else"}'),
  });
  const notices = page.getByRole('status', { name: 'Notices' });
  await expect(notices).toContainText('"notes.json" was not loaded');
  await expect(notices).toContainText('not an NM-RNN Playground model file');
  expect(await readStep(page)).toBe(trainedAt);
  expect(await plottedY(page, 'output-plot')).toBe(before);

  // Start elsewhere, then import the exported file: the same outputs come back.
  await page.getByRole('button', { name: 'New seed', exact: true }).click();
  await expect.poll(() => plottedY(page, 'output-plot')).not.toBe(before);
  await input.setInputFiles({
    name: 'model.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  await expect(notices).toContainText('Loaded "model.json"');
  await expect.poll(() => plottedY(page, 'output-plot')).toBe(before);
  expect(watch.errors).toEqual([]);
});

/** The output plot's summary says the trained model produces the 14-step interval within 3 steps. */
async function expectProduces14(page: Page): Promise<void> {
  const caption = page
    .getByRole('figure', { name: /output/i })
    .first()
    .locator('figcaption');
  await expect(caption).toContainText('produced intervals');
  const m = /14→([0-9.]+)/.exec((await caption.textContent()) ?? '');
  expect(m, 'the trained model produces the 14-step interval').not.toBeNull();
  expect(Math.abs(Number(m![1]) - 14)).toBeLessThan(3);
}

test('a link to a preset with shipped weights opens a trained model without training', async ({
  page,
}) => {
  test.skip(!existsSync('public/presets/mwg-nmrnn.json'), 'this build ships no MWG weights');
  await page.goto('/#v=1&preset=mwg-nmrnn&w=1');
  await waitForReady(page);
  await expect(page.getByText('Trained weights loaded')).toBeVisible();
  // No training happens in the page: the step counter continues from the steps the preset was
  // trained for, and the Loss panel shows the history it ships.
  const shipped = JSON.parse(readFileSync('public/presets/mwg-nmrnn.json', 'utf8')) as {
    createdWith: { steps: number };
  };
  expect(await readStep(page)).toBe(shipped.createdWith.steps);
  await expect
    .poll(async () => (await readLossAt(page)).step, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(shipped.createdWith.steps * 0.9);
  await expectProduces14(page);
});

test('a saved session re-imports to the same step, curves, metrics and view, and trains on identically', async ({
  page,
  context,
}) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByRole('combobox', { name: 'Align to' }).selectOption('start');
  for (let i = 1; i <= 4; i++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => readStep(page)).toBe(i);
  }
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save session' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^nmrnn-session-mwg-nmrnn-step4\.json$/);
  const path = await download.path();
  const saved = JSON.parse(readFileSync(path, 'utf8'));
  expect(saved.session.step).toBe(4);
  expect(saved.session.loss.length).toBeGreaterThan(0);
  expect(Object.keys(saved.session.optimizer.m)).toContain('L');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => readStep(page)).toBe(5);
  const lossAt5 = (await readLossAt(page)).loss;

  const fresh = await context.newPage();
  await fresh.goto('/');
  await waitForReady(fresh);
  await fresh.getByLabel('Model file to import').setInputFiles(path);
  await expect.poll(() => readStep(fresh)).toBe(4);
  await expect(fresh.getByRole('combobox', { name: 'Align to' })).toHaveValue('start');
  await expect(fresh.getByRole('status', { name: 'Notices' })).toContainText('Loaded the session');
  // Same weights and the same optimiser moments: the next step's loss is the same.
  await fresh.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => readStep(fresh)).toBe(5);
  await expect.poll(async () => (await readLossAt(fresh)).loss).toBe(lossAt5);
});

test('every plot exports PNG, SVG and CSV, and no toolbar control offers to upload anything', async ({
  page,
}) => {
  await page.goto('/');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  const output = page.getByRole('region', { name: 'Output' });
  await expect(output.locator('.main-svg').first()).toBeVisible();
  const label = 'Download the data of';
  for (const [name, pattern] of [
    [/as PNG$/, /\.png$/],
    [/as SVG$/, /\.svg$/],
    [new RegExp(`^${label} .* as CSV$`), /\.csv$/],
  ] as const) {
    const menu = output.locator('details.nm-chart-export').first();
    if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open))) {
      await menu.locator('summary').click();
    }
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      output.getByRole('button', { name }).first().click(),
    ]);
    expect(download.suggestedFilename()).toMatch(pattern);
    const body = readFileSync(await download.path());
    expect(body.length).toBeGreaterThan(100);
    if (pattern.source.includes('csv')) expect(body.toString()).toMatch(/^trace,x,y\n/);
    if (pattern.source.includes('svg')) expect(body.toString()).toContain('<svg');
  }
  // Plotly's own toolbar: zoom, pan, reset, autoscale — nothing that sends the chart anywhere.
  const titles = await page
    .locator('.modebar-btn')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-title') ?? ''));
  expect(titles.length).toBeGreaterThan(0);
  expect(titles.filter((t) => /share|cloud|upload|chart studio|edit in/i.test(t))).toEqual([]);
});

test('the linear rank-1 preset opens trained as a linear network, and a link keeps it linear', async ({
  page,
}) => {
  test.skip(
    !existsSync('public/presets/mwg-nmrnn-rank1-linear.json'),
    'this build ships no linear rank-1 weights',
  );
  await page.goto('/#v=1&preset=mwg-nmrnn-rank1-linear&w=1');
  await waitForReady(page);
  await expect(page.getByText('Trained weights loaded')).toBeVisible();
  await expect(page).toHaveURL(/[&#]phi=linear(&|$)/);
  // The shipped network fits its trained intervals: were it run as tanh, the 14-step ramp would not.
  await expectProduces14(page);
});
