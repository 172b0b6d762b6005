import { type Browser, type Page } from '@playwright/test';
import { STAFF } from '../global-setup';
import { PDF, drainageCase, expect, hydrated, newApplicant, openPane, staffPage, test } from './support';

// The window workbench, end to end: an applicant's case has a wrong material; the window
// issues a one-time notice naming it; the applicant sees the notice, fixes only that
// material and resubmits; the window accepts; the applicant sees the acceptance notice.
// Then the same item taken at the window for a person standing there (in-hall intake).

const PDF_SEALED = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Sealed true >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

function mobileFor(project: string, n: number) {
  return `1370000${project === 'phone' ? '1' : '2'}${String(n).padStart(3, '0')}`;
}

/** The window clerk, on the pre-review queue. */
async function windowStaff(browser: Browser): Promise<Page> {
  const page = await staffPage(browser, STAFF[0].login);
  await expect(page.getByRole('heading', { level: 1, name: '预审工作台' })).toBeVisible();
  return page;
}

test('a notice names the wrong material, the applicant fixes only that online, and the case is accepted', async ({ page, browser }, testInfo) => {
  // The applicant's online submission (the form itself is covered by apply.spec.ts).
  const mobile = await newApplicant(page.request, '1370000', testInfo.project.name);
  const { number, caseNumber } = await drainageCase(page.request, mobile);

  // The window: the queue shows it; the case view lists the guide beside what came in.
  const staff = await windowStaff(browser);
  await expect(staff.locator('.queue-figures')).toContainText('待预审');
  await staff.locator(`[data-case="${caseNumber}"] a`).click();
  await expect(staff.getByRole('heading', { level: 1, name: '城镇污水排入排水管网许可' })).toBeVisible();
  await hydrated(staff);
  const drawings = staff.locator('[data-material="drainage_drawings"]');
  await expect(drawings).toContainText('drainage_drawings.pdf');
  // A PDF is shown in the page only when asked for (no viewer loads behind the clerk's back).
  await expect(staff.locator('iframe.preview')).toHaveCount(0);
  await drawings.getByRole('button', { name: '在此预览' }).click();
  await expect(drawings.locator('iframe.preview')).toHaveAttribute('src', new RegExp(`/materials/drainage_drawings$`));
  await drawings.getByRole('button', { name: '收起预览' }).click();
  await expect(staff.locator('iframe.preview')).toHaveCount(0);

  // One-time notice: a reason is required for the ticked material (checked in the browser).
  await openPane(staff, '一次性告知补正');
  await staff.locator('input[value="materials.drainage_drawings"]').check();
  await staff.getByRole('button', { name: '确认并出具通知书' }).click();
  await expect(staff.locator('.problems')).toContainText('请写明“排水管网平面图”需要补正的原因');
  await staff.getByPlaceholder('需要补正的原因（必填）').fill('未加盖设计单位公章');
  await staff.getByRole('button', { name: '确认并出具通知书' }).click();
  const notice = staff.locator('[data-notice-kind="correction"]');
  await expect(notice).toContainText('补齐补正材料一次性告知书');
  await expect(notice).toContainText('未加盖设计单位公章');
  const noticeNumber = (await notice.locator('[data-notice-number]').innerText()).trim();
  expect(noticeNumber).toMatch(/补字第 \d{6} 号/);

  // The applicant: the notice exactly as printed, and only the named material to fix.
  await page.goto(`/applications/${number}`);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: '补齐补正', exact: true })).toBeVisible();
  await expect(page.locator('[data-notice-kind="correction"] [data-notice-number]')).toHaveText(noticeNumber);
  await expect(page.locator('.fix-up [data-material]')).toHaveCount(1);
  await expect(page.locator('.fix-up [data-material="drainage_drawings"]')).toBeVisible();
  // Resubmitting unchanged is refused in the browser, with the server's words.
  await page.getByRole('button', { name: '重新提交' }).click();
  await expect(page.locator('.problems')).toContainText('补正通知要求补正“排水管网平面图”，尚未修改');
  await page.locator('#file-drainage_drawings').setInputFiles({ name: '平面图（盖章）.pdf', mimeType: 'application/pdf', buffer: PDF_SEALED });
  await expect(page.locator('[data-material="drainage_drawings"]').getByRole('link', { name: '平面图（盖章）.pdf' })).toBeVisible();
  await page.getByRole('button', { name: '重新提交' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '收件凭证' })).toBeVisible();
  await expect(page.locator('[data-status]').first()).toHaveAttribute('data-status', 'submitted');

  // The window sees what changed, the old file kept, and accepts.
  await staff.reload();
  await hydrated(staff);
  await expect(staff.getByText('申请人已按补正通知修改：materials.drainage_drawings')).toBeVisible();
  await expect(staff.locator('[data-material="drainage_drawings"] .replaced')).toContainText('补正前：drainage_drawings.pdf');
  await openPane(staff, '受理');
  await staff.getByRole('button', { name: '确认并出具通知书' }).click();
  const acceptance = staff.locator('[data-notice-kind="acceptance"]');
  await expect(acceptance).toContainText('受理通知书');
  await expect(acceptance.locator('.qr svg')).toBeVisible();
  const promised = await acceptance.locator('[data-promised-due]').getAttribute('data-promised-due');
  expect(promised).toMatch(/^\d{4}-\d{2}-\d{2}$/);

  // The applicant sees the acceptance notice.
  await page.reload();
  await hydrated(page);
  await page.getByRole('link', { name: '受理通知书' }).click();
  const mine = page.locator('[data-notice-kind="acceptance"]');
  await expect(mine).toContainText('本机关决定予以受理');
  await expect(mine.locator('[data-promised-due]')).toHaveText(promised!);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await staff.context().close();
});

