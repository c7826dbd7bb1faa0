// Reusable helpers for Learning Zone's browser journeys.
//
// Every journey is driven by the keyboard alone (Tab, Enter, arrow keys, typing): `tabTo`
// proves that a control can be reached with Tab and that it shows a visible focus
// indicator, and `activate` presses Enter on it. Every page that loads in a journey is
// checked with axe-core against WCAG 2.0/2.1/2.2 A and AA; any violation fails the journey.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const A11Y_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const MAX_TABS = 150;
const NAV_TIMEOUT_MS = 20000;

/** An error raised by a check, with the details to print. */
export class CheckFailed extends Error {
  constructor(message, details = '') {
    super(message);
    this.name = 'CheckFailed';
    this.details = details;
  }
}

export function fail(message, details = '') {
  throw new CheckFailed(message, details);
}

export function assert(condition, message, details = '') {
  if (!condition) fail(message, details);
}

// ---------------------------------------------------------------------------------------
// Browser and pages

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.LZ_BROWSER_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// Per-page bookkeeping: how many documents have loaded, and how many were checked.
const pageState = new WeakMap();
let screenshotSeq = 0;
let currentJourney = 'journey';

/** Names the running journey (used in screenshot file names). */
export function setJourney(name) {
  currentJourney = name;
}

/**
 * A new page for keyboard-only use. Accepts a Browser (a fresh context is made for it) or a
 * BrowserContext. Every document that loads in the page is counted, so that a load the
 * journey did not check is caught (see `ensureChecked`).
 */
export async function newKeyboardPage(browserOrContext) {
  // A Browser has newContext(); a BrowserContext does not.
  const context =
    typeof browserOrContext.newContext === 'function' ? await browserOrContext.newContext() : browserOrContext;
  const page = await context.newPage();
  page.setDefaultTimeout(NAV_TIMEOUT_MS);
  const state = { loads: 0, checked: 0, tabLog: [] };
  pageState.set(page, state);
  page.on('load', () => {
    state.loads += 1;
  });
  return page;
}

function stateOf(page) {
  let s = pageState.get(page);
  if (!s) {
    s = { loads: 0, checked: 0, tabLog: [] };
    pageState.set(page, s);
    page.on('load', () => {
      s.loads += 1;
    });
  }
  return s;
}

/** Runs the page checks for any document that loaded since the last check. */
export async function ensureChecked(page) {
  const s = stateOf(page);
  if (s.loads > s.checked) await afterLoad(page);
}

/** Goes to a URL (typed in the address bar, or followed from an email) and checks the page. */
export async function visit(page, url) {
  const response = await page.goto(url, { waitUntil: 'load' });
  if (response && response.status() >= 400) {
    await afterLoad(page);
    fail(`GET ${url} answered ${response.status()}`);
  }
  await afterLoad(page);
  return response;
}

async function afterLoad(page) {
  const s = stateOf(page);
  s.checked = s.loads;
  await screenshot(page);
  await checkA11y(page);
}

async function screenshot(page) {
  const dir = process.env.LZ_BROWSER_SCREENSHOTS;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  screenshotSeq += 1;
  let slug = 'page';
  try {
    const u = new URL(page.url());
    slug = (u.pathname.replace(/^\/+|\/+$/g, '') || 'home').replace(/[^A-Za-z0-9]+/g, '-');
  } catch {
    /* about:blank and the like */
  }
  const journey = currentJourney.replace(/[^A-Za-z0-9]+/g, '-');
  const file = path.join(dir, `${String(screenshotSeq).padStart(3, '0')}-${journey}-${slug}.png`);
  await page.screenshot({ path: file, fullPage: true });
}

// ---------------------------------------------------------------------------------------
// Accessibility

