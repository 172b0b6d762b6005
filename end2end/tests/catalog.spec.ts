import { type Page } from '@playwright/test';
import { expect, hydrated, test } from './support';

/** Fails the test on any error the page logs (a failed hydration logs one). */
function failOnConsoleErrors(page: Page) {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return () => expect(errors, 'errors in the browser console').toEqual([]);
}

test('a citizen searches the catalog and opens a guide', async ({ page }) => {
  const noErrors = failOnConsoleErrors(page);
  await page.goto('/');
  await hydrated(page);

  await page.getByRole('searchbox', { name: '搜索事项' }).fill('消防');
  await page.getByRole('button', { name: '搜索' }).click();

  await expect(page).toHaveURL(/\/items\?q=/);
  const results = page.getByRole('list', { name: '搜索结果' });
  await expect(page.getByRole('status')).toHaveText('共 3 个事项');
  await expect(results.getByRole('link')).toHaveCount(3);

  await results.getByRole('link', { name: /建设工程消防设计审查/ }).click();
  await expect(page).toHaveURL(/\/items\/ZJJ-XK-003$/);
  await expect(page.getByRole('heading', { level: 1, name: '建设工程消防设计审查' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '材料清单（4 项）' })).toBeVisible();

  const table = page.getByRole('table');
  await expect(table.getByRole('rowheader', { name: /消防设计文件/ })).toBeVisible();
  await expect(table.getByText('必需', { exact: true }).first()).toBeVisible();
  await expect(table.getByText('非必需')).toBeVisible();
  await expect(page.getByText('《中华人民共和国消防法》第十一条', { exact: false })).toBeVisible();
  await expect(page.getByText('10 个工作日').first()).toBeVisible();
  noErrors();
});

test('the catalog filters by department without reloading the page', async ({ page }) => {
  const noErrors = failOnConsoleErrors(page);
  await page.goto('/items');
  await hydrated(page);
  await expect(page.getByRole('status')).toHaveText('共 21 个事项');

  // A marker on window survives client-side navigation but not a full page load.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  await page.getByLabel('实施部门').selectOption({ label: '示范市人民防空办公室' });
  await page.getByRole('button', { name: '搜索' }).click();

  await expect(page).toHaveURL(/department=RFB/);
  await expect(page.getByRole('status')).toHaveText('共 2 个事项');
  await expect(page.getByRole('link', { name: /人防工程竣工验收备案/ })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  noErrors();
});

test('an unknown item code shows a clear not-found page', async ({ page }) => {
  const response = await page.goto('/items/NO-SUCH-ITEM');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: '未找到事项' })).toBeVisible();
});

test('a construction stage lists its items, one form and one set of materials', async ({ page }) => {
  const noErrors = failOnConsoleErrors(page);
  await page.goto('/');
  await hydrated(page);
  await page.getByRole('link', { name: /施工许可.*工程建设项目施工许可阶段/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: '工程建设项目施工许可阶段' })).toBeVisible();
  await expect(page.getByText('3 个事项共用')).toBeVisible();
  await page.getByRole('link', { name: /建筑工程施工许可证核发/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: '建筑工程施工许可证核发' })).toBeVisible();
  noErrors();
});

test('the guide fits a phone screen without sideways scrolling', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'phone layout only');
  await page.goto('/items/ZJJ-XK-001');
  await hydrated(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('results follow the search box as the user types', async ({ page }) => {
  const noErrors = failOnConsoleErrors(page);
  await page.goto('/items');
  await hydrated(page);
  await page.getByRole('searchbox', { name: '搜索' }).pressSequentially('人防', { delay: 50 });
  await expect(page).toHaveURL(/q=%E4%BA%BA%E9%98%B2/);
  await expect(page.getByRole('status')).toHaveText('共 2 个事项');
  await page.getByRole('searchbox', { name: '搜索' }).fill('');
  await page.getByRole('searchbox', { name: '搜索' }).press('End');
  await page.getByRole('searchbox', { name: '搜索' }).pressSequentially('预售');
  await expect(page.getByRole('status')).toHaveText('共 1 个事项');
  await expect(page.getByRole('link', { name: /商品房预售许可/ })).toBeVisible();
  noErrors();
});

test('the wasm is served compressed and revalidated, never stale', async ({ request }) => {
  const response = await request.get('/pkg/onewindow.wasm', { headers: { 'accept-encoding': 'br, gzip' } });
  expect(response.status()).toBe(200);
  expect(response.headers()['content-encoding']).toBe('br');
  expect(response.headers()['cache-control']).toBe('no-cache');
  expect(response.headers()['last-modified']).toBeTruthy();
});
