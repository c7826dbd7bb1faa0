// Learning library journey, by keyboard alone: a contributor shares a story of change (the
// form, a theme, a PDF attachment) and submits it for review; a moderator sends it back with
// a comment; the contributor adds the outcomes and submits it again; the moderator approves
// and publishes it; a member of another place finds it by a misspelt word that appears only
// inside the PDF, marks it useful, reads how to cite it and reads its history (two versions).

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
import { chooseFile, chooseRadio, minimalPdf, navLink, signIn, signOut, typeIntoField } from '../lib/steps.mjs';

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
// Helpers






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
    await chooseFile(page, input, 'file input "Add a file"', { name: fileName, mimeType: 'application/pdf', buffer: pdf });
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
    // How researchers should cite it.
    await typeInto(page, 'Original publication date', 'May 2024');
    await selectOption(page, 'Licence', 'Open Government Licence v3.0');
    await typeInto(page, 'Cite the authors as', 'Sample, Alex');
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

  await step(`${CHRIS.name} opens "Cite this" and reads the reference`, async () => {
    await activate(page, page.locator('#cite-this summary'), 'details "Cite this"');
    const apa = (await page.locator('#cite-apa').innerText()).replace(/\s+/g, ' ').trim();
    assert(
      apa.startsWith(`Sample, A. (2024, May). ${title} [Case study]. ${ORGANISATION}.`),
      `the APA reference reads "${apa}"`,
    );
    const harvard = (await page.locator('#cite-harvard').innerText()).trim();
    assert(harvard.includes('Available at:') && harvard.includes('(Accessed:'), `the Harvard reference reads "${harvard}"`);
    const ris = page.locator('#cite-this').getByRole('link', { name: /^Download as RIS/ });
    assert((await ris.getAttribute('href')) === `${itemPath}/cite.ris`, 'the RIS link points at the item');
    await expectText(page, 'Open Government Licence v3.0');
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
