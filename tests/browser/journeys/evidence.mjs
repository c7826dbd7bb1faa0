// Evidence bank and advocacy packs journey, by keyboard alone: a collator finds an evaluation
// in the library and records two claims from it; a second person (a moderator) checks and
// publishes them, and they appear on the item's page; the curator starts a manifesto pack,
// adds a section and the two claims to it (numbered [1] and [2]), publishes it, downloads
// the slide deck (PPTX) and the supporting document (DOCX) and makes a share link; a browser
// that is not signed in opens the link and reads the pack, without the site's navigation;
// the curator withdraws the link, and the same address then answers 410 and says so.
//
// Its people and the evaluation are a fresh scenario built by the Rust test with
// `app.given()` (crates/cli/tests/it/browser.rs, `evidence_scenario`), handed over as JSON
// in LZ_BROWSER_EVIDENCE: { password, place, organisation, collator, checker, curator (each
// { name, email }), item: { id, title } }.

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
import { chooseRadio, downloadWith, navLink, signIn, signOut, typeIntoField, unzip, xmlText } from '../lib/steps.mjs';

const SEARCH_TIMEOUT_MS = 10000;
const SEARCH_WORDS = 'coastal walking groups';
const COLLECTION = 'Manifesto for active coasts on the Fylde';
const SECTION = 'Walking by the sea keeps people well';
const SHARE_LABEL = 'Fylde Coast health and care board';

// The two claims the collator records, with what else the form is given for each.
const CLAIMS = [
  {
    claim: 'Seven in ten people who joined a Fylde coastal walking group were still walking with it six months later.',
    measure: { name: 'Walkers still walking after six months', value: '70', unit: '%', sample: '120' },
    type: 'Evaluation',
    strength: '2',
  },
  {
    claim: 'GP appointments among Fylde coastal walkers fell by a fifth in their first six months of walking.',
    measure: { name: 'GP appointments among walkers', value: '20', unit: '% fewer', sample: '84' },
    type: 'Monitoring data',
    strength: '2',
  },
];

function scenario() {
  const raw = process.env.LZ_BROWSER_EVIDENCE;
  assert(raw, 'LZ_BROWSER_EVIDENCE is not set: this journey needs the scenario built by crates/cli/tests/it/browser.rs');
  const s = JSON.parse(raw);
  for (const key of ['password', 'place', 'organisation', 'collator', 'checker', 'curator', 'item']) {
    assert(s[key], `LZ_BROWSER_EVIDENCE has no "${key}"`);
  }
  return s;
}

async function mainText(page, selector) {
  const el = page.locator(selector);
  return (await el.count()) === 0 ? '' : (await el.innerText()).replace(/\s+/g, ' ').trim();
}

/** Searches the library for `words` (indexing is in the background) and opens `title`. */
async function findInLibrary(page, words, title) {
  await activate(page, navLink(page, 'Library'), 'navigation link "Library"');
  await expectPath(page, '/library');
  const deadline = Date.now() + SEARCH_TIMEOUT_MS;
  let listed = [];
  for (let attempt = 1; ; attempt++) {
    await typeIntoField(page, page.locator('#q'), words, 'search box "Search the library"');
    await activate(page, page.locator('main form[role="search"]').getByRole('button', { name: 'Search', exact: true }), 'button "Search"');
    await expectPath(page, '/library');
    const results = page.locator('#results');
    listed = (await results.count()) === 1 ? await results.getByRole('link').allInnerTexts() : [];
    if (listed.some((t) => t.trim() === title)) break;
    if (Date.now() > deadline) {
      fail(`searching the library for "${words}" did not list "${title}" within ${SEARCH_TIMEOUT_MS} ms`, `  results: ${JSON.stringify(listed)}`);
    }
    await page.waitForTimeout(Math.min(1000, 250 * attempt));
  }
  await activate(page, page.locator('#results').getByRole('link', { name: title, exact: true }), `result "${title}"`);
}

