import { expect, test, type Page } from '@playwright/test';
import { waitForReady } from './appHelpers';

/** Visible text smaller than 12 px, and panels whose content is wider than the panel. */
async function layoutProblems(page: Page): Promise<{ small: string[]; overflow: string[] }> {
  return page.evaluate(() => {
    const small: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent?.trim();
      const el = n.parentElement;
      if (!text || !el) continue;
      if (
        el.closest(
          '.nm-visually-hidden, svg, .main-svg, .modebar, [hidden], dialog:not([open]), details:not([open]) > :not(summary)',
        )
      )
        continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < 12) small.push(`${size}px: ${text.slice(0, 40)}`);
    }
    // Plot text too (ticks, legends, annotations): Plotly writes the size on each text node.
    for (const t of document.querySelectorAll<SVGTextElement>('.main-svg text')) {
      const text = t.textContent?.trim();
      if (!text || t.getBoundingClientRect().width === 0) continue;
      const size = parseFloat(t.style.fontSize || getComputedStyle(t).fontSize);
      if (size < 12) small.push(`plot ${size}px: ${text.slice(0, 40)}`);
    }
    const overflow: string[] = [];
    for (const panel of document.querySelectorAll<HTMLElement>('.nm-panel')) {
      if (panel.scrollWidth > panel.clientWidth + 1) {
        overflow.push(
          `${panel.getAttribute('data-testid')}: ${panel.scrollWidth} > ${panel.clientWidth}`,
        );
      }
    }
    return { small: [...new Set(small)], overflow };
  });
}

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
  { width: 390, height: 844 },
]) {
  test(`readable at ${viewport.width}×${viewport.height}: no text under 12 px, no panel overflows`, async ({
    browser,
  }) => {
    const context = await browser.newContext({
      viewport,
      storageState: 'tests/browser/returning-visitor.json',
      ...(viewport.width < 800 ? { isMobile: true, hasTouch: true } : {}),
    });
    const page = await context.newPage();
    await page.goto('/#v=1&preset=mwg-nmrnn');
    await waitForReady(page);
    await page.waitForTimeout(1500);
    const problems = await layoutProblems(page);
    expect(problems.small).toEqual([]);
    expect(problems.overflow).toEqual([]);
    await context.close();
  });
}

test('the presentation layout gives every s(t) row at least 90 px and shows the PCA whole', async ({
  browser,
}) => {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
    storageState: 'tests/browser/returning-visitor.json',
  });
  const page = await context.newPage();
  await page.goto('/#v=1&preset=mwg-nmrnn');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Presentation' }).click();
  await expect(page.getByRole('button', { name: 'Presentation' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(page).toHaveURL(/present=1/);
  const signal = page
    .getByRole('region', { name: 'Modulation s(t)' })
    .locator('.nm-chart-plot')
    .first();
  await expect(signal.locator('.main-svg').first()).toBeVisible();
  const box = await signal.boundingBox();
  expect((box?.height ?? 0) / 3).toBeGreaterThanOrEqual(90);
  const pca = page.getByRole('region', { name: 'PCA of x(t)' }).locator('.nm-chart-plot').first();
  await pca.scrollIntoViewIfNeeded();
  const pcaBox = await pca.boundingBox();
  expect(pcaBox?.height ?? 0).toBeLessThanOrEqual(720);
  expect(pcaBox?.width ?? 0).toBeGreaterThan(300);
  const problems = await layoutProblems(page);
  expect(problems.small).toEqual([]);
  expect(problems.overflow).toEqual([]);
  await context.close();
});
