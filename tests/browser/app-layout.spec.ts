import { expect, test } from '@playwright/test';
import { waitForReady, watchPage } from './appHelpers';

test('every control has an accessible name and the main ones are reachable by keyboard', async ({
  page,
}) => {
  await page.goto('/');
  await waitForReady(page);
  await expect(page.getByTestId('output-plot').locator('.main-svg').first()).toBeVisible();

  const unnamed = await page.evaluate(() => {
    const controls = document.querySelectorAll<HTMLElement>(
      'button, input, select, textarea, [role="slider"], [role="tab"], a[href]',
    );
    const nameOf = (el: HTMLElement): string => {
      const labelled = el.getAttribute('aria-labelledby');
      const byId = labelled
        ? labelled
            .split(/\s+/)
            .map((id) => document.getElementById(id)?.textContent ?? '')
            .join(' ')
        : '';
      const labels = 'labels' in el ? Array.from((el as HTMLInputElement).labels ?? []) : [];
      return [
        el.getAttribute('aria-label'),
        byId,
        ...labels.map((l) => l.textContent),
        el.tagName === 'BUTTON' || el.tagName === 'A' ? el.textContent : '',
        el.getAttribute('title'),
      ]
        .filter(Boolean)
        .join(' ')
        .trim();
    };
    return Array.from(controls)
      .filter((el) => !nameOf(el))
      .map((el) => el.outerHTML.slice(0, 120));
  });
  expect(unnamed).toEqual([]);

  // Plots carry text alternatives.
  for (const fig of await page.getByRole('figure').all()) {
    expect((await fig.getAttribute('aria-label')) ?? '').not.toBe('');
    expect(((await fig.locator('figcaption').textContent()) ?? '').length).toBeGreaterThan(0);
  }

  const wanted = [
    'Presets',
    'Backend',
    'Copy link',
    'Play',
    'Step',
    'Reset',
    'New seed',
    'Learning rate',
    'Component 1 mode',
  ];
  const reached = new Set<string>();
  await page.locator('body').click({ position: { x: 700, y: 5 } });
  for (let i = 0; i < 250 && reached.size < wanted.length; i++) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '';
    });
    if (wanted.includes(name)) reached.add(name);
  }
  expect([...reached].sort()).toEqual([...wanted].sort());
});

test('on a phone the panels become tabs', async ({ browser }) => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto('/');
  await waitForReady(page);
  const tabs = page.getByRole('tablist', { name: 'Panels' });
  await expect(tabs).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Output' })).toHaveAttribute('aria-selected', 'true');
  // The plot toolbar would cover the legend above the plot: a phone shows the legend and no toolbar.
  await expect(page.getByTestId('output-plot').locator('.legend').first()).toBeVisible();
  await expect(page.getByTestId('output-plot').locator('.modebar-btn')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Ablation' }).click();
  await expect(page.getByRole('combobox', { name: 'Component 1 mode' })).toBeVisible();
  await expect(page.getByTestId('output-plot')).toHaveCount(0);
  await expect(page).toHaveURL(/[&#]tab=ablation(&|$)/);
  await page.getByRole('tab', { name: 'Ablation' }).press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'PCA' })).toHaveAttribute('aria-selected', 'true');
  // No horizontal scrolling of the page itself.
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  expect(watch.errors).toEqual([]);
  await context.close();
});
