// Finds a system Chromium for the browser tests; on a Debian machine without one, installs it with apt.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from './chromium.mjs';

if (!chromiumPath()) {
  const canApt = existsSync('/usr/bin/apt-get') && process.getuid?.() === 0;
  if (!canApt) {
    console.error(
      'No Chromium found: install it (Debian: `sudo apt-get install -y chromium`) or set CHROME_PATH.',
    );
    process.exit(1);
  }
  console.log('Chromium not found; installing it with apt-get (Debian package "chromium")…');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
    stdio: 'inherit',
  });
  if (!chromiumPath()) {
    console.error('apt-get finished but no Chromium binary was found; set CHROME_PATH.');
    process.exit(1);
  }
}
console.log(`Chromium: ${chromiumPath()}`);
