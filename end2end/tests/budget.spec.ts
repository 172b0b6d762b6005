import { type Page } from '@playwright/test';
import { expect, hydrated, newApplicant, ok, roadWorksDraft, test } from './support';

// What a phone downloads on a first visit, measured in Chromium (the bytes on the wire, as
// the DevTools protocol counts them: headers and compressed bodies, cache disabled). Every
// public page stays within 60 KB with its HTML, CSS, script and wasm: they are rendered on
// the server and do not load the application. The application page (a draft's form, a
// submitted case's fix-up or receipt), which is hydrated in full, stays within 350 KB; the
// applicant's other pages and the staff pages are reported.

const PUBLIC_BUDGET = 60 * 1024;
const APPLICATION_BUDGET = 350 * 1024;

/** Bytes a cold visit of `path` transfers, by type, and the encodings the server chose. */
async function coldVisit(page: Page, path: string) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const seen = new Map<string, { url: string; type: string; encoding: string }>();
  const bytes = new Map<string, number>();
  cdp.on('Network.responseReceived', (e) => {
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    seen.set(e.requestId, { url: e.response.url, type: e.type, encoding: String(headers['content-encoding'] ?? 'identity') });
  });
  cdp.on('Network.loadingFinished', (e) => bytes.set(e.requestId, e.encodedDataLength));
  await page.goto(path, { waitUntil: 'networkidle' });
  await hydrated(page);
  let total = 0;
  const parts: string[] = [];
  for (const [id, n] of bytes) {
    const r = seen.get(id);
    total += n;
    if (r) parts.push(`${new URL(r.url).pathname} ${n} B ${r.encoding}`);
  }
  await cdp.detach();
  return { total, parts };
}

test('every public page stays within 60 KB on a cold visit', async ({ page, request }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'measured once, on the phone');
  const bundles: { code: string }[] = await (await request.get('/api/v1/bundles')).json();
  const pages = ['/', '/items', '/items/ZJJ-XK-001', '/bundles', `/bundles/${bundles[0].code}`, '/track', '/verify', '/licences'];
  const over: string[] = [];
  for (const path of pages) {
    const { total, parts } = await coldVisit(page, path);
    console.log(`[budget] ${path}: ${total} B (${parts.join('; ')})`);
    expect(parts.some((p) => p.includes('onewindow.wasm')), `${path} loads the application's wasm`).toBe(false);
    if (total > PUBLIC_BUDGET) over.push(`${path}: ${total} B`);
  }
  expect(over, `public pages over ${PUBLIC_BUDGET} B`).toEqual([]);
});

test('the application pages are reported; the staff pages load a wasm of their own', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'measured once, on the phone');
  for (const path of ['/login', '/register']) {
    const { total, parts } = await coldVisit(page, path);
    console.log(`[budget] ${path}: ${total} B (${parts.join('; ')})`);
    expect(parts.some((p) => p.includes('onewindow.wasm')), `${path} loads the application`).toBe(true);
    expect(parts.some((p) => p.includes('staff.wasm')), `${path} leaves the back office out`).toBe(false);
  }
  const mobile = await newApplicant(page.request, '1390013', testInfo.project.name);
  const draft = await roadWorksDraft(page.request, mobile, { method: 'download' });
  const form = await coldVisit(page, `/applications/${draft}`);
  console.log(`[budget] a draft's form /applications/${draft}: ${form.total} B (${form.parts.join('; ')})`);
  expect(form.parts.some((p) => p.includes('/pkg/apply.wasm')), 'the application page loads its own wasm').toBe(true);
  expect(form.parts.some((p) => p.includes('onewindow.wasm')), 'and not the applicant\'s').toBe(false);
  expect(form.total, 'a draft\'s form').toBeLessThanOrEqual(APPLICATION_BUDGET);
  // Once submitted, the same address is the case's receipt, sent with the case's wasm.
  await ok(page.request.post(`/api/v1/applications/${draft}/submit`), 200);
  const receipt = await coldVisit(page, `/applications/${draft}`);
  console.log(`[budget] a submitted case /applications/${draft}: ${receipt.total} B (${receipt.parts.join('; ')})`);
  await expect(page.locator('.receipt')).toBeVisible();
  expect(receipt.parts.some((p) => p.includes('/pkg/case.wasm')), 'a submitted case loads the case\'s wasm').toBe(true);
  expect(receipt.parts.some((p) => p.includes('/pkg/apply.wasm')), 'and not the form\'s').toBe(false);
  expect(receipt.total, 'a submitted case\'s page').toBeLessThanOrEqual(APPLICATION_BUDGET);
  const { total, parts } = await coldVisit(page, '/staff/login');
  console.log(`[budget] /staff/login: ${total} B (${parts.join('; ')})`);
  expect(parts.some((p) => p.includes('/pkg/staff.wasm')), 'the staff pages load theirs').toBe(true);
  expect(parts.some((p) => p.includes('onewindow.wasm')), 'and not the applicant\'s').toBe(false);
});

test('a link from an applicant page to a staff page opens it with the staff pages\' wasm', async ({ page }) => {
  await page.goto('/login');
  await hydrated(page);
  const staffWasm = page.waitForResponse((r) => new URL(r.url()).pathname === '/pkg/staff.wasm');
  await page.getByRole('link', { name: '工作人员入口' }).click();
  await expect(page).toHaveURL(/\/staff\/login$/);
  await staffWasm;
  await hydrated(page);
  await expect(page.getByLabel('工号')).toBeVisible();
});