test('window staff take the same item for a person at the window, with the same checks', async ({ browser }, testInfo) => {
  const staff = await windowStaff(browser);
  await staff.goto('/staff/intake');
  await hydrated(staff);
  await staff.locator('[data-item="SWJ-XK-001"]').getByRole('button', { name: '开始收件' }).click();
  await expect(staff).toHaveURL(/\/applications\/OW/);
  await hydrated(staff);
  await expect(staff.getByLabel('本人申请')).toHaveCount(0);
  await staff.getByLabel('代他人申请（个人）').check();
  await staff.getByLabel('申请人姓名').fill('张三');
  await staff.getByLabel('申请人居民身份证号码').fill('110105194912310021');
  await staff.getByLabel('申请人居民身份证号码').blur();
  await expect(staff.locator('#applicant-id_number-error')).not.toBeEmpty();
  await staff.getByLabel('申请人居民身份证号码').fill('11010519491231002X');
  await expect(staff.locator('#applicant-id_number-error')).toBeEmpty();
  await staff.getByLabel('联系电话（手机）').fill(mobileFor(testInfo.project.name, 9));
  await staff.getByRole('button', { name: '下一步' }).click();
  await staff.locator('#values-project_name').fill('江南小区雨污分流改造');
  await staff.locator('#values-project_address').fill('示范市滨江区江南路 8 号');
  await staff.locator('#values-drainage_volume').fill('300');
  await staff.locator('#values-contact_name').fill('张三');
  await staff.locator('#values-contact_mobile').fill('13900139000');
  await staff.getByRole('button', { name: '下一步' }).click();
  await staff.locator('#file-drainage_drawings').setInputFiles({ name: '扫描件.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(staff.locator('[data-material="drainage_drawings"]').getByRole('link', { name: '扫描件.pdf' })).toBeVisible();
  await staff.locator('#file-water_quality_report').setInputFiles({ name: '水质报告.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(staff.locator('[data-material="water_quality_report"]').getByRole('link', { name: '水质报告.pdf' })).toBeVisible();
  await staff.locator('input[name="original-drainage_application"]').check();
  await staff.getByRole('button', { name: '下一步' }).click();
  await staff.getByRole('button', { name: '提交申请' }).click();
  await expect(staff.getByRole('heading', { level: 1, name: '收件凭证' })).toBeVisible();
  await expect(staff.locator('.receipt')).toContainText('窗口收件');
  await staff.getByRole('link', { name: '到预审工作台受理' }).click();
  await hydrated(staff);
  await expect(staff.locator('.history')).toContainText('窗口');
  await openPane(staff, '受理');
  await staff.getByRole('button', { name: '确认并出具通知书' }).click();
  await expect(staff.locator('[data-notice-kind="acceptance"]')).toContainText('张三');
  await staff.context().close();
});
