import { expect, grantRoadWorks, hydrated, newApplicant, ok, roadWorksDraft, test } from './support';

// 送达 by post, end to end: an applicant who chose 邮寄 for a 占道挖掘 permit follows the case
// on a phone; after the decision the 城管局 window records the carrier and waybill, the phone
// shows the waybill, and once the post is received the case ends (办结).

test('a result sent by post shows its waybill on the phone, and the case ends on receipt', async ({ page, request, browser }, testInfo) => {
  test.slow();
  const mobile = await newApplicant(request, '1360000', testInfo.project.name);
  const number = await roadWorksDraft(request, mobile, {
    method: 'post',
    address: { province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号', recipient: '赵六', mobile },
  });
  const caseNumber: string = (await ok(request.post(`/api/v1/applications/${number}/submit`), 200)).case_number;

  // Accepted by 城管局, reviewed by both departments, granted by its chief.
  const chief = await grantRoadWorks(browser, caseNumber);

  // The applicant follows it on a phone: decided, to be posted.
  await page.goto(`/track?case=${caseNumber}`);
  await hydrated(page);
  await page.getByLabel('手机号码或查询码').fill(mobile);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  const track = page.locator('article.track');
  await expect(track).toHaveAttribute('data-status', 'decided');
  const delivery = track.locator('[data-delivery]');
  await expect(delivery).toContainText('邮寄送达');
  await expect(delivery).toContainText('待送达');
  await expect(delivery).toContainText('浙江省杭州市西湖区');
  await expect(delivery).not.toContainText('文三路');

  // The window posts it: the browser refuses a malformed waybill with the server's words.
  await chief.goto(`/staff/cases/${caseNumber}`);
  await hydrated(chief);
  const panel = chief.locator('section.delivery');
  await expect(panel).toContainText('文三路 100 号');
  await panel.getByLabel('快递公司').selectOption('顺丰速运');
  await panel.getByLabel('运单号').fill('SF-1');
  await panel.getByRole('button', { name: '登记寄出' }).click();
  await expect(panel.getByRole('alert')).toContainText('运单号为 8–30 位字母或数字');
  await panel.getByLabel('运单号').fill('sf1234567890');
  await panel.getByRole('button', { name: '登记寄出' }).click();
  await expect(panel.locator('[data-waybill]')).toHaveText('SF1234567890');

  // The phone shows the waybill without a reload.
  await expect(delivery.locator('[data-waybill]')).toHaveText('SF1234567890', { timeout: 20_000 });
  await expect(delivery).toContainText('顺丰速运');

  // Received: the case ends.
  await panel.getByRole('button', { name: '确认已妥投' }).click();
  await expect(panel.locator('[data-delivered]')).toBeVisible();
  await expect(track).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
  await expect(track.locator('.track-status')).toHaveText('已办结');
  await expect(delivery).toContainText('已送达');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('the applicant chooses 邮寄 on the last step, and a wrong address is caught in the browser', async ({ page }, testInfo) => {
  const mobile = await newApplicant(page.request, '1360000', testInfo.project.name);
  const number = await roadWorksDraft(page.request, mobile);
  const submits: string[] = [];
  page.on('request', (r) => { if (r.url().includes('/sf/applications/submit')) submits.push(r.url()); });
  await page.goto(`/applications/${number}`);
  await hydrated(page);
  await page.locator('.stepper button', { hasText: '核对提交' }).click();
  const choice = page.locator('fieldset.delivery-choice');
  await expect(choice).toContainText('网上下载');
  await expect(choice).toContainText('窗口领取');

  // Nothing chosen: the browser says so and sends nothing.
  const submit = page.getByRole('button', { name: '提交申请' });
  await submit.click();
  await expect(page.locator('.problems')).toContainText('请选择办理结果的送达方式');
  expect(submits).toEqual([]);

  // 邮寄 asks for the address; a wrong mobile is caught on leaving the field.
  await choice.getByLabel('邮寄送达').check();
  await expect(page.locator('fieldset.postal-address')).toContainText('收件人手机号码');
  await page.locator('#delivery-province').selectOption('浙江省');
  await page.locator('#delivery-city').fill('杭州市');
  await page.locator('#delivery-district').fill('西湖区');
  await page.locator('#delivery-detail').fill('文三路 100 号');
  await page.locator('#delivery-recipient').fill('赵六');
  await page.locator('#delivery-mobile').fill('12345');
  await page.locator('#delivery-mobile').blur();
  await expect(page.locator('#delivery-mobile-error')).toContainText('手机号码应为 11 位');
  await submit.click();
  expect(submits, 'a wrong address is not sent').toEqual([]);
  await page.locator('#delivery-mobile').fill('139 0013 9000');
  await expect(page.locator('#delivery-mobile-error')).toBeEmpty();
  await submit.click();

  // The receipt shows where the result will go, as the server kept it.
  await expect(page.getByRole('heading', { level: 1, name: '收件凭证' })).toBeVisible();
  await expect(page.locator('.receipt [data-delivery="post"]')).toContainText('浙江省杭州市西湖区文三路 100 号（赵六）');
  const kept = await ok(page.request.get(`/api/v1/applications/${number}`), 200);
  expect(kept.delivery).toEqual({
    method: 'post',
    address: { province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路 100 号', recipient: '赵六', mobile: '13900139000' },
  });
});
