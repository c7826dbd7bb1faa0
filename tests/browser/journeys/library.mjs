// Learning library journey, by keyboard alone: a contributor shares a story of change (the
// form, a theme, a PDF attachment) and submits it for review; a moderator sends it back with
// a comment; the contributor adds the outcomes and submits it again; the moderator approves
// and publishes it; a member of another place finds it by a misspelt word that appears only
// inside the PDF, marks it useful and reads its history (two versions).

import {
  activate,
  assert,
  ensureChecked,
  expectHeading,
  expectNotice,
  expectPath,
  expectText,
  fail,
  newKeyboardPage,
  selectOption,
  setCheckbox,
  tabTo,
  typeInto,
  visit,
} from '../lib/harness.mjs';

const DEMO_PASSWORD = 'demo: moorland heather trail';
const ALEX = { name: 'Alex Sample', email: 'alex.sample@blackpool.gov.uk' };
const AMANDA = { name: 'Amanda Forrest', email: 'amanda.forrest@activelancashire.org.uk' };
const CHRIS = { name: 'Chris Specimen', email: 'chris.specimen@activecheshire.org' };
const KIND = 'Story of change or case study';
const ORGANISATION = 'Blackpool Council';
// A word that is only inside the uploaded PDF, and the misspelling searched for.
const PDF_WORD = 'thalassotherapy';
const MISSPELT = 'thalasotherapy';
const SEARCH_TIMEOUT_MS = 10000;

// ---------------------------------------------------------------------------------------
// A minimal PDF: one A4 page of Helvetica (a standard font, nothing embedded) in WinAnsi
// encoding, with a correct cross-reference table so that strict readers (lopdf and
// pdf-extract below it) accept it.