/** Records one claim from the item's page ("Add evidence from this item"); returns its path. */
async function recordClaim(page, s, c) {
  await activate(page, page.locator('#add-evidence'), 'link "Add evidence from this item"');
  await expectPath(page, '/evidence/new');
  await expectHeading(page, 'Record evidence');
  // The item's agenda, place and organisation, and the item as the source, are filled in.
  for (const label of ['Health', s.place, s.organisation]) {
    const box = page.getByLabel(label, { exact: true });
    assert((await box.count()) === 1 && (await box.isChecked()), `the checkbox "${label}" is not ticked from the item`);
  }
  assert(await page.locator('#source_kind-item').isChecked(), 'the source is not "A library item" when starting from the item');
  const ref = await page.locator('#source_item_id').inputValue();
  assert(ref === s.item.id, `"Library item reference" holds "${ref}", expected the item's id ${s.item.id}`);

  await typeInto(page, 'The claim', c.claim);
  await typeInto(page, 'What was measured', c.measure.name);
  await typeInto(page, 'Value', c.measure.value);
  await typeInto(page, 'Unit', c.measure.unit);
  await typeInto(page, 'Period', 'six months');
  await typeInto(page, 'Sample size', c.measure.sample);
  await typeInto(page, 'Page or section', 'What we learned');
  await selectOption(page, 'Type of evidence', c.type);
  await chooseRadio(page, page.locator(`#strength-${c.strength}`), `radio "Level ${c.strength}"`);
  await chooseRadio(page, page.locator('#visibility-public'), 'radio "Public"');
  await activate(page, page.locator('main').getByRole('button', { name: 'Save draft', exact: true }), 'button "Save draft"');
  await expectPath(page, /^\/evidence\/[^/]+$/);
  await expectNotice(page, 'Your evidence has been saved as a draft.');
  await expectHeading(page, c.claim);
  const status = await mainText(page, '#evidence-status');
  assert(status === 'Draft', `the new record's status is "${status}", expected "Draft"`);
  await expectText(page, s.item.title, '#source');
  return new URL(page.url()).pathname;
}

