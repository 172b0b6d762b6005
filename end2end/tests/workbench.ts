import { expect, type Page } from '@playwright/test';

/**
 * Opens one of the pre-review panes (受理, 容缺受理, 一次性告知补正, 不予受理) and waits for its
 * submit button. The tab is clicked again if the first click came before the page's wasm had
 * attached its handler (the button is then plain server-rendered HTML and does nothing), so a
 * slow hydration on a loaded machine does not fail the test; a pane that never opens still does.
 */
export async function openPane(page: Page, name: string) {
  const submit = page.getByRole('button', { name: '确认并出具通知书' });
  await expect(async () => {
    await page.getByRole('button', { name, exact: true }).click();
    await expect(submit).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}
