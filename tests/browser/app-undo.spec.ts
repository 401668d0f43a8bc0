import { expect, test } from '@playwright/test';
import { readStep, waitForReady, watchPage } from './appHelpers';

test('changing the task sets the trained model aside, and Undo brings it back', async ({
  page,
}) => {
  const watch = watchPage(page);
  await page.goto('/');
  await waitForReady(page);
  for (let i = 1; i <= 3; i++) {
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect.poll(() => readStep(page)).toBe(i);
  }
  await page.getByRole('radio', { name: 'Element Finder' }).check();
  const notices = page.getByRole('status', { name: 'Notices' });
  await expect(notices).toContainText('trained 3 steps');
  await expect.poll(() => readStep(page)).toBe(0);
  await notices.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByRole('radio', { name: 'Measure-Wait-Go' })).toBeChecked();
  await expect.poll(() => readStep(page)).toBe(3);
  await expect(notices.getByRole('button', { name: 'Undo' })).toHaveCount(0);
  // Training goes on from where it was.
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => readStep(page)).toBe(4);
  expect(watch.errors).toEqual([]);
});

test('Reset and a new seed can be undone too; an untrained model offers nothing', async ({
  page,
}) => {
  await page.goto('/');
  await waitForReady(page);
  const notices = page.getByRole('status', { name: 'Notices' });
  await page.getByRole('button', { name: /New seed/ }).click();
  await expect(notices.getByRole('button', { name: 'Undo' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => readStep(page)).toBe(1);
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect.poll(() => readStep(page)).toBe(0);
  await notices.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => readStep(page)).toBe(1);
});
