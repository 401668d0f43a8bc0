// Where the system Chromium lives and the flags that let it run headless as root in a sandboxed,
// offline machine. Playwright cannot download its own browsers here, so we always use the system one.
import { existsSync } from 'node:fs';

const candidates = [
  process.env.CHROME_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

export function chromiumPath() {
  return candidates.find((p) => p && existsSync(p));
}

export function chromiumArgs({ webgpu = false } = {}) {
  const args = [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    '--disable-dev-shm-usage',
  ];
  if (webgpu) args.push('--enable-unsafe-webgpu');
  return args;
}
