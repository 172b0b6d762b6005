import { type Page } from '@playwright/test';
import { expect, hydrated, ok, test } from './support';

// The header every public page shares, on a 390-px phone: nothing in it breaks inside a
// word (事项清/单), the account (name and 退出) sits on one line, and 退出 reads white on red.

const PUBLIC_PAGES = ['/', '/items', '/items/ZJJ-XK-001', '/bundles', '/track', '/verify', '/licences'];

/** Header elements whose text wrapped: more than one line box, or a box taller than a line. */
async function brokenInHeader(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('.site-header a, .site-header button, .site-header .account-name, .brand-text > *')) {
      const text = el.textContent?.trim() ?? '';
      if (!text || el.children.length > 1) continue;
      const rects = el.getClientRects();
      const line = parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.5;
      const padding = parseFloat(getComputedStyle(el).paddingTop) + parseFloat(getComputedStyle(el).paddingBottom);
      if (rects.length > 1 || (rects.length === 1 && rects[0].height - padding > line * 1.5)) broken.push(text);
    }
    return broken;
  });
}

test('the public header fits a 390-px phone, signed in or not, no word broken', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'phone layout only');
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
  const page = await context.newPage();
  for (const signedIn of [false, true]) {
    if (signedIn) {
      const mobile = `1350009${String(Date.now() % 10000).padStart(4, '0')}`;
      const registered = await page.request.post('/api/v1/auth/register', {
        data: { mobile, password: 'shigong2026', name: '欧阳晓明', id_number: '11010519491231002X' },
      });
      expect([201, 409]).toContain(registered.status());
      await ok(page.request.post('/api/v1/auth/login', { data: { mobile, password: 'shigong2026' } }), 200);
    }
    for (const path of PUBLIC_PAGES) {
      await page.goto(path);
      await hydrated(page);
      const header = page.locator('.site-header');
      if (signedIn) {
        await expect(header.getByLabel('当前登录')).toHaveText('欧阳晓明');
        const logout = header.getByRole('button', { name: '退出' });
        await expect(logout).toBeVisible();
        expect(await logout.evaluate((b) => getComputedStyle(b).color)).toBe('rgb(255, 255, 255)');
        // Name and 退出 on one line.
        const [name, out] = [await header.getByLabel('当前登录').boundingBox(), await logout.boundingBox()];
        expect(Math.abs((name!.y + name!.height / 2) - (out!.y + out!.height / 2))).toBeLessThan(4);
      } else {
        await expect(header.getByRole('link', { name: '登录' })).toBeVisible();
      }
      expect(await brokenInHeader(page), `${path}, ${signedIn ? 'signed in' : 'signed out'}`).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  }
  // 退出 works on a page without the application: back home, signed out.
  await page.goto('/items');
  await hydrated(page);
  await page.locator('.site-header').getByRole('button', { name: '退出' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('.site-header').getByRole('link', { name: '登录' })).toBeVisible();
  await context.close();
});
