// The public pages' script (/, /items, /bundles, guides, /track, /verify, /licences). Those
// pages are rendered on the server and work without JavaScript: search is a GET form, a
// tracking lookup a POST that redirects. With JavaScript this script only makes them nicer,
// and runs the domain's checks from the small wasm (lite/src/lib.rs), never a copy of them:
//
// - forms marked data-swap (search, filters) fetch the next page and swap its results
//   region in place, the address following; inputs marked data-live search as one types;
// - the tracking form is checked in the browser before it is posted (lookup_problem), and
//   an open case (article.track[data-stream]) follows the case live: on each server-sent
//   event the page is fetched again and the case swapped in place;
// - a licence file chosen on /verify is checked here, its SM2 signature against the
//   published keys (verify_licence, a second wasm loaded only then); the file is not sent.
//
// Built into the site's pkg/lite/ by scripts/build-wasm.

const LIVE_DELAY_MS = 300;

/** Fetches `url`'s page and puts its `selector` element in place of this page's. */
async function swap(url, selector) {
  const response = await fetch(url, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
  if (!response.ok && response.status !== 404) return false;
  const next = new DOMParser().parseFromString(await response.text(), 'text/html');
  const fresh = next.querySelector(selector);
  const here = document.querySelector(selector);
  if (!fresh || !here) return false;
  here.replaceWith(document.adoptNode(fresh));
  if (next.title) document.title = next.title;
  return true;
}

/** The address a GET form would go to. */
function formUrl(form) {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) {
    if (typeof value === 'string' && value.trim() !== '') params.append(key, value);
  }
  const query = params.toString();
  return form.getAttribute('action') + (query ? `?${query}` : '');
}

function enhanceSwapForms() {
  for (const form of document.querySelectorAll('form[data-swap]')) {
    const region = form.dataset.swap;
    const go = async (replace) => {
      const url = formUrl(form);
      if (await swap(url, region)) {
        if (replace) history.replaceState(null, '', url);
        else history.pushState(null, '', url);
      } else {
        location.assign(url);
      }
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      go(false);
    });
    let timer;
    for (const input of form.querySelectorAll('[data-live]')) {
      input.addEventListener('input', () => {
        clearTimeout(timer);
        timer = setTimeout(() => go(true), LIVE_DELAY_MS);
      });
    }
    addEventListener('popstate', () => {
      swap(location.href, region).then((ok) => ok || location.reload());
    });
  }
}

/** The tracking lookup: checked in the browser with the domain's rule before it is posted. */
function enhanceTrackForm() {
  const form = document.querySelector('form[data-track]');
  if (!form) return;
  const wasm = import('/pkg/lite/track.js').then(async (m) => {
    await m.default();
    return m;
  });
  const problem = form.querySelector('[data-problem]');
  let checked = false;
  form.addEventListener('submit', async (event) => {
    if (checked) return;
    event.preventDefault();
    let message;
    try {
      const m = await wasm;
      message = m.lookup_problem(form.elements.case.value, form.elements.factor.value);
    } catch {
      message = undefined; // the server checks again and says the same
    }
    if (message) {
      problem.textContent = message;
      problem.hidden = false;
      return;
    }
    problem.hidden = true;
    checked = true;
    form.submit();
  });
}

/** An open case follows the window live. */
function followCase() {
  const article = document.querySelector('article.track[data-stream]');
  if (!article || !('EventSource' in window)) return;
  const source = new EventSource(article.dataset.stream);
  let busy = false;
  source.addEventListener('changed', async () => {
    if (busy) return;
    busy = true;
    try {
      await swap(location.href, 'article.track');
    } finally {
      busy = false;
    }
  });
  addEventListener('pagehide', () => source.close());
}

/** A licence file checked in this browser. */
function enhanceFileCheck() {
  const section = document.querySelector('[data-file-check]');
  if (!section) return;
  section.hidden = false;
  const input = section.querySelector('input[type=file]');
  const busy = section.querySelector('[data-busy]');
  const result = section.querySelector('[data-file-result]');
  let wasm;
  input.addEventListener('change', async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    busy.hidden = false;
    let code;
    let message;
    try {
      wasm ??= import('/pkg/lite/verify.js').then(async (m) => {
        await m.default();
        return m;
      });
      const [m, text, keys, revocations] = await Promise.all([
        wasm,
        file.text(),
        fetch('/api/v1/licences/keys').then((r) => r.text()),
        fetch('/api/v1/licences/revocations').then((r) => r.text()),
      ]);
      [code, message] = m.verify_licence(text, keys, revocations, Date.now());
    } catch {
      code = 'unreachable';
      message = '未能完成验证：请检查网络后重试';
    }
    busy.hidden = true;
    const ok = code === 'valid';
    result.className = ok ? 'notice notice-success' : 'notice notice-error';
    result.dataset.fileVerdict = code;
    result.replaceChildren();
    const strong = document.createElement('strong');
    strong.textContent = ok ? '✓ 验证通过' : '✗ 验证未通过';
    result.append(strong, ` ${message}`);
    result.hidden = false;
  });
}

enhanceSwapForms();
enhanceTrackForm();
followCase();
enhanceFileCheck();
document.body.dataset.lite = 'ready';
