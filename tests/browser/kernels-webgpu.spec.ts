/**
 * The fused WebGPU kernels against the op-by-op reference, in headless Chromium with WebGPU
 * enabled (SwiftShader here: a CPU emulation, so f32 results should match the reference's f32
 * results closely). The page (kernel-check.html, src/kernelCheck.ts) measures; this test decides:
 * loss within 1e-5 relative, every parameter gradient within 1e-4 of that gradient's max, the
 * recorded states within 1e-5, the WebGPU kernels actually ran, oversized models report
 * fusedAvailable false and fall back, repeated fused steps leak no GPU memory, and a deliberately
 * wrong reference is caught.
 * No adapter is a failure with a message, not a skip.
 */
import { chromium, expect, test } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import type { KernelCheckResult } from '../../src/kernelCheck';

test('fused WebGPU kernels match the reference (loss, gradients, states) and respect size limits', async ({
  baseURL,
}) => {
  test.setTimeout(180_000);
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: chromiumArgs({ webgpu: true }),
  });
  const messages: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') messages.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
    await page.goto(`${baseURL ?? '/'}kernel-check.html`);
    const result = (await page.evaluate(() => window.__kernelCheck)) as KernelCheckResult;
    if (!result.ok) {
      throw new Error(`WebGPU kernel check could not run: ${result.error}\n${messages.join('\n')}`);
    }
    console.log(`adapter: ${result.adapter}`);
    for (const c of result.cases) {
      const worstGrad = Math.max(...Object.values(c.gradRel));
      console.log(
        `${c.name}: loss ${c.lossRel.toExponential(2)}, worst grad ${worstGrad.toExponential(2)}, ` +
          `states ${JSON.stringify(c.stateRel)}, ${c.ms} ms`,
      );
    }
    console.log(`leaks: ${JSON.stringify(result.leaks)}`);
    const context = `\n${JSON.stringify(result, null, 1)}\n${messages.join('\n')}`;

    expect(result.cases.length, context).toBeGreaterThan(0);
    for (const c of result.cases) {
      expect.soft(c.impl, `${c.name}: activeImpl${context}`).toBe('fused');
      expect.soft(c.forwardCalls, `${c.name}: forward kernel ran`).toBeGreaterThan(0);
      expect.soft(c.gradCalls, `${c.name}: gradient kernel ran`).toBeGreaterThan(0);
      expect.soft(c.lossRel, `${c.name}: loss${context}`).toBeLessThanOrEqual(1e-5);
      for (const [name, rel] of Object.entries(c.gradRel)) {
        expect.soft(rel, `${c.name}: gradient of ${name}${context}`).toBeLessThanOrEqual(1e-4);
      }
      expect.soft(Object.keys(c.stateRel).length, `${c.name}: states recorded`).toBeGreaterThan(0);
      for (const [name, rel] of Object.entries(c.stateRel)) {
        expect.soft(rel, `${c.name}: state ${name}${context}`).toBeLessThanOrEqual(1e-5);
      }
    }
    for (const l of result.limits) {
      expect.soft(l.fusedAvailable, `${l.name}: fusedAvailable${context}`).toBe(l.expectFits);
      if (l.forwardRan !== undefined) {
        expect.soft(l.forwardRan, `${l.name}: forward falls back`).toBe(true);
        expect.soft(l.kernelCalls, `${l.name}: WebGPU kernel not called`).toBe(0);
      }
    }
    for (const l of result.leaks) {
      expect.soft(l.gpuBytesGrowth, `${l.kind}: GPU bytes growth${context}`).toBe(0);
      expect.soft(l.tensorGrowth, `${l.kind}: tensor growth`).toBe(0);
    }
    expect(result.control.stateRel, 'a 1% error in τx is detected').toBeGreaterThan(1e-4);
  } finally {
    await browser.close();
  }
});
