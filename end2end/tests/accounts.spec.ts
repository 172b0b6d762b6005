import { type Page } from '@playwright/test';
import { expect, hydrated, newApplicant, test, typeBeforeWasm } from './support';

// One number per browser project, so both projects can register in the same database.
function mobileFor(project: string) {
  return project === 'phone' ? '13800000001' : '13800000002';
}

test('an applicant registers; the ID number is checked in the browser before anything is sent', async ({ page }, testInfo) => {
  const sent: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/sf/auth/register')) sent.push(request.url());
  });
  await page.goto('/');
  await hydrated(page);
  await page.getByRole('link', { name: '注册' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '注册申请人账号' })).toBeVisible();
  // The home page is a public page without the application: the link loads /register from
  // the server, and what is typed before its wasm has taken over is reset by hydration.
  await hydrated(page);

  await page.getByLabel('手机号码').fill(mobileFor(testInfo.project.name));
  await page.getByLabel('密码').fill('shigong2026');
  await page.getByLabel('姓名').fill('张三');
  // The standard's example with its last digit changed: the check digit is wrong.
  await page.getByLabel('居民身份证号码').fill('110105194912310021');
  await page.getByLabel('居民身份证号码').blur();
  await expect(page.getByText('居民身份证号码校验位不正确，请核对后重新输入')).toBeVisible();
  await expect(page.getByLabel('居民身份证号码')).toHaveAttribute('aria-invalid', 'true');

  await page.getByRole('button', { name: '注册并登录' }).click();
  await expect(page.getByText('居民身份证号码校验位不正确，请核对后重新输入')).toBeVisible();
  expect(sent, 'nothing is sent while the form has errors').toEqual([]);

  await page.getByLabel('居民身份证号码').fill('11010519491231002X');
  await expect(page.getByText('居民身份证号码校验位不正确，请核对后重新输入')).toBeHidden();
  await page.getByRole('button', { name: '注册并登录' }).click();

  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByLabel('当前登录')).toHaveText('张三');
  expect(sent.length).toBe(1);

  await page.getByRole('button', { name: '退出' }).click();
  await expect(page.getByRole('link', { name: '登录' })).toBeVisible();

  // Logging back in: a wrong password is refused without saying whether the number exists.
  await page.getByRole('link', { name: '登录' }).click();
  await page.getByLabel('手机号码').fill(mobileFor(testInfo.project.name));
  await page.getByLabel('密码').fill('wrong-pass1');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toHaveText('手机号码或密码不正确');
  await page.getByLabel('密码').fill('shigong2026');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByLabel('当前登录')).toHaveText('张三');

  // The session survives a reload (HttpOnly cookie, server-rendered header).
  await page.reload();
  await expect(page.getByLabel('当前登录')).toHaveText('张三');
});

test('what is typed before the page\'s wasm has arrived is kept when it takes over', async ({ page }) => {
  await typeBeforeWasm(page, '/register', [['手机号码', '13800000009'], ['姓名', '李四']]);
  // The form has the values, not just the page: the browser's check finds nothing to say.
  await page.getByLabel('手机号码').focus();
  await page.getByLabel('手机号码').blur();
  await expect(page.locator('#mobile-error')).toBeEmpty();
});

test('the claim form of 我的办件 keeps what was typed before the wasm arrived too', async ({ page }, testInfo) => {
  // The inputs outside the labelled fields (here the claim of a hall case) keep it the same way.
  await newApplicant(page.request, '1350017', testInfo.project.name);
  await typeBeforeWasm(page, '/my', [['办件编号', 'OW20261122000001'], ['查询码', 'ABCD2345']]);
});

test('an invalid mobile number is shown next to its field', async ({ page }) => {
  await page.goto('/register');
  await hydrated(page);
  await page.getByLabel('手机号码').fill('12345');
  await page.getByLabel('手机号码').blur();
  await expect(page.getByText('手机号码应为 11 位，以 13–19 开头')).toBeVisible();
});

test('a number is taken back by an SMS code; a wrong code is refused on its field', async ({ page }, testInfo) => {
  const mobile = testInfo.project.name === 'phone' ? '13800000091' : '13800000092';
  await page.goto('/login');
  await hydrated(page);
  await page.getByRole('link', { name: /找回账号/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: '找回账号' })).toBeVisible();
  await page.getByLabel('手机号码').fill(mobile);
  await page.getByRole('button', { name: '获取短信验证码' }).click();
  // The same answer whether or not the number is registered.
  await expect(page.getByRole('status').filter({ hasText: '验证码已通过短信发送' })).toBeVisible();

  // The code's form is checked in the browser by the server's rule.
  await page.getByLabel('短信验证码').fill('12345');
  await page.getByLabel('短信验证码').blur();
  await expect(page.getByText('请输入短信中的 6 位验证码')).toBeVisible();
  await page.getByLabel('短信验证码').fill('000000');
  await expect(page.getByText('请输入短信中的 6 位验证码')).toBeHidden();
  await page.getByLabel('姓名').fill('王芳');
  await page.getByLabel('居民身份证号码').fill('44052419850101001X');
  await page.getByLabel('新密码').fill('ziji2026ok');
  await page.getByRole('button', { name: '找回并登录' }).click();
  // No code was ever sent to this number: refused beside the code field.
  await expect(page.getByText('验证码不正确或已失效，请重新获取')).toBeVisible();
  await expect(page.getByLabel('短信验证码')).toHaveAttribute('aria-invalid', 'true');
});
