import { expect, test } from '@playwright/test';
import { expectOnlyLocalRequests, waitForReady, watchPage } from './appHelpers';

test('the 3-D plotting bundle loads only when a 3-D view is first shown', async ({ page }) => {
  const watch = watchPage(page);
  await page.goto('/');
  await waitForReady(page);
  await expect(
    page.getByRole('region', { name: 'PCA of x(t)' }).locator('.main-svg').first(),
  ).toBeVisible();
  expect(watch.requests.some((u) => u.includes('plotly-gl3d'))).toBe(false);
  expect(watch.requests.some((u) => u.includes('plotly-basic'))).toBe(true);
  await page.getByRole('button', { name: '3-D' }).click();
  await expect.poll(() => watch.requests.some((u) => u.includes('plotly-gl3d'))).toBe(true);
  await expect(
    page.getByRole('region', { name: 'PCA of x(t)' }).locator('.gl-container canvas'),
  ).toHaveCount(1);
  // And back: the 2-D view is drawn again by the basic bundle.
  await page.getByRole('button', { name: '2-D' }).click();
  await expect(
    page.getByRole('region', { name: 'PCA of x(t)' }).locator('.gl-container canvas'),
  ).toHaveCount(0);
  expectOnlyLocalRequests(watch);
  expect(watch.errors).toEqual([]);
});

test('after one visit the app works with the network blocked', async ({ page, context }) => {
  const watch = watchPage(page);
  await page.goto('/');
  await waitForReady(page);
  // The service worker has installed and precached everything.
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return reg.active?.state;
  });
  await context.setOffline(true);
  await page.reload();
  await waitForReady(page);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByLabel('Training progress').locator('dt:text-is("step") + dd')).toHaveText(
    '1',
  );
  await expect(
    page.getByRole('region', { name: 'Loss' }).locator('.main-svg').first(),
  ).toBeVisible();
  await context.setOffline(false);
  expect(watch.errors).toEqual([]);
});