function pdfString(text) {
  // A literal string: backslash, parentheses escaped; anything outside printable ASCII dropped.
  return `(${text.replace(/[^\x20-\x7e]/g, '?').replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

function minimalPdf(lines) {
  const content = [
    'BT',
    '/F1 12 Tf',
    '72 770 Td',
    ...lines.map((l, i) => (i === 0 ? `${pdfString(l)} Tj` : `0 -16 Td ${pdfString(l)} Tj`)),
    'ET',
  ].join('\n');
  const contentBytes = Buffer.from(content, 'latin1');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    Buffer.concat([
      Buffer.from(`<< /Length ${contentBytes.length} >>\nstream\n`, 'latin1'),
      contentBytes,
      Buffer.from('\nendstream', 'latin1'),
    ]),
  ];
  const chunks = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = chunks[0].length;
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const chunk = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`, 'latin1'),
      Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'),
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    chunks.push(chunk);
    length += chunk.length;
  });
  const xrefOffset = length;
  // Each entry is exactly 20 bytes: 10-digit offset, space, 5-digit generation, space, n/f, space, LF.
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root 1 0 R >>`,
    'startxref',
    String(xrefOffset),
    '%%EOF',
    '',
  ].join('\n');
  chunks.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(chunks);
}

// ---------------------------------------------------------------------------------------
// Helpers

async function signIn(page, email, password) {
  await expectPath(page, '/sign-in');
  await expectHeading(page, 'Sign in');
  await typeInto(page, 'Email address', email);
  await typeInto(page, 'Password', password);
  await activate(page, page.locator('main').getByRole('button', { name: 'Sign in', exact: true }), 'button "Sign in"');
  await expectPath(page, '/account');
}

async function signOut(page) {
  await activate(page, page.getByRole('button', { name: 'Sign out', exact: true }), 'button "Sign out"');
  await expectPath(page, '/sign-in');
  await expectNotice(page, 'You have signed out.');
}

function navLink(page, name) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

/** Tabs to a text field found by `locator`, clears it and types `value`. */
async function typeIntoField(page, locator, value, description) {
  await tabTo(page, locator, description);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  if (value !== '') await page.keyboard.type(value);
  const got = await locator.inputValue();
  assert(got === value, `${description} holds ${JSON.stringify(got)} after typing ${JSON.stringify(value)}`);
  return locator;
}

/**
 * Chooses the radio button `target` as a keyboard user does: Tab reaches the group's checked
 * (or first) radio, then the arrow keys move the choice.
 */
async function chooseRadio(page, target, description) {
  const name = await target.getAttribute('name');
  const group = page.locator(`input[type="radio"][name="${name}"]`);
  const n = await group.count();
  let entry = group.first();
  for (let i = 0; i < n; i++) {
    if (await group.nth(i).isChecked()) entry = group.nth(i);
  }
  await tabTo(page, entry, `radio group "${name}"`);
  const ids = await group.evaluateAll((els) => els.map((e) => e.id));
  const targetId = await target.getAttribute('id');
  for (let i = 0; i <= n && !(await target.isChecked()); i++) {
    const current = await page.evaluate(() => document.activeElement && document.activeElement.id);
    await page.keyboard.press(ids.indexOf(targetId) > ids.indexOf(current) ? 'ArrowDown' : 'ArrowUp');
  }
  assert(await target.isChecked(), `could not choose ${description} with the arrow keys`);
  assert(
    await target.evaluate((el) => el === document.activeElement),
    `${description} is checked but does not have the focus`,
  );
  await ensureChecked(page);
}

/** Opens the item `title` from the moderator's review queue (typed address: /library/review). */
async function openFromReviewQueue(ctx, page, title) {
  await visit(page, ctx.url('/library/review'));
  await expectHeading(page, 'Waiting for review');
  const link = page.locator('#review-queue').getByRole('link', { name: title, exact: true });
  const found = await link.count();
  if (found !== 1) {
    const listed = await page.locator('main').innerText();
    fail(`the review queue lists "${title}" ${found} times, expected once`, `  page: ${listed.replace(/\s+/g, ' ').slice(0, 1500)}`);
  }
  await activate(page, link, `link "${title}" in the review queue`);
  await expectPath(page, /^\/library\/[^/]+$/);
  await expectHeading(page, title);
}

/** Opens the item `title` through Library → Your items. */
async function openFromMine(page, title) {
  await activate(page, navLink(page, 'Library'), 'navigation link "Library"');
  await expectPath(page, '/library');
  await activate(page, page.locator('main').getByRole('link', { name: 'Your items', exact: true }), 'link "Your items"');
  await expectPath(page, '/library/mine');
  await expectHeading(page, 'Your learning');
  await activate(page, page.locator('#my-items').getByRole('link', { name: title, exact: true }), `link "${title}" in your items`);
  await expectPath(page, /^\/library\/[^/]+$/);
  await expectHeading(page, title);
}

async function statusTag(page) {
  const tag = page.locator('#item-status');
  return (await tag.count()) === 0 ? '(none)' : (await tag.innerText()).trim();
}

// ---------------------------------------------------------------------------------------

export async function run(ctx) {
  const { step } = ctx;
  const suffix = Date.now();
  const title = `Sea air and wellbeing walks ${suffix}`;
  const fileName = `sea-air-${suffix}.pdf`;
  const pdf = minimalPdf([
    `Sea air and wellbeing walks ${suffix}`,
    `Participants compared the walks with ${PDF_WORD} on the promenade.`,
    'Most said they would come again.',
  ]);
  const page = await newKeyboardPage(ctx.context);
  let itemPath = '';

  await step(`${ALEX.name} signs in and opens "Share learning"`, async () => {
    await visit(page, ctx.url('/'));
    await activate(page, page.getByRole('link', { name: 'Sign in', exact: true }).first(), 'link "Sign in"');
    await signIn(page, ALEX.email, DEMO_PASSWORD);
    await activate(page, navLink(page, 'Library'), 'navigation link "Library"');
    await expectPath(page, '/library');
    await expectHeading(page, 'Learning library');
    await activate(page, page.locator('main').getByRole('link', { name: 'Share learning', exact: true }), 'link "Share learning"');
    await expectPath(page, '/library/new');
    await expectHeading(page, 'Share learning');
  });

  await step(`${ALEX.name} fills in the form and saves a draft`, async () => {
    await selectOption(page, 'What kind of item is this?', KIND);
    await typeInto(page, 'Title', title);
    await typeInto(page, 'Summary', 'Weekly guided walks on the seafront for people recovering from illness.');
    await typeInto(page, 'What we learned', 'A friendly volunteer at the start matters more than the route.');
    const org = await page.locator('#organisation_id').evaluate((el) => el.options[el.selectedIndex].text.trim());
    assert(org === ORGANISATION, `the organisation preselected is "${org}", expected "${ORGANISATION}"`);
    await selectOption(page, 'Organisation', ORGANISATION);
    await chooseRadio(page, page.locator('#visibility-network'), 'radio "Network: every signed-in partner"');
    const theme = page.locator('#term-theme-1');
    const themeName = (await page.locator('label[for="term-theme-1"]').innerText()).trim();
    await setCheckbox(page, theme, true, `theme checkbox "${themeName}"`);
    await activate(page, page.locator('main').getByRole('button', { name: 'Save draft', exact: true }), 'button "Save draft"');
    await expectPath(page, /^\/library\/[^/]+$/);
    itemPath = new URL(page.url()).pathname;
    await expectHeading(page, title);
    await expectNotice(page, 'Your draft has been saved.');
    await expectText(page, themeName);
  });

  await step(`${ALEX.name} uploads a PDF`, async () => {
    const input = page.locator('#file');
    await tabTo(page, input, 'file input "Add a file"');
    // Space on the focused file input opens the file chooser, which Playwright answers.
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
    await chooser.setFiles({ name: fileName, mimeType: 'application/pdf', buffer: pdf });
    const chosen = await input.evaluate((el) => (el.files.length ? el.files[0].name : ''));
    assert(chosen === fileName, `the file input holds "${chosen}", expected "${fileName}"`);
    await activate(page, page.locator('main').getByRole('button', { name: 'Upload file', exact: true }), 'button "Upload file"');
    await expectPath(page, itemPath);
    await expectNotice(page, 'The file has been added.');
    const files = await page.locator('#attachments li').allInnerTexts();
    assert(
      files.some((f) => f.includes(fileName)),
      `the item's files do not list ${fileName}`,
      `  files: ${JSON.stringify(files)}`,
    );
  });

  await step(`${ALEX.name} submits the item for review`, async () => {
    await activate(page, page.locator('#submit-for-review'), 'button "Submit for review"');
    await expectPath(page, itemPath);
    await expectNotice(page, 'Submitted for review.');
    const tag = await statusTag(page);
    assert(tag === 'In review', `the item's status is "${tag}", expected "In review"`);
  });

  await step(`${ALEX.name} signs out`, () => signOut(page));

  const comment = 'Please add what changed for the walkers.';
  await step(`${AMANDA.name} sends the item back with a comment`, async () => {
    await signIn(page, AMANDA.email, DEMO_PASSWORD);
    await openFromReviewQueue(ctx, page, title);
    await typeInto(page, 'Comment for the author', comment);
    await activate(page, page.locator('#send-back'), 'button "Send back to the author"');
    await expectPath(page, itemPath);
    await expectNotice(page, 'Sent back to the author with your comment.');
    const reviews = (await page.locator('#reviews').innerText()).replace(/\s+/g, ' ');
    assert(reviews.includes('Sent back') && reviews.includes(comment), 'the workflow does not show the comment sent back', `  reviews: ${reviews}`);
  });

  await step(`${AMANDA.name} signs out`, () => signOut(page));

  await step(`${ALEX.name} adds the outcomes and submits the item again`, async () => {
    await signIn(page, ALEX.email, DEMO_PASSWORD);
    await openFromMine(page, title);
    await expectText(page, comment);
    await activate(page, page.locator('main').getByRole('link', { name: `Edit ${title}`, exact: true }), 'link "Edit"');
    await expectPath(page, `${itemPath}/edit`);
    await expectHeading(page, `Edit “${title}”`);
    await typeInto(page, 'Outcomes and impact', 'Twelve walkers now walk on their own twice a week.');
    await activate(page, page.locator('main').getByRole('button', { name: 'Save changes', exact: true }), 'button "Save changes"');
    await expectPath(page, itemPath);
    await expectNotice(page, 'Your changes have been saved.');
    await expectHeading(page, 'Outcomes and impact');
    await activate(page, page.locator('#submit-for-review'), 'button "Submit for review"');
    await expectPath(page, itemPath);
    await expectNotice(page, 'Submitted for review.');
  });

  await step(`${ALEX.name} signs out`, () => signOut(page));

  await step(`${AMANDA.name} approves and publishes the item`, async () => {
    await signIn(page, AMANDA.email, DEMO_PASSWORD);
    await openFromReviewQueue(ctx, page, title);
    await activate(page, page.locator('#approve'), 'button "Approve and publish"');
    await expectPath(page, itemPath);
    await expectNotice(page, 'Approved: the item is published.');
    const tag = await statusTag(page);
    assert(tag === '(none)', `the published item still shows the status "${tag}"`);
  });

  await step(`${AMANDA.name} signs out`, () => signOut(page));

  await step(`${CHRIS.name} finds the item by a misspelt word from inside its PDF`, async () => {
    await signIn(page, CHRIS.email, DEMO_PASSWORD);
    await activate(page, navLink(page, 'Library'), 'navigation link "Library"');
    await expectPath(page, '/library');
    // The PDF's text is indexed in the background: search again until it is found.
    const deadline = Date.now() + SEARCH_TIMEOUT_MS;
    let found = false;
    let listed = [];
    for (let attempt = 1; ; attempt++) {
      await typeIntoField(page, page.locator('#q'), MISSPELT, 'search box "Search the library"');
      await activate(page, page.locator('main form[role="search"]').getByRole('button', { name: 'Search', exact: true }), 'button "Search"');
      await expectPath(page, '/library');
      const results = page.locator('#results');
      listed = (await results.count()) === 1 ? await results.getByRole('link').allInnerTexts() : [];
      found = listed.some((t) => t.trim() === title);
      if (found || Date.now() > deadline) break;
      await page.waitForTimeout(Math.min(1000, 250 * attempt));
    }
    if (!found) {
      const count = await page.locator('#result-count').innerText().catch(() => '(no #result-count)');
      fail(
        `searching /library for "${MISSPELT}" did not list "${title}" within ${SEARCH_TIMEOUT_MS} ms`,
        `  ${count}\n  results: ${JSON.stringify(listed)}`,
      );
    }
    const card = page.locator('#results li').filter({ has: page.getByRole('link', { name: title, exact: true }) });
    const snippet = (await card.innerText()).replace(/\s+/g, ' ');
    assert(snippet.includes(PDF_WORD), `the result for "${title}" does not quote "${PDF_WORD}" from the PDF`, `  result: ${snippet}`);
    await activate(page, card.getByRole('link', { name: title, exact: true }), `result "${title}"`);
    await expectPath(page, itemPath);
    await expectHeading(page, title);
  });

  await step(`${CHRIS.name} marks the item useful`, async () => {
    await activate(page, page.locator('#mark-useful'), 'button "Mark as useful"');
    await expectPath(page, itemPath);
    await expectNotice(page, 'Thank you: your mark has been saved.');
    const count = (await page.locator('#useful-count').innerText()).replace(/\s+/g, ' ').trim();
    assert(count.startsWith('1 person has'), `#useful-count reads "${count}", expected "1 person has marked this useful."`);
    const button = (await page.locator('#mark-useful').innerText()).trim();
    assert(button === 'Remove your useful mark', `after marking, the button reads "${button}"`);
  });

  await step(`${CHRIS.name} reads the item's history`, async () => {
    await activate(page, page.locator('main').getByRole('link', { name: /see the history$/ }), 'link "see the history"');
    await expectPath(page, `${itemPath}/history`);
    await expectHeading(page, title);
    const versions = (await page.locator('#versions').getByRole('heading').allInnerTexts()).map((t) => t.trim());
    for (const v of ['Version 1', 'Version 2']) {
      assert(versions.includes(v), `the history does not list "${v}"`, `  versions: ${JSON.stringify(versions)}`);
    }
  });

  await step(`${CHRIS.name} signs out`, async () => {
    await signOut(page);
    await ensureChecked(page);
  });
}
