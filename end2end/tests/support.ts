import { test as base, expect, type APIRequestContext, type APIResponse, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { STAFF_PASSWORD } from '../global-setup';

// What every browser test shares: the hydration wait, staff sign-in in a browser of their
// own, the workbench's panes, and a watch on every browser a test opens. A wasm panic or any
// other uncaught error in a page fails the test that caused it, and the browser's console
// errors go to the test output, so a failure on a CI machine can be read from its log.
// `E2E_NET=1` also prints every request each browser makes, with its time since the browser
// opened (how a click that sent nothing was told apart from a request that failed).

const uncaught: string[] = [];

/** Prints a context's console errors and records its uncaught errors under `label`. */
export function watch(context: BrowserContext, label: string) {
  context.on('console', (message) => {
    if (message.type() === 'error') console.log(`[browser ${label}] console error: ${message.text()}`);
  });
  if (process.env.E2E_NET) {
    const t0 = Date.now();
    context.on('request', (r) => console.log(`[net ${label}] +${Date.now() - t0} ${r.method()} ${r.url()}`));
    context.on('requestfinished', (r) => console.log(`[net ${label}] +${Date.now() - t0} done ${r.url()}`));
    context.on('requestfailed', (r) => console.log(`[net ${label}] +${Date.now() - t0} FAILED ${r.url()} ${r.failure()?.errorText}`));
  }
  context.on('weberror', (error) => {
    const line = `[browser ${label}] uncaught: ${error.error().stack ?? error.error().message}`;
    console.log(line);
    uncaught.push(line);
  });
}

/** Playwright's `test`, with every browser the test opens watched. */
export const test = base.extend<{ watched: void }>({
  watched: [
    async ({ context }, use) => {
      uncaught.length = 0;
      watch(context, 'page');
      await use();
      expect(uncaught, 'uncaught errors in the browser').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Waits until the wasm has taken over the server-rendered page. */
export async function hydrated(page: Page) {
  // The application's pages are ready once the wasm has taken them over; the public pages
  // (catalog, guides, tracking, licence checks) do not load it, and are ready once their
  // small script has set up their forms.
  await expect(page.locator('body[data-hydrated="true"], body[data-lite="ready"]')).toHaveCount(1);
}

/** Types `typed` (label → value) into `path` while its wasm is held back (a slow network,
 * made certain), lets the wasm take over, and checks that every value is still there. */
export async function typeBeforeWasm(page: Page, path: string, typed: [string, string][]) {
  let release = () => {};
  const held = new Promise<void>((resolve) => { release = resolve; });
  await page.route('**/pkg/onewindow.wasm', async (route) => { await held; await route.continue(); });
  await page.goto(path, { waitUntil: 'domcontentloaded' });
  for (const [label, value] of typed) await page.getByLabel(label).fill(value);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(0);
  release();
  await hydrated(page);
  for (const [label, value] of typed) await expect(page.getByLabel(label)).toHaveValue(value);
}

/** A staff member, logged in through the staff login page, in a browser of their own. */
export async function staffPage(browser: Browser, login: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN' });
  watch(context, login);
  const page = await context.newPage();
  await page.goto('/staff/login');
  await hydrated(page);
  await page.getByLabel('工号').fill(login);
  await page.getByLabel('密码').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/staff$/);
  return page;
}

/**
 * Opens one of the pre-review panes (受理, 容缺受理, 一次性告知补正, 不予受理) and waits for its
 * submit button. The tab is clicked again if the first click came before the page's wasm had
 * attached its handler (the button is then plain server-rendered HTML and does nothing), so a
 * slow hydration on a loaded machine does not fail the test; a pane that never opens still does.
 */
export async function openPane(page: Page, name: string) {
  const submit = page.getByRole('button', { name: '确认并出具通知书' });
  await expect(async () => {
    await page.getByRole('button', { name, exact: true }).click();
    await expect(submit).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

/** A one-page PDF, as the uploads take it. */
export const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/** Awaits an API call, expects its status, and answers its JSON. */
export async function ok(response: Promise<APIResponse>, status: number) {
  const r = await response;
  expect(r.status(), await r.text()).toBe(status);
  return r.json();
}

/** Signs for and agrees to the case's task of the signed-in reviewer's department (API). */
export async function agree(staff: Page, caseNumber: string) {
  const queue = await ok(staff.request.get('/api/v1/review/tasks'), 200);
  const entry = queue.entries.find((e: { task: { case_number: string } }) => e.task.case_number === caseNumber);
  expect(entry, `a task of ${caseNumber}`).toBeTruthy();
  await ok(staff.request.post(`/api/v1/review/tasks/${entry.task.id}/claim`, { data: {} }), 201);
  await ok(staff.request.post(`/api/v1/review/tasks/${entry.task.id}/complete`, { data: { opinion: 'agree' } }), 200);
}

/** The version a staff member sees a case at (what an action names). */
export async function caseVersion(staff: Page, caseNumber: string): Promise<number> {
  return (await ok(staff.request.get(`/api/v1/review/cases/${caseNumber}`), 200)).version;
}

/**
 * A 占道挖掘 (CGJ-XK-002) draft of a company, every material uploaded, with this delivery
 * choice (none when left out): its 申请编号.
 */
export async function roadWorksDraft(request: APIRequestContext, mobile: string, delivery?: object): Promise<string> {
  const draft = await ok(request.post('/api/v1/applications', {
    data: {
      item: 'CGJ-XK-002',
      applicant: { kind: 'company', values: { company_name: '示范市滨江市政工程有限公司', credit_code: '91350100M000100Y43', legal_representative: '王五', contact_mobile: mobile } },
      values: {
        project_name: '江南大道雨水管改造', project_address: '示范市滨江区江南大道 1 号', occupied_area: '120',
        works_start_date: '2027-03-01', works_days: '20', contact_name: '赵六', contact_mobile: mobile,
      },
      ...(delivery ? { delivery } : {}),
    },
  }), 201);
  for (const code of ['road_works_plan', 'location_map']) {
    await ok(request.put(`/api/v1/applications/${draft.number}/materials/${code}`, {
      data: PDF, headers: { 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent(`${code}.pdf`) },
    }), 200);
  }
  return draft.number;
}

/**
 * A company's 排水许可 (SWJ-XK-001) filed online through the API (the form itself is covered
 * by apply.spec.ts), with the application form's original to be brought at the window: its
 * 申请编号 and 办件编号.
 */
export async function drainageCase(request: APIRequestContext, mobile: string): Promise<{ number: string; caseNumber: string }> {
  const draft = await ok(request.post('/api/v1/applications', {
    data: {
      item: 'SWJ-XK-001',
      applicant: { kind: 'company', values: { company_name: '示范市滨江水务建设有限公司', credit_code: '91350100M000100Y43', legal_representative: '王五', contact_mobile: mobile } },
      values: { project_name: '滨江污水处理厂配套管网工程', project_address: '示范市滨江区江南大道 1 号', drainage_volume: '1200', contact_name: '赵六', contact_mobile: mobile },
      bring_original: ['drainage_application'],
    },
  }), 201);
  for (const code of ['drainage_drawings', 'water_quality_report']) {
    await ok(request.put(`/api/v1/applications/${draft.number}/materials/${code}`, {
      data: PDF, headers: { 'content-type': 'application/pdf', 'x-file-name': encodeURIComponent(`${code}.pdf`) },
    }), 200);
  }
  const submitted = await ok(request.post(`/api/v1/applications/${draft.number}/submit`), 200);
  return { number: draft.number, caseNumber: submitted.case_number };
}

/**
 * 城管局 accepts a submitted 占道挖掘 case, both departments agree, and its chief grants it
 * (through the API): the chief's page.
 */
export async function grantRoadWorks(browser: Browser, caseNumber: string, conditions = ''): Promise<Page> {
  const chief = await staffPage(browser, 'e2e-cgj-chief');
  await ok(chief.request.post(`/api/v1/review/cases/${caseNumber}/accept`, { data: { version: await caseVersion(chief, caseNumber) } }), 201);
  await agree(await staffPage(browser, 'e2e-cgj-reviewer'), caseNumber);
  await agree(await staffPage(browser, 'e2e-swj-reviewer'), caseNumber);
  await ok(chief.request.post(`/api/v1/review/cases/${caseNumber}/decision`, {
    data: { version: await caseVersion(chief, caseNumber), item: 'CGJ-XK-002', outcome: 'grant', conditions },
  }), 201);
  return chief;
}

/**
 * A new applicant signed in on `request` (a page's request shares its cookies): a mobile of
 * `series` (7 digits) for this project and moment. 409 (registered by an earlier run against
 * the same server) still signs in.
 */
export async function newApplicant(request: APIRequestContext, series: string, project: string): Promise<string> {
  const mobile = `${series}${project === 'phone' ? '1' : '2'}${String(Date.now() % 1000).padStart(3, '0')}`;
  const registered = await request.post('/api/v1/auth/register', {
    data: { mobile, password: 'shigong2026', name: '王五', id_number: '11010519491231002X' },
  });
  expect([201, 409]).toContain(registered.status());
  await ok(request.post('/api/v1/auth/login', { data: { mobile, password: 'shigong2026' } }), 200);
  return mobile;
}

/** A visitor's lookup on /track?case= (the number filled in from the address): without a
 * second factor (refused), with a wrong one (refused alike for any wrong guess; skipped with
 * `wrongGuess: false`, since every browser test comes from one address, and a third wrong
 * guess from it in one run would slow the next lookup down), then with the applicant's mobile. */
export async function lookUp(page: Page, caseNumber: string, mobile: string, wrongGuess = true) {
  await expect(page.getByLabel('办件编号')).toHaveValue(caseNumber);
  await page.getByRole('button', { name: '查询', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('请输入申请时填写的手机号码');
  if (wrongGuess) {
    await page.getByLabel('手机号码或查询码').fill('13900000000');
    await page.getByRole('button', { name: '查询', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('办件编号或验证信息不正确');
  }
  await page.getByLabel('手机号码或查询码').fill(mobile);
  await page.getByRole('button', { name: '查询', exact: true }).click();
}
