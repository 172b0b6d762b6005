import { type APIRequestContext, type Page } from '@playwright/test';
import { expect, hydrated, openPane, staffPage, test } from './support';

// The back office, end to end: a 一件事 (排水许可 by 水务局, 占道挖掘 by 城管局 with 水务局
// co-handling) is accepted at the window, both departments sign for and complete their
// review tasks, each item's chief representative decides it (one refusal, with its remedies),
// and one decision notice goes out; the applicant's tracking page, on a phone, follows it all
// live. Then a 即办件 is accepted and decided at the window in one step.

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** An applicant signed in on `request`; returns the mobile number. */
async function applicant(request: APIRequestContext, project: string, n: number): Promise<string> {
  const mobile = `1350000${project === 'phone' ? '1' : '2'}${String((Date.now() + n) % 1000).padStart(3, '0')}`;
  const registered = await request.post('/api/v1/auth/register', {
    data: { mobile, password: 'shigong2026', name: '王五', id_number: '11010519491231002X' },
  });
  expect([201, 409]).toContain(registered.status());
  expect((await request.post('/api/v1/auth/login', { data: { mobile, password: 'shigong2026' } })).status()).toBe(200);
  return mobile;
}

async function submit(request: APIRequestContext, data: object, materials: string[]): Promise<string> {
  const draft = await request.post('/api/v1/applications', { data });
  expect(draft.status()).toBe(201);
  const number: string = (await draft.json()).number;
  for (const code of materials) {
    const up = await request.put(`/api/v1/applications/${number}/materials/${code}`, {
      data: PDF, headers: { 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent(`${code}.pdf`) },
    });
    expect(up.status()).toBe(200);
  }
  const submitted = await request.post(`/api/v1/applications/${number}/submit`);
  expect(submitted.status()).toBe(200);
  return (await submitted.json()).case_number;
}

/** Signs for and agrees to every task of the signed-in reviewer's department on the case. */
async function reviewAll(page: Page, caseNumber: string, tasks: number) {
  await page.goto(`/staff/tasks`);
  await expect(page.locator('table.tasks')).toContainText(caseNumber);
  await page.goto(`/staff/cases/${caseNumber}`);
  await hydrated(page);
  const office = page.locator('[data-back-office]');
  for (let i = 0; i < tasks; i++) {
    await office.locator('[data-claim]').first().click();
    const form = office.locator('form[data-opinion]');
    await expect(form).toBeVisible();
    await form.getByRole('button', { name: '提交审查意见' }).click();
    await expect(form).toHaveCount(0);
  }
  await expect(office.locator('[data-claim]')).toHaveCount(0);
}