/** Runs axe on the current document; fails on any WCAG 2.x A/AA violation. */
export async function checkA11y(page) {
  const hasAxe = await page.evaluate(() => typeof window.axe === 'object');
  if (!hasAxe) {
    // Evaluated through the DevTools protocol, so the site's script-src CSP does not apply.
    await page.evaluate(AXE_SOURCE);
  }
  const results = await page.evaluate(
    (tags) =>
      window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    A11Y_TAGS,
  );
  const violations = results.violations.filter((v) => v.tags.some((t) => A11Y_TAGS.includes(t)));
  if (violations.length > 0) {
    const lines = [];
    for (const v of violations) {
      lines.push(`  [${v.id}] (${v.impact}) ${v.help} — ${v.helpUrl}`);
      for (const n of v.nodes) {
        lines.push(`      target: ${n.target.join(' ')}`);
        lines.push(`      html:   ${n.html.replace(/\s+/g, ' ').slice(0, 300)}`);
        if (n.failureSummary) {
          lines.push(`      why:    ${n.failureSummary.replace(/\s+/g, ' ').slice(0, 400)}`);
        }
      }
    }
    fail(
      `${violations.length} accessibility violation(s) on ${page.url()}: ${violations.map((v) => v.id).join(', ')}`,
      lines.join('\n'),
    );
  }
}

// ---------------------------------------------------------------------------------------
// Keyboard

async function describeActive(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '<body>';
    const tag = el.tagName.toLowerCase();
    const id = el.id ? `#${el.id}` : '';
    const name = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || '')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 40);
    return `${tag}${id}${name ? ` "${name}"` : ''}`;
  });
}

function focusStyles(el) {
  const cs = getComputedStyle(el);
  return {
    outlineStyle: cs.outlineStyle,
    outlineWidth: cs.outlineWidth,
    outlineColor: cs.outlineColor,
    boxShadow: cs.boxShadow,
    backgroundColor: cs.backgroundColor,
  };
}

function colourAlpha(c) {
  const m = /rgba?\(([^)]*)\)/.exec(c || '');
  if (!m) return c === 'transparent' ? 0 : 1;
  const parts = m[1].split(/[ ,/]+/).filter(Boolean);
  return parts.length >= 4 ? parseFloat(parts[3]) : 1;
}

/** Whether the focused styles show a visible change from the unfocused ones. */
function focusIndicator(before, after) {
  const reasons = [];
  const outlineVisible =
    after.outlineStyle !== 'none' && parseFloat(after.outlineWidth) > 0 && colourAlpha(after.outlineColor) > 0;
  const outlineChanged =
    !before ||
    before.outlineStyle !== after.outlineStyle ||
    before.outlineWidth !== after.outlineWidth ||
    before.outlineColor !== after.outlineColor;
  if (outlineVisible && outlineChanged) reasons.push(`outline ${after.outlineWidth} ${after.outlineStyle} ${after.outlineColor}`);
  if (after.boxShadow && after.boxShadow !== 'none' && (!before || before.boxShadow !== after.boxShadow)) {
    reasons.push(`box-shadow ${after.boxShadow}`);
  }
  if (before && before.backgroundColor !== after.backgroundColor && colourAlpha(after.backgroundColor) > 0) {
    reasons.push(`background ${before.backgroundColor} → ${after.backgroundColor}`);
  }
  return reasons;
}

/**
 * Presses Tab until `locator`'s element has the focus (at most 150 times), then checks that
 * it shows a visible focus indicator. Fails if the element is never reached.
 */
export async function tabTo(page, locator, description = String(locator)) {
  await ensureChecked(page);
  const count = await locator.count();
  assert(count === 1, `expected exactly one element for ${description}, found ${count}`);
  await locator.scrollIntoViewIfNeeded().catch(() => {});
  const isActive = () => locator.evaluate((el) => el === document.activeElement);
  let before = null;
  if (!(await isActive())) {
    before = await locator.evaluate(focusStyles);
  }
  const visited = [];
  let reached = await isActive();
  for (let i = 0; i < MAX_TABS && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await isActive();
    if (!reached) visited.push(await describeActive(page));
  }
  if (!reached) {
    fail(
      `could not reach ${description} with the Tab key on ${page.url()} (${MAX_TABS} presses)`,
      `  focus went through: ${[...new Set(visited)].slice(0, 60).join(' → ')}`,
    );
  }
  const after = await locator.evaluate(focusStyles);
  const reasons = focusIndicator(before, after);
  if (reasons.length === 0) {
    fail(
      `no visible focus indicator on ${description} at ${page.url()}`,
      `  unfocused: ${JSON.stringify(before)}\n  focused:   ${JSON.stringify(after)}`,
    );
  }
  return locator;
}

