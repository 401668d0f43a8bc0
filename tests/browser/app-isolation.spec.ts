/**
 * On a static host that sends no COOP/COEP headers (a plain file server here, not vite preview) the
 * app's service worker adds them (public/coi-headers.js), so from the second visit the page is
 * cross-origin isolated, trains on its step threads, and still works offline.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { expect, test } from '@playwright/test';
import { readStep, waitForReady, watchPage } from './appHelpers';

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

let server: Server;
let origin: string;

test.beforeAll(async () => {
  const root = join(process.cwd(), 'dist');
  server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  origin = `http://127.0.0.1:${address.port}`;
});

test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('a static host: isolated from the second visit by the service worker', async ({
  page,
  context,
}) => {
  const watch = watchPage(page);
  await page.goto(`${origin}/#v=1&preset=mwg-nmrnn&be=wasm&th=2`);
  await waitForReady(page);
  // The first visit has no headers and is not reloaded: one thread, and the tooltip says why.
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(false);
  await expect(page.getByTestId('backend-indicator')).toHaveAttribute('data-threads', '1');
  await expect(page.getByTestId('backend-indicator')).toHaveAttribute(
    'title',
    /1 thread per step \(one thread: this page is not cross-origin isolated/,
  );
  // The worker installs (precaching the app) and activates; it controls the next visit.
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state))
    .toBe('activated');

  await page.reload();
  await waitForReady(page);
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  await expect(page.getByTestId('backend-indicator')).toHaveAttribute('data-threads', '2');

  // And offline, through the same worker.
  await context.setOffline(true);
  await page.reload();
  await waitForReady(page);
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  const before = await readStep(page);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect.poll(() => readStep(page)).toBeGreaterThan(before);
  await context.setOffline(false);
  expect(watch.errors).toEqual([]);
});
