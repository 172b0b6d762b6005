import { STAFF } from '../global-setup';
import { drainageCase, expect, hydrated, lookUp, newApplicant, openPane, staffPage, test } from './support';

// 办理进度查询 on a phone: someone with the case number and the applicant's mobile number
// follows the case; a window clerk acts in another browser, and the open tracking page
// updates by itself (server-sent events). The applicant signed in sees the same timeline
// without the second factor, with their messages.

test('a case is tracked by number and phone and the page follows the window live', async ({ page, request, browser }, testInfo) => {
  // The applicant files online (through the API; the form is covered by apply.spec.ts).
  const mobile = await newApplicant(request, '1360000', testInfo.project.name);
  const { number, caseNumber } = await drainageCase(request, mobile);

  // Someone with the QR code's address, on a phone, not signed in.
  await page.goto(`/track?case=${caseNumber}`);
  await hydrated(page);
  await lookUp(page, caseNumber, mobile);
  const track = page.locator('article.track');
  await expect(track).toHaveAttribute('data-status', 'submitted');
  await expect(track.locator('.track-status')).toHaveText('已提交，待受理');
  await expect(track.locator('[data-deadline="acceptance"]')).toBeVisible();
  await expect(track.getByRole('list', { name: '办理过程' })).toContainText('提交申请');
  await expect(track.locator('[data-masked="mobile"]')).toHaveText(`${mobile.slice(0, 3)}****${mobile.slice(7)}`);
  await expect(page.locator('body')).not.toContainText(mobile);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // The window accepts, in another browser; the open page follows without a reload.
  const staff = await staffPage(browser, STAFF[0].login);
  await staff.goto(`/staff/cases/${caseNumber}`);
  await hydrated(staff);
  await openPane(staff, '受理');
  await staff.getByRole('button', { name: '确认并出具通知书' }).click();
  await expect(staff.locator('[data-notice-kind="acceptance"]')).toContainText('受理通知书');
  await expect(track).toHaveAttribute('data-status', 'accepted', { timeout: 20_000 });
  await expect(track.locator('.track-status')).toHaveText('已受理，待审查');
  await expect(track.locator('[data-deadline="decision"]')).toContainText('剩余 7 个工作日');

  // A special procedure, recorded at the workbench and checked there first.
  await staff.reload();
  await hydrated(staff);
  await staff.getByRole('button', { name: '启动特别程序' }).click();
  await staff.getByRole('button', { name: '确认并书面告知申请人' }).click();
  await expect(staff.locator('.problems')).toContainText('请选择特别程序');
  await staff.getByLabel('特别程序').selectOption({ label: '检测' });
  await staff.getByLabel('原因').fill('需对管材进行抽样检测');
  await staff.getByRole('button', { name: '确认并书面告知申请人' }).click();
  await expect(staff.locator('[data-notice-kind="suspension"]')).toContainText('特别程序告知书');
  await expect(track).toHaveAttribute('data-status', 'suspended', { timeout: 20_000 });
  await expect(track).toContainText('需对管材进行抽样检测');
  await expect(track.locator('[data-deadline="decision"]')).toContainText('计时暂停');
  await staff.context().close();

  // The applicant, signed in: the same timeline without the second factor, and messages.
  expect((await page.request.post('/api/v1/auth/login', { data: { mobile, password: 'shigong2026' } })).status()).toBe(200);
  await page.goto(`/my`);
  await page.locator(`[data-number="${number}"]`).getByRole('link', { name: '办理进度' }).click();
  await expect(page.getByText('您已登录，这是您本人的办件。')).toBeVisible();
  const own = page.locator('article.track').first();
  await expect(own).toHaveAttribute('data-status', 'suspended');
  await expect(own.locator('.messages')).toContainText('启动特别程序');
  await expect(own.getByRole('link', { name: '特别程序告知书' })).toBeVisible();
});
