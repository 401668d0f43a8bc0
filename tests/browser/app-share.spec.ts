import { expect, test } from '@playwright/test';
import { readLossAt, readStep, waitForReady, watchPage } from './appHelpers';

test('copy link → open in a new page → same state, same training', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await waitForReady(page);

  await page.getByRole('combobox', { name: 'Component 2 mode' }).selectOption('scale');
  await page.getByRole('combobox', { name: 'Align to' }).selectOption('start');
  const lr = page.getByRole('slider', { name: 'Learning rate' });
  await lr.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  const lrText = await page
    .getByLabel('Training progress')
    .evaluate(() =>
      document.querySelector('input[aria-label="Learning rate"]')?.getAttribute('aria-valuetext'),
    );
  for (let i = 1; i <= 3; i++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => readStep(page)).toBe(i);
  }
  await expect.poll(async () => (await readLossAt(page)).step).toBe(3);
  const loss3 = (await readLossAt(page)).loss;

  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Link copied' })).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain('#v=1&');
  expect(link).toContain('trained=3');
  expect(link).toContain('abl=1:scale:');

  const fresh = await context.newPage();
  const watch = watchPage(fresh);
  await fresh.goto(link);
  await waitForReady(fresh);
  // The link replays its three training steps from the same seed on the same backend.
  await expect.poll(() => readStep(fresh), { timeout: 60_000 }).toBe(3);
  await expect.poll(async () => (await readLossAt(fresh)).loss).toBe(loss3);
  await expect(fresh.getByRole('combobox', { name: 'Component 2 mode' })).toHaveValue('scale');
  await expect(fresh.getByRole('combobox', { name: 'Align to' })).toHaveValue('start');
  await expect(fresh.getByRole('slider', { name: 'Learning rate' })).toHaveAttribute(
    'aria-valuetext',
    lrText ?? '',
  );
  await expect.poll(() => fresh.evaluate(() => location.hash)).toBe(new URL(link).hash);
  expect(watch.errors).toEqual([]);
});

test('a malformed fragment shows a readable notice and the default state', async ({ page }) => {
  const watch = watchPage(page);
  await page.goto('/#%E0%A4%A&garbage');
  await expect(page.getByRole('status', { name: 'Notices' })).toContainText('could not be read');
  await waitForReady(page);
  await expect(page.getByRole('radio', { name: 'Measure-Wait-Go' })).toBeChecked();
  await expect(page).toHaveURL(/#v=1&task=mwg&.*&model=nmrnn&N=100&R=3&M=5&/);
  await page.getByRole('button', { name: 'Dismiss notice' }).first().click();
  expect(watch.errors).toEqual([]);
});

test('out-of-range and unknown settings are clamped or ignored, each with a notice', async ({
  page,
}) => {
  await page.goto('/#v=1&N=5000&colour=red');
  const notices = page.getByRole('status', { name: 'Notices' });
  await expect(notices).toContainText('above the maximum 512');
  await expect(notices).toContainText('unknown setting "colour"');
  await waitForReady(page);
  await expect(page).toHaveURL(/[&#]N=512&/);
});

test('classroom flags hide and lock controls', async ({ page }) => {
  await page.goto('/#v=1&hide=model,lr&lock=task,ablation');
  await waitForReady(page);
  await expect(page.getByRole('region', { name: 'Model' })).toHaveCount(0);
  await expect(page.getByRole('slider', { name: 'Learning rate' })).toBeHidden();
  await expect(page.getByRole('radio', { name: 'Measure-Wait-Go' })).toBeDisabled();
  await expect(page.getByRole('combobox', { name: 'Component 1 mode' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeEnabled();
});

test('a locked training panel keeps a trained preset as it is, keyboard included', async ({
  page,
}) => {
  await page.goto('/#v=1&preset=mwg-nmrnn&w=1&lock=training,ablation');
  await expect(page.getByTestId('backend-indicator')).not.toHaveAttribute('data-backend', '', {
    timeout: 60_000,
  });
  await expect.poll(() => readStep(page), { timeout: 60_000 }).toBeGreaterThan(0);
  const step = await readStep(page);
  await expect(page.getByRole('button', { name: 'Train from scratch' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeDisabled();
  // Space (play) and r (reset) are the teacher's too.
  await page.locator('body').press('Space');
  await page.locator('body').press('r');
  await page.waitForTimeout(1000);
  expect(await readStep(page)).toBe(step);
  // With ablation locked, the s(t) plot offers no dragging.
  await expect(page.getByRole('button', { name: 'Drag a window' })).toHaveCount(0);
});