/**
 * Tabs to the field labelled `labelText`, clears it and types `value`. Pass { within: locator }
 * to look for the field only inside that element (when several forms share the same labels).
 */
export async function typeInto(page, labelText, value, { within } = {}) {
  const field = (within ?? page).getByLabel(labelText, { exact: true });
  await tabTo(page, field, `field labelled "${labelText}"`);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  if (value !== '') await page.keyboard.type(value);
  const got = await field.inputValue();
  assert(got === value, `field labelled "${labelText}" holds ${JSON.stringify(got)} after typing ${JSON.stringify(value)}`);
  return field;
}

/** Whether pressing Enter on the element is expected to load a page. */
async function navigates(locator) {
  return locator.evaluate((el) => {
    if (el.tagName === 'A') {
      const href = el.getAttribute('href') || '';
      return href !== '' && !href.startsWith('#');
    }
    if (el.tagName === 'BUTTON' || (el.tagName === 'INPUT' && /^(submit|image)$/i.test(el.type))) {
      return !!el.form && (el.type || 'submit').toLowerCase() === 'submit';
    }
    return false;
  });
}

/**
 * Tabs to a link or button and presses Enter. When that loads a page (a link away, a form
 * submission) waits for it and checks the new page. Pass { navigation: false|true } to
 * override the guess.
 */
export async function activate(page, locator, description = String(locator), options = {}) {
  await tabTo(page, locator, description);
  const expectNav = options.navigation ?? (await navigates(locator));
  if (!expectNav) {
    await page.keyboard.press('Enter');
    await ensureChecked(page);
    return null;
  }
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load', timeout: NAV_TIMEOUT_MS }),
    page.keyboard.press('Enter'),
  ]);
  await afterLoad(page);
  return response;
}

/**
 * Tabs to the select labelled `labelText` and uses the arrow keys until the selected
 * option's text matches `optionText` (a string for an exact match, or a RegExp).
 * Returns the selected option's text. Pass { within: locator } to look for the select only
 * inside that element.
 */
export async function selectOption(page, labelText, optionText, { within } = {}) {
  const select = (within ?? page).getByLabel(labelText, { exact: true });
  await tabTo(page, select, `select labelled "${labelText}"`);
  const matches = (t) => (optionText instanceof RegExp ? optionText.test(t) : t.trim() === optionText);
  const info = () =>
    select.evaluate((el) => ({
      index: el.selectedIndex,
      texts: Array.from(el.options).map((o) => o.text.trim()),
    }));
  let { index, texts } = await info();
  const target = texts.findIndex(matches);
  assert(target >= 0, `select labelled "${labelText}" has no option ${optionText}`, `  options: ${texts.join(' | ')}`);
  for (let i = 0; i <= texts.length && index !== target; i++) {
    await page.keyboard.press(target > index ? 'ArrowDown' : 'ArrowUp');
    ({ index } = await info());
  }
  assert(index === target, `could not choose "${texts[target]}" in "${labelText}" with the arrow keys (stuck at "${texts[index]}")`);
  await ensureChecked(page);
  return texts[target];
}

/** Tabs to a checkbox and presses Space until it is ticked (`checked` true) or not (false). */
export async function setCheckbox(page, locator, checked = true, description = String(locator)) {
  await tabTo(page, locator, description);
  if ((await locator.isChecked()) !== checked) await page.keyboard.press('Space');
  const now = await locator.isChecked();
  assert(now === checked, `${description} is ${now ? 'ticked' : 'not ticked'} after pressing Space`);
  await ensureChecked(page);
  return locator;
}

// ---------------------------------------------------------------------------------------
// Page assertions

export function pathOf(page) {
  return new URL(page.url()).pathname;
}

export async function expectPath(page, expected) {
  const p = pathOf(page);
  const ok = expected instanceof RegExp ? expected.test(p) : p === expected;
  assert(ok, `expected to be on ${expected}, but on ${page.url()}`);
}

export async function expectHeading(page, name) {
  const h = page.getByRole('heading', { name, exact: typeof name === 'string' });
  const n = await h.count();
  if (n === 0) {
    const headings = await page.getByRole('heading').allInnerTexts();
    fail(`no heading "${name}" on ${page.url()}`, `  headings: ${headings.join(' | ')}`);
  }
}