test('a bundle goes through both departments to one decision notice while the phone follows', async ({ page, request, browser }, testInfo) => {
  // Six people in six browsers and three live updates: a long story on a shared machine.
  test.slow();
  const mobile = await applicant(request, testInfo.project.name, 1);
  const caseNumber = await submit(request, {
    bundle: 'YJS-SZJR',
    applicant: { kind: 'company', values: { company_name: '示范市滨江水务建设有限公司', credit_code: '91350100M000100Y43', legal_representative: '王五', contact_mobile: mobile } },
    values: {
      project_name: '滨江污水处理厂配套管网工程', project_address: '示范市滨江区江南大道 1 号', drainage_volume: '1200',
      occupied_area: '300', works_start_date: '2027-03-01', works_days: '30', contact_name: '赵六', contact_mobile: mobile,
    },
    bring_original: [],
  }, ['drainage_application', 'drainage_drawings', 'water_quality_report', 'road_works_plan', 'location_map']);

  // The applicant follows the case on a phone.
  await page.goto(`/track?case=${caseNumber}`);
  await hydrated(page);
  await page.getByLabel('手机号码或查询码').fill(mobile);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  const track = page.locator('article.track');
  await expect(track).toHaveAttribute('data-status', 'submitted');

  // The 水务局 window accepts: three review tasks open.
  const window = await staffPage(browser, 'e2e-swj-window');
  await window.goto(`/staff/cases/${caseNumber}`);
  await hydrated(window);
  await openPane(window, '受理');
  await window.getByRole('button', { name: '确认并出具通知书' }).click();
  await expect(window.locator('[data-notice-kind="acceptance"]')).toContainText('受理通知书');
  await expect(track).toHaveAttribute('data-status', 'accepted', { timeout: 20_000 });
  const progress = track.locator('[data-progress] li');
  await expect(progress).toHaveCount(3);
  await expect(track.locator('[data-progress] [data-finished="true"]')).toHaveCount(0);

  // Each department reviews; the phone shows each finish without a reload.
  await reviewAll(await staffPage(browser, 'e2e-swj-reviewer'), caseNumber, 2);
  await expect(track).toHaveAttribute('data-status', 'in_review', { timeout: 20_000 });
  await expect(track.locator('.track-status')).toHaveText('审查中');
  await expect(track.locator('[data-progress] [data-finished="true"]')).toHaveCount(2, { timeout: 20_000 });
  await reviewAll(await staffPage(browser, 'e2e-cgj-reviewer'), caseNumber, 1);
  await expect(track.locator('[data-progress] [data-finished="true"]')).toHaveCount(3, { timeout: 20_000 });
  await expect(track).not.toContainText('审批小赵');

  // 城管局's chief grants its item.
  // The item waits in the chief's 待决定 list, every task done.
  const cgjChief = await staffPage(browser, 'e2e-cgj-chief');
  await cgjChief.goto('/staff/tasks');
  await hydrated(cgjChief);
  const due = cgjChief.locator('[data-decisions-due] tr[data-decision-due="CGJ-XK-002"]').filter({ hasText: caseNumber });
  await expect(due).toContainText('均同意');
  await due.getByRole('link', { name: caseNumber }).click();
  await expect(cgjChief).toHaveURL(new RegExp(`/staff/cases/${caseNumber}$`));
  await expect(cgjChief.locator('form[data-decide="CGJ-XK-002"]')).toBeVisible();
  const road = cgjChief.locator('form[data-decide="CGJ-XK-002"]');
  await road.getByLabel('附条件（准予时可填）').fill('夜间施工须另行报批');
  await road.getByRole('button', { name: '作出决定' }).click();
  await expect(cgjChief.locator('[data-decided="CGJ-XK-002"]')).toContainText('准予行政许可');
  await expect(cgjChief.locator('form[data-decide="SWJ-XK-001"]')).toHaveCount(0);

  // 水务局's chief refuses the other: reason and basis are asked for before sending.
  const swjChief = await staffPage(browser, 'e2e-swj-chief');
  await swjChief.goto(`/staff/cases/${caseNumber}`);
  await hydrated(swjChief);
  const drainage = swjChief.locator('form[data-decide="SWJ-XK-001"]');
  await drainage.getByLabel('不予行政许可').check();
  await drainage.getByRole('button', { name: '作出决定' }).click();
  await expect(swjChief.locator('[data-back-office] [role="alert"]')).toContainText('不予行政许可须说明理由');
  await drainage.getByLabel('理由（不予许可时必填）').fill('排水接管点与市政管网标高不符');
  await drainage.getByLabel('法律依据（不予许可时必填）').fill('《城镇排水与污水处理条例》第二十一条');
  await drainage.getByRole('button', { name: '作出决定' }).click();

  // One notice for the bundle, with each item's result and the remedies' last days.
  await swjChief.getByRole('link', { name: '行政许可决定书（一件事一次办）' }).click();
  const notice = swjChief.locator('[data-notice-kind="bundle_decision"]');
  await expect(notice).toContainText('统一出件');
  await expect(notice.locator('[data-item="CGJ-XK-002"]')).toContainText('附条件：夜间施工须另行报批');
  await expect(notice.locator('[data-item="SWJ-XK-001"]')).toContainText('排水接管点与市政管网标高不符');
  const remedies = notice.locator('[data-reconsideration-by]');
  await expect(remedies).toContainText('60 日内');
  await expect(remedies).toContainText('6 个月内');

  // The phone shows the decision, delivered online with it (the one method both items
  // offer): the case has ended.
  await expect(track).toHaveAttribute('data-status', 'completed', { timeout: 20_000 });
  await expect(track.locator('.track-status')).toHaveText('已办结');
  await expect(track.locator('[data-delivery]')).toContainText('已送达');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('a 即办件 is accepted and decided at the window in one step', async ({ request, browser }, testInfo) => {
  const mobile = await applicant(request, testInfo.project.name, 2);
  const caseNumber = await submit(request, {
    item: 'FGW-BA-001',
    applicant: { kind: 'company', values: { company_name: '示范市滨江水务建设有限公司', credit_code: '91350100M000100Y43', legal_representative: '王五', contact_mobile: mobile } },
    values: {
      project_name: '滨江污水处理厂', project_address: '示范市滨江区江南大道 1 号', total_investment: '5000', land_area: '20000',
      building_area: '8000', construction_content: '新建日处理 5 万吨污水处理厂一座', industry: 'infrastructure', contact_name: '赵六', contact_mobile: mobile,
    },
    bring_original: [],
  }, ['project_info_form', 'credit_commitment']);
  const window = await staffPage(browser, 'e2e-fgw-window');
  await window.goto(`/staff/cases/${caseNumber}`);
  await hydrated(window);
  const panel = window.locator('[data-on-the-spot]');
  await panel.getByRole('button', { name: '受理并当场办结' }).click();
  await expect(window.locator('h2', { hasText: '并联审查' })).toBeVisible();
  await window.getByRole('link', { name: '准予行政许可决定书' }).click();
  const notice = window.locator('[data-notice-kind="grant"]');
  await expect(notice).toContainText('决定准予行政许可');
  await window.goBack();
  await expect(window.getByRole('link', { name: '受理通知书' })).toBeVisible();
});
