import { expect, test } from '@playwright/test';
import { waitForReady, watchPage } from './appHelpers';

test('a pasted link and Back/Forward change the open page like a fresh load', async ({ page }) => {
  const watch = watchPage(page);
  await page.goto('/#v=1&preset=mwg-nmrnn');
  await waitForReady(page);
  await expect(page.getByRole('radio', { name: 'Measure-Wait-Go' })).toBeChecked();

  // Pasting another link into the address bar of the open tab.
  await page.evaluate(() => {
    location.hash = 'v=1&task=eft&model=lstm&N=10';
  });
  await expect(page.getByRole('radio', { name: 'Element Finder' })).toBeChecked();
  await expect(page.getByRole('spinbutton', { name: 'Hidden units N' })).toHaveValue('10');

  await page.goBack();
  await expect(page.getByRole('radio', { name: 'Measure-Wait-Go' })).toBeChecked();
  await page.goForward();
  await expect(page.getByRole('radio', { name: 'Element Finder' })).toBeChecked();
  expect(watch.errors).toEqual([]);
});

test('the worst links from the field open a page that trains', async ({ page }) => {
  const watch = watchPage(page);
  await page.goto('/#v=9&N=-3&lr=NaN&abl=foo');
  await expect(page.getByRole('status', { name: 'Notices' })).toContainText('R = 3 cannot exceed');
  await waitForReady(page);
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByLabel('Training progress').locator('dt:text-is("step") + dd')).toHaveText(
    '1',
  );
  expect(watch.errors).toEqual([]);
});

test('a number field applies on Enter, and a combination that cannot run is refused', async ({
  page,
}) => {
  await page.goto('/');
  await waitForReady(page);
  const n = page.getByRole('spinbutton', { name: 'Hidden units N' });
  await n.fill('2');
  await n.press('Enter');
  await expect(page.getByRole('status', { name: 'Notices' })).toContainText('cannot exceed');
  // The model that could run is still there.
  await expect(n).toHaveValue('100');
});