export async function expectText(page, text, within = 'main') {
  const got = (await page.locator(within).innerText()).replace(/\s+/g, ' ');
  const ok = text instanceof RegExp ? text.test(got) : got.includes(text);
  assert(ok, `expected ${within} of ${page.url()} to contain ${text}`, `  text: ${got.slice(0, 1500)}`);
}

/** A notification banner (GOV.UK's, role=alert for a success) whose text contains `text`. */
export async function expectNotice(page, text) {
  const notices = await page.locator('main .govuk-notification-banner').allInnerTexts();
  const ok = notices.some((n) => (text instanceof RegExp ? text.test(n) : n.includes(text)));
  assert(ok, `expected a notice containing "${text}" on ${page.url()}`, `  notices found: ${JSON.stringify(notices)}`);
}

/** The rows of a table as arrays of cell texts (header row excluded). */
export async function tableRows(page, selector) {
  const table = page.locator(selector);
  assert((await table.count()) === 1, `no table ${selector} on ${page.url()}`);
  return table.locator('tbody tr').evaluateAll((rows) =>
    rows.map((r) => Array.from(r.cells).map((c) => c.innerText.replace(/\s+/g, ' ').trim())),
  );
}

// ---------------------------------------------------------------------------------------
// Mail (a Maildir written by the test SMTP server)

function decodeQuotedPrintable(s) {
  s = s.replace(/=\r?\n/g, '');
  const out = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(s.substr(i + 1, 2))) {
      out.push(parseInt(s.substr(i + 1, 2), 16));
      i += 2;
    } else {
      out.push(s.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(out);
}

function decodeCharset(bytes, charset) {
  try {
    return new TextDecoder((charset || 'utf-8').toLowerCase()).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** Decodes RFC 2047 encoded words in a header value. */
function decodeHeader(value) {
  return value
    .replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?[^?]+\?[QqBb]\?[^?]*\?=)/g, '$1')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, charset, enc, text) => {
      const bytes =
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : decodeQuotedPrintable(text.replace(/_/g, ' '));
      return decodeCharset(bytes, charset);
    });
}

function parseHeaders(text) {
  const headers = {};
  for (const line of text.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const key = line.slice(0, i).trim().toLowerCase();
    (headers[key] ||= []).push(line.slice(i + 1).trim());
  }
  return headers;
}

