import { expect, grantRoadWorks, hydrated, newApplicant, ok, roadWorksDraft, test } from './support';

// 电子证照, end to end: a granted 占道挖掘 permit shows its licence to the applicant on a
// phone; the licence's verify link (what its QR code holds) opens /verify and says it is
// valid; the downloaded file verifies in the browser, and the same file with one character
// changed is refused there, without the server.

test('a granted licence shows on the phone, verifies by its link and from its file, and a changed file is refused', async ({ page, browser }, testInfo) => {
  test.slow();
  // The applicant, signed in on the phone.
  const mobile = await newApplicant(page.request, '1370000', testInfo.project.name);
  const draft = await roadWorksDraft(page.request, mobile, { method: 'download' });
  const caseNumber: string = (await ok(page.request.post(`/api/v1/applications/${draft}/submit`), 200)).case_number;
  const chief = await grantRoadWorks(browser, caseNumber, '夜间施工须另行报批');

  // The phone shows the licence with its number, check code and QR code.
  await page.goto(`/track?case=${caseNumber}`);
  await hydrated(page);
  const track = page.locator('article.track');
  await expect(track).toHaveAttribute('data-status', 'completed');
  const card = track.locator('[data-licences] .licence');
  await expect(card).toContainText('占用挖掘城市道路许可决定书');
  await expect(card).toContainText('夜间施工须另行报批');
  await expect(card.locator('.licence-qr svg')).toBeVisible();
  const number = (await card.getAttribute('data-licence'))!;
  const code = (await card.locator('[data-check-code]').textContent())!.trim();
  expect(number).toMatch(/^CGJ-\d{4}-[0-9A-Z]{10}-1$/);

  // Its verify link, as the QR code holds it: valid, on a phone, without signing in.
  const stranger = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  const verifier = await stranger.newPage();
  await verifier.goto(`/verify?number=${number}&code=${code}`);
  await hydrated(verifier);
  await expect(verifier.locator('[data-verdict="valid"]')).toContainText('验证通过');
  await expect(verifier.locator('.licence')).toContainText('示范市滨江市政工程有限公司');

  // The downloaded file verifies in the browser; one changed character does not.
  const file = await (await page.request.get(`/api/v1/licences/${number}/file`)).text();
  expect(file).toContain('"algorithm": "SM2-SM3"');
  await verifier.goto('/verify');
  await hydrated(verifier);
  const verifyCalls: string[] = [];
  verifier.on('request', (r) => { if (r.url().includes('/api/v1/licences/verification')) verifyCalls.push(r.url()); });
  await verifier.locator('#licence-file').setInputFiles({ name: 'licence.json', mimeType: 'application/json', buffer: Buffer.from(file) });
  await expect(verifier.locator('[data-file-verdict="valid"]')).toContainText('验证通过');
  const tampered = file.replace('江南大道雨水管改造', '江南大道雨水管改建');
  expect(tampered).not.toEqual(file);
  await verifier.locator('#licence-file').setInputFiles({ name: 'licence.json', mimeType: 'application/json', buffer: Buffer.from(tampered) });
  await expect(verifier.locator('[data-file-verdict="tampered"]')).toContainText('可能已被篡改');
  expect(verifyCalls, 'the file is checked in the browser, not sent').toEqual([]);
  const overflow = await verifier.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // The issuing chief withdraws it (撤销) with a reason: the verify page then says so.
  await chief.goto(`/staff/cases/${caseNumber}`);
  await hydrated(chief);
  const revoke = chief.locator('form[data-revoke]');
  await revoke.getByLabel('撤销').check();
  await revoke.getByLabel('理由').fill('申请人以欺骗手段取得许可');
  await revoke.getByRole('button', { name: '确认' }).click();
  await expect(chief.locator('[data-licences] .revoked')).toContainText('申请人以欺骗手段取得许可');
  await verifier.goto(`/verify?number=${number}&code=${code}`);
  await expect(verifier.locator('[data-verdict="revoked"]')).toContainText('撤销');
  // A wrong check code says nothing about the licence (and counts against this client, so
  // it comes last).
  await verifier.goto(`/verify?number=${number}&code=XXXXXXXX`);
  await expect(verifier.locator('[data-verdict="licence_not_found"]')).toBeVisible();
  await expect(verifier.locator('.licence')).toHaveCount(0);
  await stranger.close();
});

test('from the application, /verify checks a file with the same small wasm', async ({ page }) => {
  // Reached from inside the application, /verify is loaded from the server as the public
  // page it is (no application wasm has its view), and its file check loads the public
  // pages' verify wasm.
  await page.goto('/login');
  await hydrated(page);
  await page.getByRole('link', { name: '电子证照验真' }).click();
  await expect(page).toHaveURL(/\/verify$/);
  await expect(page.locator('body')).toHaveAttribute('data-lite', 'ready');
  await page.locator('#licence-file').setInputFiles({ name: 'licence.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "something-else"}') });
  await expect(page.locator('[data-file-verdict="malformed"]')).toContainText('验证未通过');
});
