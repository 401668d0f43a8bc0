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
