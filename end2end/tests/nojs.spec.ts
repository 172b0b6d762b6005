import { drainageCase, expect, lookUp, newApplicant, test } from './support';

// The public pages with JavaScript switched off, on a phone: search is a GET form, a tracking
// lookup a POST that redirects (a refusal shown once, the case shown after), 在线申办 and 退出
// plain posts. Nothing here runs a script.

test('search, tracking, applying and 退出 work with JavaScript off', async ({ browser, request }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'once, on a phone');
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();

  // Search from the home page, then filter: the server answers each GET.
  await page.goto('/');
  await page.getByRole('searchbox', { name: '搜索事项' }).fill('消防');
  await page.getByRole('button', { name: '搜索' }).click();
  await expect(page).toHaveURL(/\/items\?q=/);
  await expect(page.getByRole('status')).toHaveText('共 3 个事项');
  await expect(page.getByRole('searchbox', { name: '搜索' })).toHaveValue('消防');
  await page.getByLabel('实施部门').selectOption({ label: '示范市人民防空办公室' });
  await page.getByRole('searchbox', { name: '搜索' }).fill('');
  await page.getByRole('button', { name: '搜索' }).click();
  await expect(page).toHaveURL(/department=RFB/);
  await expect(page.getByRole('status')).toHaveText('共 2 个事项');

  // A case to track, filed through the API.
  const mobile = await newApplicant(request, '1350008', testInfo.project.name);
  const { caseNumber } = await drainageCase(request, mobile);

  // Tracking: the server says what is missing, then shows the case. (A wrong factor posted
  // without JavaScript is tested against the server in server/tests/api/public_pages.rs: the
  // browser tests share one address, and its wrong guesses are limited.)
  await page.goto(`/track?case=${caseNumber}`);
  await lookUp(page, caseNumber, mobile, false);
  await expect(page).toHaveURL(new RegExp(`/track\\?case=${caseNumber}$`));
  const track = page.locator('article.track');
  await expect(track).toHaveAttribute('data-status', 'submitted');
  await expect(track.locator('[data-masked="mobile"]')).toHaveText(`${mobile.slice(0, 3)}****${mobile.slice(7)}`);
  await expect(page.locator('body')).not.toContainText(mobile);
  // A reload shows it again without posting anything.
  await page.reload();
  await expect(track).toHaveAttribute('data-status', 'submitted');
  await expect(page.getByRole('alert')).toHaveCount(0);

  // Signed in (the session cookie shared with this browser), 在线申办 opens a draft; 退出 ends it.
  const session = (await request.storageState()).cookies.find((c) => c.name === 'ow_session')!;
  await context.addCookies([{ ...session }]);
  await page.goto('/items/SWJ-XK-001');
  await page.getByRole('button', { name: '在线申办' }).click();
  await expect(page).toHaveURL(/\/applications\/[0-9A-Z]+$/);
  await page.goto('/items');
  await page.locator('.site-header').getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('.site-header').getByRole('link', { name: '登录' })).toBeVisible();
  await context.close();
});
