/**
 * Shared steps of the app's browser tests: collecting console errors and outgoing requests, and
 * waiting for the training worker to report.
 */
import { expect, type Page } from '@playwright/test';

export interface PageWatch {
  errors: string[];
  requests: string[];
}

/** Record console errors, uncaught exceptions and every request URL from now on. */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { errors: [], requests: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') watch.errors.push(msg.text());
  });
  page.on('pageerror', (err) => watch.errors.push(`pageerror: ${err.message}`));
  page.on('request', (req) => watch.requests.push(req.url()));
  return watch;
}

/** Every request went to the local preview server (data:/blob: URLs never leave the page). */
export function expectOnlyLocalRequests(watch: PageWatch): void {
  const remote = watch.requests.filter((u) => {
    if (u.startsWith('data:') || u.startsWith('blob:')) return false;
    return new URL(u).hostname !== '127.0.0.1';
  });
  expect(remote, 'requests that left 127.0.0.1').toEqual([]);
}

/** The step counter in the training panel. */
export async function readStep(page: Page): Promise<number> {
  const text = await page
    .getByRole('group', { name: 'Training progress' })
    .or(page.getByLabel('Training progress'))
    .first()
    .locator('dt:text-is("step") + dd')
    .textContent();
  return Number((text ?? '0').replace(/[^\d]/g, ''));
}

/** Wait until the worker has built the model and the Play button is usable. */
export async function waitForReady(page: Page): Promise<void> {
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled({ timeout: 60_000 });
  await expect(page.getByTestId('backend-indicator')).not.toHaveAttribute('data-backend', '');
}
