import { expect, test } from '@playwright/test';
import { plottedY, readStep, trainUntil, waitForReady } from './appHelpers';

test('moving an ablation slider re-runs the trials and changes the plotted output; PCA renders', async ({
  page,
}) => {
  await page.goto('/');
  await waitForReady(page);
  await trainUntil(page, async () => (await readStep(page)) >= 15);

  const output = page.getByTestId('output-plot');
  await expect(output.locator('.main-svg').first()).toBeVisible();
  await expect.poll(() => readStep(page)).toBeGreaterThanOrEqual(15);
  const step = await readStep(page);
  await expect(
    page
      .getByRole('figure', { name: /output/i })
      .first()
      .locator('figcaption'),
  ).toContainText(`step ${step}`);
  const intact = await plottedY(page, 'output-plot');

  // Clamp s1 to 0: the ablated output appears over the intact ghost.
  await page.getByRole('combobox', { name: 'Component 1 mode' }).selectOption('clamp');
  await expect.poll(() => plottedY(page, 'output-plot')).not.toBe(intact);
  const clampedAt0 = await plottedY(page, 'output-plot');

  // Moving the value slider re-runs the evaluation immediately (no training: the step stays).
  const slider = page.getByRole('slider', { name: 'Component 1 value' });
  await slider.focus();
  for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowRight');
  await expect.poll(() => plottedY(page, 'output-plot')).not.toBe(clampedAt0);
  expect(await readStep(page)).toBe(step);
  await expect(page).toHaveURL(/[&#]abl=0:clamp:0\.4(&|$)/);

  // Reset ablations: back to the intact plot.
  await page.getByRole('button', { name: 'Reset ablations' }).click();
  await expect.poll(() => plottedY(page, 'output-plot')).toBe(intact);

  // PCA of x(t): a plot with its explained-variance text alternative.
  const pca = page.getByTestId('pca-plot');
  await pca.scrollIntoViewIfNeeded();
  await expect(pca.locator('.main-svg').first()).toBeVisible();
  await expect(
    page.getByRole('figure', { name: /PCA|principal/i }).locator('figcaption'),
  ).toContainText('PC1');
  expect(JSON.parse(await plottedY(page, 'pca-plot')).length).toBeGreaterThan(0);
});

test('dragging across an s row ablates that component during the span, counted from the go cue', async ({
  page,
}) => {
  await page.goto('/#v=1&preset=mwg-nmrnn&w=1');
  await waitForReady(page);
  const signal = page.getByRole('region', { name: 'Modulation s(t)' });
  await expect(signal.getByRole('combobox', { name: 'Align to' })).toHaveValue('go');
  const toggle = signal.getByRole('button', { name: 'Drag a window' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');

  // The third row's drag surface; drag across its middle part.
  const row = page.locator('[data-testid="signal-plot"] .nsewdrag[data-subplot="xy3"]');
  await row.scrollIntoViewIfNeeded();
  const box = await row.boundingBox();
  if (!box) throw new Error('the s3 row has no drag surface');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.55, y, { steps: 10 });
  await page.mouse.up();

  await expect(page.getByRole('combobox', { name: 'Component 3 mode' })).toHaveValue('clamp');
  await expect(page.getByRole('combobox', { name: 'Component 3 window counted from' })).toHaveValue(
    'go',
  );
  await expect(page).toHaveURL(/[&#]abl=2:clamp:0@go:-?\d+\.\.-?\d+(&|$)/);
  const window = /@go:(-?\d+)\.\.(-?\d+)/.exec(page.url());
  const [t0, t1] = [Number(window?.[1]), Number(window?.[2])];
  // The plot spans go−20 … go+40: 30 % and 55 % of the way are near go−2 and go+13.
  expect(t0).toBeGreaterThanOrEqual(-6);
  expect(t0).toBeLessThanOrEqual(2);
  expect(t1).toBeGreaterThanOrEqual(9);
  expect(t1).toBeLessThanOrEqual(17);
  await expect(page.getByTestId('ablation-panel')).toContainText(
    `steps ${t0} to ${t1} from the go cue`,
  );
  // The readout compares the ablated run with the intact one.
  await expect(page.getByTestId('ablation-panel').locator('.nm-readout')).not.toContainText(
    'Waiting',
  );
});
