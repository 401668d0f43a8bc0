/**
 * The fused WebGPU kernels against the op-by-op reference, in headless Chromium with WebGPU
 * enabled (SwiftShader here: a CPU emulation, so f32 results should match the reference's f32
 * results closely). The page (devpages/kernel-check.html, src/devpages/kernelCheck.ts) measures; these tests decide:
 * loss within 1e-5 relative, every parameter gradient within 1e-4 of that gradient's max, the
 * recorded states within 1e-5, the WebGPU kernels actually ran, oversized models report
 * fusedAvailable false and fall back, repeated fused steps leak no GPU memory, a deliberately
 * wrong reference is caught, WebGPU reports no invalid pipelines, and TrainingSession steps with
 * the fused kernels report the reference's losses.
 * No adapter is a failure with a message, not a skip.
 */
import { chromium, expect, test } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../../scripts/chromium.mjs';
import type {
  AdamwCheckResult,
  KernelCheckResult,
  SessionCheckResult,
} from '../../src/devpages/kernelCheck';

/** Dawn's validation messages (they reach the console, not JavaScript). */
const WEBGPU_INVALID = /invalid|exceeds the maximum|validat/i;

/** Opens devpages/kernel-check.html with `query` in a WebGPU-enabled Chromium and awaits `prop`. */
async function runPage<R>(
  baseURL: string | undefined,
  query: string,
  prop: '__kernelCheck' | '__sessionCheck' | '__adamwCheck',
): Promise<{ result: R; messages: string[] }> {
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
    await page.goto(`${baseURL ?? '/'}devpages/kernel-check.html${query}`);
    // The page's globals are typed per check; here either one is awaited the same way.
    const result = (await page.evaluate(
      (p) => (window as unknown as Record<string, unknown>)[p],
      prop,
    )) as R;
    return { result, messages };
  } finally {
    await browser.close();
  }
}

function mustRun<R extends { ok: boolean }>(
  result: R | { ok: false; error: string },
  messages: string[],
): asserts result is R & { ok: true } {
  if (!result.ok) {
    const error = 'error' in result ? result.error : 'unknown';
    throw new Error(`WebGPU kernel check could not run: ${error}\n${messages.join('\n')}`);
  }
}

test('fused WebGPU kernels match the reference (loss, gradients, states) and respect size limits', async ({
  baseURL,
}) => {
  test.setTimeout(180_000);
  const { result, messages } = await runPage<KernelCheckResult>(baseURL, '', '__kernelCheck');
  mustRun(result, messages);
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
  expect.soft(result.gpuErrors, 'uncaptured WebGPU errors').toEqual([]);
  expect.soft(messages.filter((m) => WEBGPU_INVALID.test(m))).toEqual([]);
  expect(result.control.stateRel, 'a 1% error in τx is detected').toBeGreaterThan(1e-4);
});

async function checkSessions(baseURL: string | undefined, kinds: string): Promise<void> {
  const { result, messages } = await runPage<SessionCheckResult>(
    baseURL,
    `?check=session&kinds=${kinds}`,
    '__sessionCheck',
  );
  mustRun(result, messages);
  const context = `\n${JSON.stringify(result, null, 1)}\n${messages.join('\n')}`;
  for (const r of result.rows) {
    console.log(
      `${r.kind} (${r.trainable} trainable): fused ${r.fusedLosses}, ref ${r.referenceLosses}`,
    );
    expect.soft(r.fusedCalls, `${r.kind}: fused kernel ran`).toBeGreaterThan(0);
    // Three AdamW steps: gradient differences of ~1e-6 move the parameters by ~lr·1e-6.
    expect.soft(r.maxLossRel, `${r.kind}: session losses${context}`).toBeLessThanOrEqual(1e-4);
    // A NaN met inside a block of queued steps: the block stops there and undoes the bad update.
    expect
      .soft(
        r.nanBlock.map((x) => x.ok),
        `${r.kind}: NaN block`,
      )
      .toEqual([true, true, false]);
    // Which check trips (the loss, or a gradient) depends on how the GPU's arithmetic carries NaN.
    expect.soft(r.nanBlock[2], `${r.kind}: NaN block`).toMatchObject({
      step: 3,
      reason: expect.stringMatching(
        /^(loss became NaN|gradient of "\w+" became non-finite) at step 3; parameters restored to step 2$/,
      ),
    });
    expect.soft(r.nanBlockStepCount, `${r.kind}: steps after the NaN block`).toBe(1);
    expect.soft(r.nanBlockParamsFinite, `${r.kind}: parameters after the NaN block`).toBe(true);
  }
  expect.soft(result.gpuErrors, `uncaptured WebGPU errors${context}`).toEqual([]);
  expect(messages.filter((m) => WEBGPU_INVALID.test(m))).toEqual([]);
}

test('TrainingSession steps with fused WebGPU kernels report the reference losses (LR-RNN, RNN)', async ({
  baseURL,
}) => {
  test.setTimeout(120_000);
  await checkSessions(baseURL, 'lrrnn,rnn');
});

test('TrainingSession on WebGPU with more than 7 trainable parameters (NM-RNN, LSTM)', async ({
  baseURL,
}) => {
  // More than 7 trainable parameters: the session's squared-gradient-norm sum once used tf.addN,
  // which on WebGPU silently drops the whole command buffer past 7 inputs.
  test.setTimeout(120_000);
  await checkSessions(baseURL, 'nmrnn,lstm');
});

test('the fused WebGPU optimiser step matches the same AdamW update in tfjs ops', async ({
  baseURL,
}) => {
  test.setTimeout(120_000);
  const { result, messages } = await runPage<AdamwCheckResult>(
    baseURL,
    '?check=adamw',
    '__adamwCheck',
  );
  mustRun(result, messages);
  const context = `\n${JSON.stringify(result, null, 1)}\n${messages.join('\n')}`;
  for (const r of result.rows) {
    console.log(
      `${r.name}: θ ${r.thetaRel.toExponential(2)}, m ${r.mRel.toExponential(2)}, ` +
        `v ${r.vRel.toExponential(2)}, Σg² ${r.gradSqRel.toExponential(2)}`,
    );
    expect.soft(r.calls, `${r.name}: one fused kernel call`).toBe(1);
    // f32 on both sides; only the order of the squared-norm sums differs.
    for (const [what, rel] of [
      ['θ', r.thetaRel],
      ['m', r.mRel],
      ['v', r.vRel],
      ['Σg²', r.gradSqRel],
    ] as const) {
      expect.soft(rel, `${r.name}: ${what}${context}`).toBeLessThanOrEqual(1e-5);
    }
    expect.soft(r.tensorGrowth, `${r.name}: tensors left behind`).toBe(0);
  }
  expect.soft(result.gpuErrors, `uncaptured WebGPU errors${context}`).toEqual([]);
  expect(messages.filter((m) => WEBGPU_INVALID.test(m))).toEqual([]);
});
