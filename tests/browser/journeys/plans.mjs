// Delivery plans journey, by keyboard alone: a network administrator imports a delivery plan
// (pasting the document, reviewing what was read, being stopped until the flagged fields are
// confirmed, then saving it) and gives an overdue Executive action to a person; that person
// marks the action done from "My actions"; a work area's accountable lead posts a progress
// update (status, what happened, date, spend) on the demo North West plan.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
  tableRows,
  tabTo,
  typeInto,
  visit,
} from '../lib/harness.mjs';
import { navLink, signIn, signOut, typeDate } from '../lib/steps.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const PLAN_DOCUMENT = path.join(here, '../../../crates/app/src/demo/seeds/nw-delivery-plan.txt');

const DEMO_PASSWORD = 'demo: moorland heather trail';
const AMANDA = { name: 'Amanda Forrest', email: 'amanda.forrest@activelancashire.org.uk' };
const RICHARD = { name: 'Richard Davis Boreham', email: 'richard.davis-boreham@activelancashire.org.uk' };
const NW_PLAN = 'North West Place Cluster Delivery Plan';
const EXECUTIVE_PLAN = 'Partnership Executive: Delivery Plan - Overview of Mandates';
const FRAMING_WORK_AREA = /^Improve the framing/;
const SAVED = 'Your changes have been saved.';




async function goToPlan(page, title) {
  await activate(page, navLink(page, 'Plans'), 'navigation link "Plans"');
  await expectPath(page, '/plans');
  await expectHeading(page, 'Delivery plans');
  await activate(page, page.locator('#plans').getByRole('link', { name: title, exact: true }), `link "${title}"`);
  await expectPath(page, /^\/plans\/[^/]+$/);
  await expectHeading(page, title);
}

/** Row texts of the Actions table, with the description (first line of the first cell) apart. */
async function actionRows(page) {
  return (await tableRows(page, '#actions')).map((cells) => ({ cells, description: cells[0].split(' Raised at:')[0].trim() }));
}

