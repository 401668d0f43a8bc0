/**
 * Every gallery preset that ships weights does its task in the page: opened from its link, the
 * page evaluates the shipped network itself and its Output panel reports what the file recorded
 * (per-task percent correct, Element Finder MSE, MWG produced intervals), which the gallery card
 * quotes. The Node test (tests/unit/presets-shipped.test.ts) checks the recorded numbers; this one
 * checks that the page, on its own backend, gets them too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { waitForReady } from './appHelpers';

const DIR = 'public/presets';
const presets = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

const TASKS: Record<string, string> = {
  delayPro: 'Delay Pro',
  delayAnti: 'Delay Anti',
  memoryPro: 'Memory Pro',
  memoryAnti: 'Memory Anti',
};

function recorded(name: string): Record<string, number | null> {
  const doc = JSON.parse(readFileSync(`${DIR}/${name}.json`, 'utf8')) as {
    metrics: Record<string, number | null>;
  };
  return doc.metrics;
}

/** The Output panel's text summary, once an evaluation of the loaded network has landed. */
async function outputSummary(page: Page): Promise<{ set: string; text: string }> {
  // The Output panel's first figure: outputs vs targets over time (MWG, multitask) or predicted vs
  // true values (Element Finder).
  const caption = page
    .getByRole('figure', { name: /output and target over time|predicted vs true value/i })
    .locator('figcaption');
  await expect(caption).toContainText(/Evaluation at step \d+ on the (\S+) set/, {
    timeout: 60_000,
  });
  const text = (await caption.textContent()) ?? '';
  return { set: /on the (\S+) set/.exec(text)![1], text };
}

for (const name of presets) {
  test(`the ${name} preset opens trained and scores in the page what its file records`, async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await page.goto(`/#v=1&preset=${name}&w=1`);
    await waitForReady(page);
    await expect(page.getByText('Trained weights loaded')).toBeVisible();
    const { set, text } = await outputSummary(page);
    const metrics = recorded(name);
    const at = (key: string): number => {
      const v = metrics[`${set}.${key}`];
      expect(v, `${name}: the file records ${set}.${key}`).not.toBeUndefined();
      return v ?? NaN;
    };
    if (name.startsWith('multitask')) {
      // Each task the page reports, against the file's figure for the same set. A task that set
      // lacks (Memory Anti after retraining is evaluated on the all-tasks set) is looked up there.
      const shown = [...text.matchAll(/(Delay Pro|Delay Anti|Memory Pro|Memory Anti) (\d+)%/g)];
      expect(shown.length, `${name}: tasks reported`).toBeGreaterThan(0);
      for (const [, label, percent] of shown) {
        const task = Object.entries(TASKS).find(([, l]) => l === label)![0];
        const v =
          metrics[`${set}.percentCorrect.${task}`] ?? metrics[`all-tasks.percentCorrect.${task}`];
        expect(v, `${name}: the file records ${label}`).toBeDefined();
        expect(percent, `${name}: ${label}`).toBe((v ?? NaN).toFixed(0));
      }
    } else if (name.startsWith('eft')) {
      expect(text).toContain(`final-step MSE ${at('mse').toFixed(2)}`);
    } else {
      // MWG: every produced interval the page lists, against the file's (ours, not the authors').
      const pairs = [...text.matchAll(/(\d+)→(\d+(?:\.\d+)?|none)/g)];
      expect(pairs.length).toBeGreaterThan(0);
      for (const [, I, shown] of pairs) {
        const v = metrics[`${set}.produced.I${I}`];
        const want = v === null || v === undefined || !Number.isFinite(v) ? 'none' : v.toFixed(1);
        expect(shown, `${name}: produced interval for I = ${I}`).toBe(want);
      }
    }
  });
}
