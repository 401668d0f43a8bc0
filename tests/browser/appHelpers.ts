/**
 * Shared steps of the app's browser tests: collecting console errors and outgoing requests,
 * waiting for the training worker, and reading values through the page's text alternatives (the
 * same text a screen reader gets), so the tests do not depend on CSS classes.
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
    .getByLabel('Training progress')
    .locator('dt:text-is("step") + dd')
    .textContent();
  return Number((text ?? '0').replace(/[^\d]/g, ''));
}

/** The latest training loss, from the loss plot's text alternative (NaN before any step). */
export async function readLoss(page: Page): Promise<number> {
  const text = await page
    .getByRole('figure', { name: /Training loss/ })
    .locator('figcaption')
    .textContent();
  const m = /training loss ([-+0-9.eE]+)/.exec(text ?? '');
  return m ? Number(m[1]) : Number.NaN;
}

/** Step and loss read together from the loss plot's text alternative. */
export async function readLossAt(page: Page): Promise<{ step: number; loss: number }> {
  const text =
    (await page
      .getByRole('figure', { name: /Training loss/ })
      .locator('figcaption')
      .textContent()) ?? '';
  const m = /Step (\d+): training loss ([-+0-9.eE]+)/.exec(text);
  return m ? { step: Number(m[1]), loss: Number(m[2]) } : { step: 0, loss: Number.NaN };
}

/** Wait until the worker has built the model and the Play button is usable. */
export async function waitForReady(page: Page): Promise<void> {
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeEnabled({
    timeout: 60_000,
  });
  await expect(page.getByTestId('backend-indicator')).not.toHaveAttribute('data-backend', '');
}

/** The y values of every trace in a Plotly chart, read from the chart element itself. */
export async function plottedY(page: Page, testId: string): Promise<string> {
  return page.getByTestId(testId).evaluate((el) => {
    const data =
      (el as HTMLElement & { data?: { name?: string; y?: ArrayLike<number> }[] }).data ?? [];
    return JSON.stringify(data.map((t) => [t.name ?? '', Array.from(t.y ?? [])]));
  });
}

/** Train with Play until `done` holds (or the timeout), then pause. */
export async function trainUntil(
  page: Page,
  done: () => Promise<boolean>,
  timeout = 90_000,
): Promise<void> {
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect.poll(done, { timeout, intervals: [250] }).toBe(true);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeVisible();
}