export async function run(ctx) {
  const { step } = ctx;
  const suffix = Date.now();
  const planTitle = `Journey plan ${suffix}`;
  const planText = fs.readFileSync(PLAN_DOCUMENT, 'utf8');
  assert(planText.includes('\t'), `${PLAN_DOCUMENT} has no tab-separated columns`);
  assert(ctx.admin.email && ctx.admin.password, 'LZ_BROWSER_ADMIN_EMAIL and LZ_BROWSER_ADMIN_PASSWORD must be set');

  const page = await newKeyboardPage(ctx.context);
  let actionDescription = '';

  await step('the administrator signs in and opens "Import a delivery plan"', async () => {
    await visit(page, ctx.url('/'));
    await activate(page, page.getByRole('link', { name: 'Sign in', exact: true }).first(), 'link "Sign in"');
    await signIn(page, ctx.admin.email, ctx.admin.password);
    await activate(page, navLink(page, 'Plans'), 'navigation link "Plans"');
    await expectPath(page, '/plans');
    await expectHeading(page, 'Delivery plans');
    await activate(page, page.getByRole('link', { name: 'Import a delivery plan', exact: true }), 'link "Import a delivery plan"');
    await expectPath(page, '/plans/import');
    await expectHeading(page, 'Import a delivery plan');
  });

  await step('the administrator pastes the plan document and has it read', async () => {
    const textarea = page.getByLabel('Plan document', { exact: true });
    await tabTo(page, textarea, 'textarea labelled "Plan document"');
    // The document's columns are separated by tabs, and pressing Tab would move the focus
    // out of the textarea: the text arrives as a paste does, in one insertion.
    await page.keyboard.insertText(planText);
    const pasted = await textarea.inputValue();
    assert(pasted === planText, `the "Plan document" textarea holds ${pasted.length} characters after pasting ${planText.length}`);
    await typeInto(page, 'Plan title (optional)', planTitle);
    await selectOption(page, 'Organisation that owns the plan', 'Active Lancashire');
    await selectOption(page, 'Who can see it', /^Network\b/);
    await activate(page, page.getByRole('button', { name: 'Read the document', exact: true }), 'button "Read the document"');
    await expectPath(page, '/plans/import');
    await expectHeading(page, 'Check the imported plan');
    await expectHeading(page, planTitle);
    const areas = await page.locator('main .lz-card h3').allInnerTexts();
    assert(areas.length === 4, `the review lists ${areas.length} work areas, expected 4`, `  work areas: ${areas.join(' | ')}`);
    await expectText(page, '£9,000');
    const flags = await page.locator('main .govuk-inset-text').filter({ has: page.locator('.govuk-tag', { hasText: 'Check' }) }).allInnerTexts();
    assert(
      flags.some((f) => f.includes('No accountable lead')),
      'the review shows no "Check" flag about a missing accountable lead',
      `  flags: ${JSON.stringify(flags)}`,
    );
  });

  await step('saving without confirming the flagged fields is refused', async () => {
    await activate(page, page.getByRole('button', { name: 'Save the plan', exact: true }), 'button "Save the plan"');
    await expectPath(page, '/plans/import');
    const title = await page.title();
    assert(title.startsWith('Error:'), `after saving unconfirmed the page title is "${title}", expected it to start with "Error:"`);
    const summary = page.locator('.govuk-error-summary');
    assert((await summary.count()) === 1, 'no error summary (.govuk-error-summary) after saving unconfirmed');
    const toConfirmed = summary.locator('a[href="#confirmed"]');
    assert((await toConfirmed.count()) === 1, 'the error summary has no link to #confirmed');
    const linkText = (await toConfirmed.innerText()).trim();
    assert(linkText.includes('Check the flagged fields'), `the error summary's link reads "${linkText}"`);
    await expectHeading(page, 'Check the imported plan');
    // Follow the summary's link to the checkbox, as a keyboard user would.
    await activate(page, toConfirmed, 'error summary link to the confirmation', { navigation: false });
  });

  await step('the administrator confirms the flagged fields and saves the plan', async () => {
    const confirmed = page.getByLabel('I have checked the fields marked Check', { exact: true });
    await setCheckbox(page, confirmed, true, 'checkbox "I have checked the fields marked Check"');
    await activate(page, page.getByRole('button', { name: 'Save the plan', exact: true }), 'button "Save the plan"');
    await expectPath(page, /^\/plans\/[^/]+$/);
    await expectHeading(page, planTitle);
    await expectNotice(page, SAVED);
    const budget = (await page.locator('#budget-total').innerText()).trim();
    assert(budget === '£24,000', `the plan's budget allocated (#budget-total) is "${budget}", expected "£24,000"`);
  });

  await step(`the administrator adds an Executive action and gives it to ${AMANDA.name}`, async () => {
    await goToPlan(page, EXECUTIVE_PLAN);
    // The 2018 actions are done; a new one is added with the form, for nobody yet.
    actionDescription = `Send the shared intelligence working group's terms of reference ${suffix}`;
    await typeInto(page, 'What is to be done', actionDescription);
    await typeDate(page, 'Due date (optional)', ['29', '1', '2027']);
    await activate(page, page.getByRole('button', { name: 'Add the action', exact: true }), 'button "Add the action"');
    await expectPath(page, /^\/plans\/[^/]+$/);
    await expectNotice(page, SAVED);
    // Each open row's select is named after its action: "Give the action “…” to".
    const GIVE = /^Give the action “.+” to$/;
    const row = page.locator('#actions tbody tr').filter({ hasText: actionDescription }).filter({ has: page.getByLabel(GIVE) });
    assert((await row.count()) === 1, `the Actions table of "${EXECUTIVE_PLAN}" has no open row for the new action`);
    await selectOption(page, GIVE, AMANDA.name, { within: row });
    await activate(page, row.getByRole('button', { name: /^Assign\b/ }), 'button "Assign" in the new action\'s row');
    await expectPath(page, /^\/plans\/[^/]+$/);
    await expectHeading(page, EXECUTIVE_PLAN);
    await expectNotice(page, SAVED);
    const after = await actionRows(page);
    const assigned = after.find((r) => r.description === actionDescription);
    assert(assigned, `the Actions table no longer lists "${actionDescription}"`, `  rows: ${JSON.stringify(after.map((r) => r.cells))}`);
    assert(assigned.cells[1] === AMANDA.name, `the action's owner is "${assigned.cells[1]}", expected "${AMANDA.name}"`);
  });

  await step('the administrator signs out', () => signOut(page));

  await step(`${AMANDA.name} marks the action done from "My actions"`, async () => {
    // Signing out left the browser on the sign-in page.
    await signIn(page, AMANDA.email, DEMO_PASSWORD);
    await activate(page, navLink(page, 'My actions'), 'navigation link "My actions"');
    await expectPath(page, '/actions');
    await expectHeading(page, 'My actions');
    const card = page.locator('main .lz-card').filter({ has: page.getByRole('heading', { name: actionDescription, exact: true }) });
    const cards = await card.count();
    assert(cards === 1, `expected one card for "${actionDescription}" on /actions, found ${cards}`);
    const tag = (await card.locator('.govuk-tag').innerText()).trim();
    assert(tag === 'Open', `the action (due 29 January 2027) is tagged "${tag}", expected "Open"`);
    await expectText(page, '29 January 2027');
    await typeInto(page, 'What was done (optional)', 'Terms of reference sent', { within: card });
    await activate(page, card.getByRole('button', { name: /^Mark as done/ }), `button "Mark as done" for "${actionDescription}"`);
    await expectPath(page, '/actions');
    await expectNotice(page, SAVED);
    const doneCard = page.locator('main .lz-card').filter({ has: page.getByRole('heading', { name: actionDescription, exact: true }) });
    assert((await doneCard.count()) === 1, `after marking it done, /actions does not list "${actionDescription}" once`);
    const doneTag = (await doneCard.locator('.govuk-tag').innerText()).trim();
    assert(doneTag === 'Done', `after marking it done the action is tagged "${doneTag}", expected "Done"`);
    const cardText = (await doneCard.innerText()).replace(/\s+/g, ' ');
    assert(cardText.includes('Terms of reference sent'), 'the done action does not show the note "Terms of reference sent"', `  card: ${cardText}`);
  });

  await step(`${AMANDA.name} signs out`, () => signOut(page));

  await step(`${RICHARD.name} posts a progress update on his work area`, async () => {
    // Signing out left the browser on the sign-in page.
    await signIn(page, RICHARD.email, DEMO_PASSWORD);
    await goToPlan(page, NW_PLAN);
    // Every work area Richard may update has a form with the same visible labels: work only
    // inside his work area's section (a region named by its heading).
    const section = page.getByRole('region', { name: FRAMING_WORK_AREA });
    const sections = await section.count();
    assert(sections === 1, `expected one section for the work area ${FRAMING_WORK_AREA} on ${NW_PLAN}, found ${sections}`);
    const areaTitle = (await section.getByRole('heading', { level: 3 }).innerText()).trim();
    // The section has two disclosures (add a milestone, post an update): take the update one.
    const details = section.locator('details').filter({ has: page.locator('summary', { hasText: 'Post a progress update' }) });
    const summary = details.locator('summary');
    await activate(page, summary, '"Post a progress update" (details summary)', { navigation: false });
    const open = await details.evaluate((d) => d.open);
    assert(open, 'pressing Enter on "Post a progress update" did not open it');
    await selectOption(page, 'Status (RAG)', 'Amber: at risk', { within: section });
    await typeInto(page, 'What has happened', 'Workshop moved to October', { within: section });
    await typeDate(page, 'Date of the update (optional)', ['20', '11', '2026'], { within: section });
    await typeInto(page, 'Spent to date, in pounds (optional)', '2500', { within: section });
    const post = section.getByRole('button', { name: /^Post update/ });
    const postName = (await post.evaluate((el) => el.textContent)).replace(/\s+/g, ' ').trim();
    assert(postName.endsWith(areaTitle), `the button "${postName}" does not name the work area "${areaTitle}"`);
    await activate(page, post, 'button "Post update" in the framing work area');
    await expectPath(page, /^\/plans\/[^/]+$/);
    await expectHeading(page, NW_PLAN);
    await expectNotice(page, SAVED);
    const after = page.getByRole('region', { name: FRAMING_WORK_AREA });
    assert((await after.count()) === 1, `after posting, the work area ${FRAMING_WORK_AREA} is not shown once`);
    const status = (await after.locator('p.govuk-body-s .govuk-tag').first().innerText()).trim();
    assert(status === 'Amber', `the work area's status tag is "${status}", expected "Amber"`);
    const text = (await after.innerText()).replace(/\s+/g, ' ');
    for (const expected of ['Workshop moved to October', '20 November 2026', '£2,500']) {
      if (!text.includes(expected)) fail(`the work area's section does not show "${expected}" after the update`, `  section: ${text.slice(0, 2000)}`);
    }
  });

  await step(`${RICHARD.name} reads the Executive report for 20 November 2026`, async () => {
    await activate(page, page.getByRole('link', { name: 'Executive report', exact: true }), 'link "Executive report"');
    await expectPath(page, /^\/plans\/[^/]+\/report$/);
    await typeDate(page, 'Report date', ['20', 'Nov', '2026']);
    await activate(page, page.getByRole('button', { name: 'Show the report' }), 'button "Show the report"');
    await expectHeading(page, NW_PLAN);
    await expectText(page, 'As it stood on 20 November 2026.');
    const summary = (await page.locator('#rag-summary').innerText()).replace(/\s+/g, ' ');
    assert(summary.includes('Amber 1 at risk'), `the status summary reads "${summary}"`);
    await expectText(page, 'Spent £2,500 of £5,000');
    await expectText(page, 'Workshop moved to October');
    // The printable and editable versions are offered (their contents are checked by the Rust tests).
    for (const name of ['The report as PDF (to print)', 'The report as a Word document (DOCX, to edit)']) {
      assert((await page.getByRole('link', { name, exact: true }).count()) === 1, `no link "${name}"`);
    }
  });

  await step(`${RICHARD.name} signs out`, async () => {
    await signOut(page);
    await ensureChecked(page);
  });
}
