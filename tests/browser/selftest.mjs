// Checks the harness itself, without the Learning Zone server: that axe violations, controls
// Tab cannot reach and missing focus styles are caught, that the arrow keys choose options,
// and that mail in a Maildir is decoded (quoted-printable with soft line breaks, base64,
// multipart, encoded-word subjects). Run with `node tests/browser/selftest.mjs`.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  activate,
  checkA11y,
  launchBrowser,
  linkFrom,
  newKeyboardPage,
  parseMail,
  selectOption,
  tabTo,
  typeInto,
  waitForMail,
} from './lib/harness.mjs';

let passed = 0;
let failed = 0;

async function check(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${name}: ${e.message}`);
    if (e.details) console.log(e.details);
  }
}

async function rejects(fn, pattern) {
  try {
    await fn();
  } catch (e) {
    if (!pattern.test(`${e.message}\n${e.details || ''}`)) throw new Error(`failed, but not with ${pattern}: ${e.message}`);
    return;
  }
  throw new Error(`expected a failure matching ${pattern}`);
}

function doc(body, css = '') {
  return `<!doctype html><html lang="en"><head><title>Self-test</title><style>${css}</style></head>
<body><main><h1>Self-test</h1>${body}</main></body></html>`;
}

const FOCUS_CSS = 'a:focus, button:focus, input:focus, select:focus { outline: 3px solid #fd0; }';

const browser = await launchBrowser();
try {
  const page = await newKeyboardPage(browser);

  await check('axe: an image without alt text fails', async () => {
    await page.setContent(doc('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'));
    await rejects(() => checkA11y(page), /image-alt/);
  });

  await check('axe: a plain accessible page passes', async () => {
    await page.setContent(doc('<p>Hello</p>', FOCUS_CSS));
    await checkA11y(page);
  });

  await check('tabTo: reaches a button and sees its focus style', async () => {
    await page.setContent(doc('<a href="#x">One</a> <button type="button">Two</button>', FOCUS_CSS));
    await tabTo(page, page.getByRole('button', { name: 'Two' }));
  });

  await check('tabTo: a missing focus style fails', async () => {
    await page.setContent(
      doc('<button type="button">Two</button>', 'button { background: #eee; } button:focus { outline: none; }'),
    );
    await rejects(() => tabTo(page, page.getByRole('button', { name: 'Two' })), /no visible focus indicator/);
  });

  await check('tabTo: a transparent outline alone is not a visible focus style', async () => {
    await page.setContent(doc('<button type="button">Two</button>', 'button:focus { outline: 3px solid transparent; }'));
    await rejects(() => tabTo(page, page.getByRole('button', { name: 'Two' })), /no visible focus indicator/);
  });

  await check('tabTo: a background change counts as a focus style', async () => {
    await page.setContent(
      doc('<button type="button">Two</button>', 'button:focus { outline: 3px solid transparent; background: #fd0; }'),
    );
    await tabTo(page, page.getByRole('button', { name: 'Two' }));
  });

  await check('tabTo: a control Tab cannot reach fails', async () => {
    await page.setContent(doc('<button type="button">One</button> <button type="button" tabindex="-1">Two</button>', FOCUS_CSS));
    await rejects(() => tabTo(page, page.getByRole('button', { name: 'Two' })), /could not reach/);
  });

  await check('typeInto, selectOption and activate drive a form by keyboard', async () => {
    await page.route('http://selftest.invalid/**', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: route.request().method() === 'POST'
          ? doc(`<p id="got">${route.request().postData()}</p>`, FOCUS_CSS)
          : doc(
              `<form method="post" action="/done">
                 <label for="n">Name</label> <input id="n" name="n">
                 <label for="c">Colour</label>
                 <select id="c" name="c"><option value="">Choose</option><option value="r">Red</option><option value="g">Green</option></select>
                 <button type="submit">Send</button></form>`,
              FOCUS_CSS,
            ),
      }),
    );
    await page.goto('http://selftest.invalid/form');
    await typeInto(page, 'Name', 'Ada');
    assert((await selectOption(page, 'Colour', 'Green')) === 'Green');
    assert((await selectOption(page, 'Colour', 'Red')) === 'Red');
    await activate(page, page.getByRole('button', { name: 'Send' }));
    const got = await page.locator('#got').innerText();
    assert(got === 'n=Ada&c=r', `posted ${got}`);
  });

  await check('mail: quoted-printable with soft line breaks and an encoded subject', async () => {
    const raw = [
      'To: Pat <pat@example.org>',
      'Subject: =?utf-8?q?Confirm_your_email_address_for_Caf=C3=A9?=',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Hello,',
      '',
      'http://127.0.0.1:1/verify?token=3DxBd2gLj4mKuarFKlpubDkxd0EU_oBznZm05FR=',
      'l1vmLw',
      '',
      'Caf=C3=A9 ignore=',
      ' this.',
    ].join('\r\n');
    const m = parseMail(Buffer.from(raw, 'latin1'));
    assert(m.subject === 'Confirm your email address for Café', m.subject);
    assert(m.body.includes('Café ignore this.'), m.body);
    const link = linkFrom(m.body, '/verify');
    assert(link === 'http://127.0.0.1:1/verify?token=xBd2gLj4mKuarFKlpubDkxd0EU_oBznZm05FRl1vmLw', link);
  });

  await check('mail: base64 in a multipart message', async () => {
    const text = Buffer.from('Hello Sam,\n\nhttps://lz.example/sign-in\n', 'utf8').toString('base64');
    const raw = [
      'To: sam@example.org',
      'Subject: You have joined Blackpool FC Community Trust',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Hello</p>',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      text,
      '--b1--',
      '',
    ].join('\r\n');
    const m = parseMail(Buffer.from(raw, 'latin1'));
    assert(m.body.startsWith('Hello Sam,'), m.body);
    assert(linkFrom(m.body, '/sign-in') === 'https://lz.example/sign-in');
  });

  await check('mail: waitForMail picks the newest matching message', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lz-maildir-'));
    fs.mkdirSync(path.join(dir, 'new'));
    fs.mkdirSync(path.join(dir, 'cur'));
    const write = (name, subject, body, mtime) => {
      const f = path.join(dir, 'new', name);
      fs.writeFileSync(f, `To: a@example.org\nSubject: ${subject}\n\n${body}\n`);
      fs.utimesSync(f, mtime, mtime);
    };
    write('1', 'Confirm your email address', 'old', 1000);
    write('2', 'Confirm your email address', 'new', 2000);
    write('3', 'Something else', 'other', 3000);
    const m = await waitForMail(dir, 'A@example.org', /Confirm/, 1000);
    assert(m.body.trim() === 'new', m.body);
    await rejects(() => waitForMail(dir, 'b@example.org', /Confirm/, 300), /no email to b@example.org/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
} finally {
  await browser.close();
}

function assert(cond, message = 'assertion failed') {
  if (!cond) throw new Error(message);
}

console.log(`selftest: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
