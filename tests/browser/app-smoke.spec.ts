import { expect, test } from '@playwright/test';
import {
  expectOnlyLocalRequests,
  readLossAt,
  readStep,
  trainUntil,
  waitForReady,
  watchPage,
} from './appHelpers';

test('loads without console errors, trains on Play, and never leaves 127.0.0.1', async ({
  page,
}) => {
  const watch = watchPage(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('NM-RNN Playground');
  await waitForReady(page);

  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(async () => (await readLossAt(page)).step).toBe(1);
  const first = (await readLossAt(page)).loss;
  expect(first).toBeGreaterThan(0);

  await trainUntil(page, async () => (await readStep(page)) >= 20);
  await expect.poll(async () => (await readLossAt(page)).loss).toBeLessThan(first);

  expect(watch.errors, 'console errors').toEqual([]);
  expectOnlyLocalRequests(watch);
});