export async function run(ctx) {
  const { step } = ctx;
  const s = scenario();
  const page = await newKeyboardPage(ctx.context);
  const itemPath = `/library/${s.item.id}`;
  const recordPaths = [];
  let collectionPath = '';
  let shareUrl = '';
  let outsiderContext = null;

  try {
    await step(`${s.collator.name} signs in and finds the evaluation in the library`, async () => {
      await visit(page, ctx.url('/'));
      await activate(page, page.getByRole('link', { name: 'Sign in', exact: true }).first(), 'link "Sign in"');
      await signIn(page, s.collator.email, s.password);
      await findInLibrary(page, SEARCH_WORDS, s.item.title);
      await expectPath(page, itemPath);
      await expectHeading(page, s.item.title);
      const listed = await mainText(page, '#item-evidence');
      assert(!CLAIMS.some((c) => listed.includes(c.claim)), 'the item lists the claims before they are recorded');
    });

    for (const [i, c] of CLAIMS.entries()) {
      await step(`${s.collator.name} records claim ${i + 1} from the evaluation`, async () => {
        if (i > 0) {
          // Back to the item from the first record's source.
          await activate(page, page.locator('#source').getByRole('link', { name: s.item.title, exact: true }), 'link to the source item');
          await expectPath(page, itemPath);
        }
        recordPaths.push(await recordClaim(page, s, c));
      });
    }

    await step(`the drafts are not on the item's page yet, and ${s.collator.name} signs out`, async () => {
      await activate(page, page.locator('#source').getByRole('link', { name: s.item.title, exact: true }), 'link to the source item');
      await expectPath(page, itemPath);
      const listed = await mainText(page, '#item-evidence');
      assert(!CLAIMS.some((c) => listed.includes(c.claim)), 'the item lists draft evidence', `  #item-evidence: ${listed}`);
      await signOut(page);
    });

    for (const [i, c] of CLAIMS.entries()) {
      await step(`${s.checker.name} checks and publishes claim ${i + 1}`, async () => {
        if (i === 0) await signIn(page, s.checker.email, s.password);
        await activate(page, navLink(page, 'Evidence'), 'navigation link "Evidence"');
        await expectPath(page, '/evidence');
        await expectHeading(page, 'Evidence');
        await activate(page, page.locator('main').getByRole('link', { name: c.claim, exact: true }), `link "${c.claim}"`);
        await expectPath(page, recordPaths[i]);
        await activate(page, page.locator('main').getByRole('button', { name: 'Check', exact: true }), 'button "Check"');
        await expectPath(page, recordPaths[i]);
        await expectNotice(page, 'Checked: the evidence can now be published.');
        let status = await mainText(page, '#evidence-status');
        assert(status === 'Checked', `after checking, the status is "${status}"`);
        const checkedBy = await mainText(page, '#checked-by');
        assert(checkedBy.startsWith(s.checker.name), `"Checked by" reads "${checkedBy}", expected ${s.checker.name}`);
        await activate(page, page.locator('main').getByRole('button', { name: 'Publish', exact: true }), 'button "Publish"');
        await expectPath(page, recordPaths[i]);
        await expectNotice(page, 'Published: readers can now see this evidence.');
        status = await mainText(page, '#evidence-status');
        assert(status === 'Published', `after publishing, the status is "${status}"`);
      });
    }

    await step(`both claims are listed on the evaluation's page, and ${s.checker.name} signs out`, async () => {
      await activate(page, page.locator('#source').getByRole('link', { name: s.item.title, exact: true }), 'link to the source item');
      await expectPath(page, itemPath);
      const links = (await page.locator('#item-evidence').getByRole('link').allInnerTexts()).map((t) => t.trim());
      for (const c of CLAIMS) {
        assert(links.includes(c.claim), `the item's evidence list does not show "${c.claim}"`, `  #item-evidence: ${JSON.stringify(links)}`);
      }
      await signOut(page);
    });

    await step(`${s.curator.name} starts the manifesto pack, for anyone`, async () => {
      await signIn(page, s.curator.email, s.password);
      await activate(page, navLink(page, 'Evidence'), 'navigation link "Evidence"');
      await activate(page, page.locator('#collections-link'), 'link "Advocacy packs and narratives"');
      await expectPath(page, '/collections');
      await expectHeading(page, 'Advocacy packs and narratives');
      await activate(page, page.locator('main').getByRole('button', { name: 'Start a collection', exact: true }), 'link "Start a collection"');
      await expectPath(page, '/collections/new');
      await expectHeading(page, 'Start a collection');
      await chooseRadio(page, page.locator('#kind-pack'), 'radio "An advocacy pack"');
      await typeInto(page, 'Title', COLLECTION);
      await typeInto(page, 'Summary', 'Why the Fylde Coast should walk by the sea: what our walking groups show.');
      await chooseRadio(page, page.locator('#audience-public'), 'radio "Anyone, including decision makers outside the network"');
      await typeInto(page, 'The ask', 'Fund a walking group in every coastal ward.');
      await activate(page, page.locator('main').getByRole('button', { name: 'Start the collection', exact: true }), 'button "Start the collection"');
      await expectPath(page, /^\/collections\/[^/]+$/);
      collectionPath = new URL(page.url()).pathname;
      await expectHeading(page, COLLECTION);
      await expectNotice(page, 'Collection started.');
      const curators = await mainText(page, '#curators');
      assert(curators.includes(s.curator.name), `the curators read "${curators}", expected ${s.curator.name}`);
    });

    await step(`${s.curator.name} adds a section and chooses the two claims for it`, async () => {
      await typeInto(page, 'Heading', SECTION);
      await typeInto(page, 'Text', 'People who walk together by the sea keep walking, and need their GP less.');
      await activate(page, page.locator('main').getByRole('button', { name: 'Add the section', exact: true }), 'button "Add the section"');
      await expectPath(page, collectionPath);
      await expectNotice(page, 'Section added.');
      await expectHeading(page, SECTION);
      const section = page.getByRole('region', { name: SECTION, exact: true });
      assert((await section.count()) === 1, `no single section "${SECTION}" (a region named by its heading)`);
      const summary = section.locator('summary', { hasText: `Change “${SECTION}”` });
      await activate(page, summary, `"Change “${SECTION}”"`, { navigation: false });
      assert(await section.locator('details').evaluate((d) => d.open), `Enter on "Change “${SECTION}”" did not open it`);
      await activate(page, section.getByRole('link', { name: `Add evidence to ${SECTION}`, exact: true }), `link "Add evidence to ${SECTION}"`);
      await expectPath(page, /^\/collections\/[^/]+\/sections\/[^/]+\/evidence$/);
      await expectHeading(page, `Add evidence to “${SECTION}”`);
      await selectOption(page, 'Place', new RegExp(`^${s.place} \\(\\d+\\)$`));
      await activate(page, page.locator('main').getByRole('button', { name: 'Filter', exact: true }), 'button "Filter"');
      await expectHeading(page, `Add evidence to “${SECTION}”`);
      const offered = (await page.locator('main input[name="evidence"]').evaluateAll((els) => els.map((e) => e.labels[0].innerText.trim()))).sort();
      const expected = CLAIMS.map((c) => c.claim).sort();
      assert(
        JSON.stringify(offered) === JSON.stringify(expected),
        `filtered by ${s.place}, the picker offers other records than the two claims`,
        `  offered: ${JSON.stringify(offered)}`,
      );
      for (const c of CLAIMS) {
        await setCheckbox(page, page.getByLabel(c.claim, { exact: true }), true, `checkbox "${c.claim}"`);
      }
      await activate(page, page.locator('main').getByRole('button', { name: 'Add the chosen evidence', exact: true }), 'button "Add the chosen evidence"');
      await expectPath(page, collectionPath);
      await expectNotice(page, 'Evidence added to the section.');
    });

    await step('the collection page numbers the claims [1] and [2]', async () => {
      const count = await mainText(page, '#pack-count');
      assert(count.startsWith('2 claims'), `"In the pack" reads "${count}", expected "2 claims…"`);
      const numbered = [];
      for (const n of [1, 2]) {
        const text = await mainText(page, `#claim-${n}`);
        assert(text.includes(`[${n}]`), `the claim #claim-${n} is not numbered [${n}]`, `  text: ${text}`);
        const c = CLAIMS.find((x) => text.includes(x.claim));
        assert(c, `#claim-${n} shows neither claim`, `  text: ${text}`);
        numbered.push(c.claim);
      }
      assert(numbered[0] !== numbered[1], 'both numbers show the same claim');
      assert((await page.locator('#claim-3').count()) === 0, 'the pack numbers a third claim');
      const leftOut = page.locator('#left-out');
      assert((await leftOut.count()) === 0, 'the pack leaves a record out', `  ${await mainText(page, '#left-out')}`);
    });

    await step(`${s.curator.name} publishes the pack`, async () => {
      await activate(page, page.locator('main').getByRole('button', { name: 'Publish', exact: true }), 'button "Publish"');
      await expectPath(page, collectionPath);
      await expectNotice(page, 'Published: its audience can now read it.');
      const status = await mainText(page, '#collection-status');
      assert(status === 'Published', `the collection's status is "${status}", expected "Published"`);
    });

    await step(`${s.curator.name} downloads the slide deck and the supporting document`, async () => {
      const downloads = page.locator('#downloads');
      const pptx = await downloadWith(
        page,
        downloads.getByRole('link', { name: 'Slide deck with speaker notes (PowerPoint, PPTX)', exact: true }),
        'link "Slide deck (PPTX)"',
      );
      assert(pptx.name.endsWith('.pptx'), `the slide deck is named "${pptx.name}"`);
      assert(pptx.bytes.length > 0, 'the slide deck is empty');
      const deck = unzip(pptx.bytes, pptx.name);
      assert(deck.has('ppt/slides/slide1.xml'), `${pptx.name} has no ppt/slides/slide1.xml`, `  parts: ${[...deck.keys()].join(', ')}`);
      const slides = [...deck.keys()].filter((k) => /^ppt\/slides\/slide\d+\.xml$/.test(k)).map((k) => xmlText(deck.get(k))).join(' ');
      assert(slides.includes(COLLECTION), `no slide of ${pptx.name} shows the title "${COLLECTION}"`);
      for (const c of CLAIMS) {
        assert(slides.includes(c.claim), `no slide of ${pptx.name} shows "${c.claim}"`, `  slides' text: ${slides.slice(0, 2000)}`);
      }

      const docx = await downloadWith(page, downloads.getByRole('link', { name: 'Supporting document (Word, DOCX)', exact: true }), 'link "Supporting document (DOCX)"');
      assert(docx.name.endsWith('.docx'), `the supporting document is named "${docx.name}"`);
      assert(docx.bytes.length > 0, 'the supporting document is empty');
      const doc = unzip(docx.bytes, docx.name);
      assert(doc.has('word/document.xml'), `${docx.name} has no word/document.xml`, `  parts: ${[...doc.keys()].join(', ')}`);
      const text = xmlText(doc.get('word/document.xml'));
      for (const c of [{ claim: COLLECTION }, ...CLAIMS]) {
        assert(text.includes(c.claim), `${docx.name} does not contain "${c.claim}"`, `  text: ${text.slice(0, 2000)}`);
      }
    });

    await step(`${s.curator.name} makes a share link`, async () => {
      await typeInto(page, 'Who is it for?', SHARE_LABEL);
      await typeInto(page, 'Days until it expires', '14');
      await activate(page, page.locator('main').getByRole('button', { name: 'Make a share link', exact: true }), 'button "Make a share link"');
      await expectHeading(page, 'Share link made');
      const field = page.getByLabel('The share link', { exact: true });
      await tabTo(page, field, 'the read-only field "The share link"');
      shareUrl = await field.inputValue();
      assert(/^https?:\/\/[^/]+\/shared\/[^/?#]+$/.test(shareUrl), `the share link reads "${shareUrl}"`);
      assert(new URL(shareUrl).origin === new URL(ctx.baseUrl).origin, `the share link ${shareUrl} is not on ${ctx.baseUrl}`);
    });

    await step('a browser that is not signed in opens the share link and reads the pack', async () => {
      outsiderContext = await ctx.browser.newContext({ baseURL: ctx.baseUrl, viewport: { width: 1280, height: 900 } });
      const outsider = await newKeyboardPage(outsiderContext);
      await visit(outsider, shareUrl);
      await expectHeading(outsider, COLLECTION);
      await expectHeading(outsider, SECTION);
      for (const c of CLAIMS) await expectText(outsider, c.claim);
      await expectText(outsider, '[1]');
      await expectText(outsider, '[2]');
      assert((await outsider.locator('nav[aria-label="Main"]').count()) === 0, 'the shared page shows the main navigation');
      assert((await outsider.getByRole('link', { name: 'Sign in', exact: true }).count()) === 0, 'the shared page offers "Sign in"');
      // The holder downloads the supporting document too.
      const docx = await downloadWith(
        outsider,
        outsider.locator('#downloads').getByRole('link', { name: 'Supporting document (Word, DOCX)', exact: true }),
        'link "Supporting document (DOCX)" on the shared page',
      );
      const text = xmlText(unzip(docx.bytes, docx.name).get('word/document.xml') || Buffer.from(''));
      for (const c of CLAIMS) assert(text.includes(c.claim), `the shared ${docx.name} does not contain "${c.claim}"`);
    });

    await step(`${s.curator.name} withdraws the share link`, async () => {
      await activate(page, page.locator('main').getByRole('link', { name: 'Back to the collection', exact: true }), 'link "Back to the collection"');
      await expectPath(page, collectionPath);
      const row = page.locator('#share-table tbody tr').filter({ hasText: SHARE_LABEL });
      assert((await row.count()) === 1, `the share table has no single row for "${SHARE_LABEL}"`);
      const views = Number((await row.locator('td').nth(3).innerText()).trim());
      assert(views >= 1, `the share link's views read ${views} after it was opened`);
      await activate(page, row.getByRole('button', { name: `Withdraw the link for ${SHARE_LABEL}`, exact: true }), 'button "Withdraw"');
      await expectPath(page, collectionPath);
      await expectNotice(page, 'Share link withdrawn');
      const after = page.locator('#share-table tbody tr').filter({ hasText: SHARE_LABEL });
      const cells = (await after.locator('td').allInnerTexts()).map((t) => t.trim());
      assert(cells[4] === 'Withdrawn', `the link's status reads "${cells[4]}", expected "Withdrawn"`, `  row: ${JSON.stringify(cells)}`);
    });

    await step('the same link now says it has been withdrawn (410)', async () => {
      const outsider = outsiderContext.pages()[0];
      const response = await outsider.goto(shareUrl, { waitUntil: 'load' });
      await ensureChecked(outsider);
      assert(response && response.status() === 410, `the withdrawn link answered ${response && response.status()}, expected 410`);
      await expectHeading(outsider, 'This link no longer works');
      await expectText(outsider, 'withdrawn');
      for (const c of CLAIMS) {
        const body = (await outsider.locator('body').innerText()).replace(/\s+/g, ' ');
        assert(!body.includes(c.claim), `the withdrawn link still shows "${c.claim}"`);
      }
    });

    await step(`${s.curator.name} signs out`, async () => {
      await signOut(page);
      await ensureChecked(page);
    });
  } finally {
    if (outsiderContext) await outsiderContext.close().catch(() => {});
  }
}
