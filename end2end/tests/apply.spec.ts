import { type Page } from '@playwright/test';
import { expect, hydrated, test, watch } from './support';

// A company applies online for 城镇污水排入排水管网许可 (SWJ-XK-001): the wasm checks the
// 统一社会信用代码 before anything is sent, the materials upload with a progress bar, the
// review step shows what goes in, and the receipt and 我的办件 show the case. Both browser
// projects run it, so the review-and-submit step is also done on a phone-sized screen.

const PDF = Buffer.concat([
  Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'),
  Buffer.alloc(1_500_000, ' '),
  Buffer.from('\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
]);
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108020000009077', 'hex');

function mobileFor(project: string, n: number) {
  return `1390000${project === 'phone' ? '1' : '2'}${String(n).padStart(3, '0')}`;
}

/** Registers (and so logs in) an applicant in this browser context. */
async function signUp(page: Page, mobile: string) {
  const response = await page.request.post('/api/v1/auth/register', {
    data: { mobile, password: 'shigong2026', name: '王五', id_number: '11010519491231002X' },
  });
  // 409: registered by an earlier run against the same server (a dev loop); logging in still works.
  expect([201, 409]).toContain(response.status());
  const login = await page.request.post('/api/v1/auth/login', {
    data: { mobile, password: 'shigong2026' },
  });
  expect(login.status()).toBe(200);
}

test('a company applies online, is stopped by a wrong credit code, uploads and submits', async ({ page }, testInfo) => {
  await signUp(page, mobileFor(testInfo.project.name, 1));
  const submits: string[] = [];
  const puts: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/sf/applications/submit')) submits.push(r.url());
    if (r.method() === 'PUT' && r.url().includes('/materials/')) puts.push(r.url());
  });

  await page.goto('/items/SWJ-XK-001');
  await hydrated(page);
  await page.getByRole('button', { name: '在线申办' }).click();
  await expect(page).toHaveURL(/\/applications\/OW\d{8}[0-9A-Z]{10}$/);
  await expect(page.getByRole('heading', { level: 1, name: '城镇污水排入排水管网许可' })).toBeVisible();
  await hydrated(page);

  // Step 1: the applicant. A wrong check character is caught by the wasm, on leaving the field.
  await page.getByLabel('单位申请（法人）').check();
  await page.getByLabel('单位名称').fill('示范市滨江水务建设有限公司');
  await page.getByLabel('统一社会信用代码').fill('91350100M000100Y44');
  await page.getByLabel('统一社会信用代码').blur();
  const checksum = page.locator('#applicant-credit_code-error');
  await expect(checksum).toHaveText('统一社会信用代码校验位不正确，请核对后重新输入');
  await expect(page.getByLabel('统一社会信用代码')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('法定代表人').fill('王五');
  await page.getByLabel('联系电话（手机）').fill('13800138000');
  await page.getByRole('button', { name: '下一步' }).click();
  await expect(checksum, 'the step does not go on with an error').toHaveText(/校验位不正确/);
  await expect(page.getByRole('heading', { level: 2, name: '申请人' })).toBeVisible();
  await page.getByLabel('统一社会信用代码').fill('91350100m000100y43');
  await expect(checksum).toBeEmpty();
  await page.getByRole('button', { name: '下一步' }).click();

  // Step 2: the item's form, generated from the catalog.
  await expect(page.getByRole('heading', { level: 2, name: '填写表单' })).toBeVisible();
  await page.locator('#values-project_name').fill('滨江污水处理厂配套管网工程');
  await page.locator('#values-project_address').fill('示范市滨江区江南大道 1 号');
  await page.locator('#values-drainage_volume').fill('很多');
  await page.locator('#values-drainage_volume').blur();
  await expect(page.locator('#values-drainage_volume-error')).toHaveText('日排水量应为数字');
  await page.locator('#values-drainage_volume').fill('1200');
  await expect(page.locator('#values-drainage_volume-error')).toBeEmpty();
  await page.locator('#values-contact_name').fill('赵六');
  await page.locator('#values-contact_mobile').fill('13900139000');
  await page.getByRole('button', { name: '下一步' }).click();

  // Step 3: materials. A PNG for a PDF-only material is refused in the browser: nothing sent.
  await expect(page.getByRole('heading', { level: 2, name: '上传材料' })).toBeVisible();
  await page.locator('#file-drainage_drawings').setInputFiles({ name: '平面图.pdf', mimeType: 'application/pdf', buffer: PNG });
  await expect(page.getByText('“排水管网平面图”只接受 PDF 文件，所选文件实际是 PNG')).toBeVisible();
  expect(puts).toEqual([]);

  // Progress is shown while a file goes up (the upload is slowed down to see it).
  await page.evaluate(() => {
    (window as any).__progress = [];
    new MutationObserver(() => {
      document.querySelectorAll('progress').forEach((p) => (window as any).__progress.push(Number(p.getAttribute('value'))));
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 600_000,
  });
  for (const [code, name] of [['drainage_application', '排水许可申请表.pdf'], ['drainage_drawings', '排水管网平面图.pdf']]) {
    await page.locator(`#file-${code}`).setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF });
    await expect(page.locator(`[data-material="${code}"]`).getByRole('link', { name })).toBeVisible();
  }
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1,
  });
  const seen: number[] = await page.evaluate(() => (window as any).__progress);
  expect(seen.length, 'a progress bar was shown').toBeGreaterThan(0);
  expect(seen.some((v) => v > 0 && v < 100), `progress moved: ${seen.join(',')}`).toBe(true);
  expect(puts.length).toBe(2);
  await expect(page.locator('[data-material="water_quality_report"]')).toContainText('必需 · 可容缺');
  await page.getByRole('button', { name: '下一步' }).click();

  // Step 4: review and submit.
  await expect(page.getByRole('heading', { level: 2, name: '核对提交' })).toBeVisible();
  const review = page.locator('.review');
  await expect(review).toContainText('91350100M000100Y43');
  await expect(review).toContainText('滨江污水处理厂配套管网工程');
  await expect(review).toContainText('已上传 排水管网平面图.pdf');
  await expect(review).toContainText('容缺，受理后补交');
  expect(submits, 'nothing was submitted before the review').toEqual([]);
  const submit = page.getByRole('button', { name: '提交申请' });
  await submit.scrollIntoViewIfNeeded();
  await expect(submit, 'the submit button can be reached on this screen').toBeInViewport();
  await submit.click();

  // The receipt.
  await expect(page.getByRole('heading', { level: 1, name: '收件凭证' })).toBeVisible();
  const caseNumber = (await page.locator('[data-case-number]').innerText()).trim();
  expect(caseNumber).toMatch(/^OW\d{8}[0-9A-Z]{10}$/);
  await expect(page.locator('.receipt')).toContainText('示范市滨江水务建设有限公司');
  await expect(page.locator('.receipt')).toContainText('网上申报');
  await expect(page.locator('.receipt')).toContainText('办事指南第 1 版');
  await expect(page.locator('.receipt')).toContainText('电子件 排水许可申请表.pdf');
  await expect(page.getByRole('button', { name: '打印凭证' })).toBeVisible();
  expect(submits.length).toBe(1);

  // 我的办件 lists the case with its status.
  await page.getByRole('link', { name: '返回我的办件' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的办件' })).toBeVisible();
  const card = page.locator('.case-card', { hasText: caseNumber });
  await expect(card).toContainText('城镇污水排入排水管网许可');
  await expect(card).toContainText('已提交，待受理');
  // Nothing sticks out of a phone's screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('a draft is saved as it is typed and resumes on another device', async ({ page, browser }, testInfo) => {
  const mobile = mobileFor(testInfo.project.name, 2);
  await signUp(page, mobile);
  await page.goto('/bundles/GCJS-3');
  await hydrated(page);
  await page.getByRole('button', { name: '在线申办' }).click();
  await expect(page).toHaveURL(/\/applications\/OW/);
  await hydrated(page);
  const url = page.url();
  const saved = page.waitForResponse(
    (r) => r.url().includes('/sf/applications/save') && (r.request().postData() ?? '').includes('13800138000'),
  );
  await page.getByLabel('本人申请').check();
  await page.getByLabel('联系电话（手机）').fill('13800138000');
  expect((await saved).status()).toBe(200);
  await expect(page.locator('.save-state')).toContainText('已保存');

  // Another browser (a phone, a colleague's computer): log in, find the draft, go on.
  const other = await browser.newContext();
  watch(other, 'second browser');
  const second = await other.newPage();
  const login = await second.request.post('/api/v1/auth/login', { data: { mobile, password: 'shigong2026' } });
  expect(login.status()).toBe(200);
  await second.goto('/my');
  await hydrated(second);
  const card = second.locator('.case-card', { hasText: '草稿' });
  await expect(card).toContainText('工程建设项目施工许可阶段');
  await card.getByRole('link', { name: '继续填写' }).click();
  await expect(second).toHaveURL(url);
  await hydrated(second);
  await expect(second.getByLabel('本人申请')).toBeChecked();
  await expect(second.getByLabel('联系电话（手机）')).toHaveValue('13800138000');
  await expect(second.locator('.applicant-self')).toContainText('王五');

  // Deleted there, gone here.
  second.on('dialog', (d) => d.accept());
  await second.goto('/my');
  await hydrated(second);
  await second.getByRole('button', { name: '删除草稿' }).click();
  await expect(second.getByText('还没有办件。')).toBeVisible();
  await other.close();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '没有找到这个办件' })).toBeVisible();
});
