import { expect, test } from '@playwright/test';
import { waitForReady } from './appHelpers';

test.describe('a first visit', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('is welcomed once, with the two ways in', async ({ page }) => {
    await page.goto('/');
    await waitForReady(page);
    const welcome = page.getByRole('dialog', { name: 'Welcome to the NM-RNN Playground' });
    await expect(welcome).toBeVisible();
    await welcome.getByRole('button', { name: 'Open a preset' }).click();
    await expect(page.getByRole('dialog', { name: 'Experiments from the paper' })).toBeVisible();
    await page.reload();
    await waitForReady(page);
    await expect(welcome).toBeHidden();
  });
});

test('every panel says what it shows, and a preset opens with its guide', async ({ page }) => {
  await page.goto('/');
  await waitForReady(page);
  for (const name of ['Training', 'Output', 'Modulation s(t)', 'Loss']) {
    const region = page.getByRole('region', { name });
    await region.getByText('What am I looking at?').click();
    await expect(region.locator('details p')).toBeVisible();
  }
  await page.getByRole('button', { name: 'Presets' }).click();
  await page.getByRole('button', { name: /^MWG: LSTM/ }).click();
  const guide = page.getByRole('list', { name: 'Things to try' });
  await expect(guide).toBeVisible();
  await expect(guide.getByRole('listitem')).toHaveCount(2);
  await expect(page.getByText('Paper, Fig. 3').first()).toBeVisible();
});