function headerParam(value, name) {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(value || '');
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Splits a raw entity (a string of bytes as latin1) into headers and decoded text. */
function parseEntity(raw) {
  const m = /\r?\n\r?\n/.exec(raw);
  const headText = m ? raw.slice(0, m.index) : raw;
  const bodyRaw = m ? raw.slice(m.index + m[0].length) : '';
  const headers = parseHeaders(headText);
  const ctype = (headers['content-type'] || ['text/plain'])[0];
  const mime = ctype.split(';')[0].trim().toLowerCase();
  if (mime.startsWith('multipart/')) {
    const boundary = headerParam(ctype, 'boundary');
    const parts = [];
    if (boundary) {
      const chunks = bodyRaw.split(new RegExp(`\\r?\\n?--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      for (const chunk of chunks.slice(1)) {
        if (chunk.startsWith('--')) break;
        parts.push(parseEntity(chunk.replace(/^[ \t]*\r?\n/, '')));
      }
    }
    const plain = parts.find((p) => p.mime === 'text/plain') || parts.find((p) => p.mime.startsWith('text/')) || parts[0];
    return { headers, mime, text: plain ? plain.text : '', parts };
  }
  const cte = (headers['content-transfer-encoding'] || ['7bit'])[0].toLowerCase();
  let bytes;
  if (cte === 'quoted-printable') bytes = decodeQuotedPrintable(bodyRaw);
  else if (cte === 'base64') bytes = Buffer.from(bodyRaw.replace(/\s+/g, ''), 'base64');
  else bytes = Buffer.from(bodyRaw, 'latin1');
  let text = decodeCharset(bytes, headerParam(ctype, 'charset')).replace(/\r\n/g, '\n');
  if (mime === 'text/html') {
    text = text.replace(/<a\s[^>]*href="([^"]*)"[^>]*>/gi, ' $1 ').replace(/<[^>]+>/g, ' ');
  }
  return { headers, mime, text };
}

/** Parses one raw RFC 5322 message (a Buffer). */
export function parseMail(buffer) {
  const entity = parseEntity(buffer.toString('latin1'));
  const h = (k) => (entity.headers[k] || []).map(decodeHeader);
  const recipients = [...h('to'), ...h('cc'), ...h('x-rcptto'), ...h('delivered-to')].join(', ').toLowerCase();
  return {
    subject: h('subject')[0] || '',
    to: h('to').join(', '),
    recipients,
    body: entity.text,
    headers: entity.headers,
    attachments: attachmentsOf(entity),
    calendars: calendarsOf(entity),
  };
}

/** The text/calendar parts shown in the message itself (not attachments): { method, text }. */
function calendarsOf(entity) {
  const out = [];
  for (const p of entity.parts || []) {
    const disposition = (p.headers['content-disposition'] || [''])[0];
    if (p.mime === 'text/calendar' && !/^\s*attachment/i.test(disposition)) {
      const type = (p.headers['content-type'] || [''])[0];
      out.push({ method: (headerParam(type, 'method') || '').toUpperCase(), text: p.text });
    }
    out.push(...calendarsOf(p));
  }
  return out;
}

/** The parts sent as attachments, at any depth: { name, mime, text }. */
function attachmentsOf(entity) {
  const out = [];
  for (const p of entity.parts || []) {
    const disposition = (p.headers['content-disposition'] || [''])[0];
    if (/^\s*attachment/i.test(disposition)) {
      out.push({ name: headerParam(disposition, 'filename') || '', mime: p.mime, text: p.text });
    }
    out.push(...attachmentsOf(p));
  }
  return out;
}

function readMaildir(maildir) {
  const found = [];
  for (const sub of ['new', 'cur']) {
    const dir = path.join(maildir, sub);
    let names = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      try {
        const stat = fs.statSync(file);
        if (stat.isFile()) found.push({ file, mtime: stat.mtimeMs, name });
      } catch {
        /* moved between readdir and stat */
      }
    }
  }
  return found;
}

/**
 * Polls the Maildir until a message to `toAddress` whose subject matches `subjectRegex`
 * arrives; returns { subject, body } (and more) of the newest such message.
 */
export async function waitForMail(maildir, toAddress, subjectRegex, timeoutMs = 15000) {
  assert(maildir, 'no Maildir given (LZ_BROWSER_MAILDIR)');
  const to = toAddress.toLowerCase();
  const deadline = Date.now() + timeoutMs;
  let seen = [];
  for (;;) {
    seen = [];
    const matching = [];
    for (const entry of readMaildir(maildir)) {
      let mail;
      try {
        mail = parseMail(fs.readFileSync(entry.file));
      } catch {
        continue;
      }
      seen.push(`${mail.to} — ${mail.subject}`);
      if (mail.recipients.includes(to) && subjectRegex.test(mail.subject)) matching.push({ ...entry, mail });
    }
    if (matching.length > 0) {
      matching.sort((a, b) => b.mtime - a.mtime || b.name.localeCompare(a.name));
      const { mail, file } = matching[0];
      return { ...mail, file };
    }
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(
    `no email to ${toAddress} with subject ${subjectRegex} arrived within ${timeoutMs} ms`,
    `  messages in ${maildir}:\n${seen.map((s) => `    ${s}`).join('\n') || '    (none)'}`,
  );
}

/** The first http(s) URL in `body` whose path starts with `pathPrefix`. */
export function linkFrom(body, pathPrefix) {
  for (const m of body.matchAll(/https?:\/\/[^\s<>"'()\[\]]+/g)) {
    const candidate = m[0].replace(/[.,;:!?]+$/, '');
    try {
      const u = new URL(candidate);
      if (u.pathname.startsWith(pathPrefix)) return candidate;
    } catch {
      /* not a URL after all */
    }
  }
  fail(`no link with a path starting ${pathPrefix} in the email`, `  body:\n${body}`);
}
