import { describe, expect, it } from 'vitest';
import type { UserConfig } from 'vite';
import viteConfig from '../../vite.config';

type ConfigFn = (env: { mode: string; command: 'build' | 'serve' }) => UserConfig;

function inputsFor(mode: string): string[] {
  const config = (viteConfig as unknown as ConfigFn)({ mode, command: 'build' });
  const input = config.build?.rollupOptions?.input;
  return Object.keys(input && typeof input === 'object' && !Array.isArray(input) ? input : {});
}

describe('the build', () => {
  it('ships the app alone; the test pages come only with --mode devpages', () => {
    expect(inputsFor('production')).toEqual(['main']);
    expect(inputsFor('devpages')).toEqual(['main', 'kernelCheck']);
  });
});
