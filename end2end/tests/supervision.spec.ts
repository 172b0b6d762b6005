import { STAFF } from '../global-setup';
import { expect, hydrated, staffPage, test } from './support';

// The chief representative's supervision board, and the administrator's holiday calendar,
// each checked in the browser by the server's own rules.

test('the chief representative sees the department’s open cases by time left', async ({ browser }) => {
  const chief = await staffPage(browser, STAFF.find((s) => s.role === 'chief')!.login);
  await chief.getByRole('link', { name: '督办看板' }).click();
  await expect(chief.getByRole('heading', { level: 1, name: '督办看板' })).toBeVisible();
  await expect(chief.getByRole('heading', { name: '按剩余时间' })).toBeVisible();
  await expect(chief.getByRole('row', { name: /合计/ })).toBeVisible();
  await expect(chief.getByRole('heading', { name: '预警与督办通知' })).toBeVisible();
  await chief.context().close();

  // Window staff are told the board is not theirs.
  const window = await staffPage(browser, STAFF.find((s) => s.role === 'window')!.login);
  await window.goto('/staff/supervision');
  await expect(window.getByText('督办看板只对首席代表和分管领导（督查）开放')).toBeVisible();
  await window.context().close();
});

test('an administrator enters next year’s holidays, with mistakes caught before saving', async ({ browser }) => {
  const admin = await staffPage(browser, STAFF.find((s) => s.role === 'admin')!.login);
  await admin.goto('/staff/calendar');
  await hydrated(admin);
  await expect(admin.locator('[data-year="2026"]')).toContainText('放假 33 天，调休上班 6 天');
  await admin.getByLabel('年份').fill('2027');
  await admin.getByLabel('依据').fill('国务院办公厅关于2027年部分节假日安排的通知');
  await admin.getByLabel('放假日期').fill('2027-01-01\n2027-02-06~2027-02-12');
  await admin.getByLabel('调休上班日').fill('2027-02-15');
  await admin.getByRole('button', { name: '保存' }).click();
  await expect(admin.getByText('2027-02-15 不是周末：调休上班日只能是周六或周日')).toBeVisible();
  await admin.getByLabel('调休上班日').fill('2027-02-14');
  await admin.getByRole('button', { name: '保存' }).click();
  await expect(admin.locator('.notice-success')).toContainText('已保存 2027 年：放假 8 天，调休上班 1 天');
  await expect(admin.locator('[data-year="2027"]')).toBeVisible();
  const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await admin.context().close();
});
