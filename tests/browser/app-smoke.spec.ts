import { expect, test } from '@playwright/test';
import { expectOnlyLocalRequests, readStep, waitForReady, watchPage } from './appHelpers';

test('loads without console errors, trains on Play, and never leaves 127.0.0.1', async ({
  page,
}) => {
  const watch = watchPage(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('NM-RNN Playground');
  await waitForReady(page);

  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect.poll(() => readStep(page), { timeout: 60_000 }).toBeGreaterThan(5);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();

  expect(watch.errors, 'console errors').toEqual([]);
  expectOnlyLocalRequests(watch);
});
