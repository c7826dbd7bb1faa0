// Shared intelligence journey, by keyboard alone: an analyst opens Figures, downloads the
// CSV template, uploads a Fingertips export, reads the review and its flags, confirms them
// and saves; opens Blackpool's page, follows its inactivity figure to the indicator page,
// compares Blackpool with the region and downloads the chart's data (CSV). Then a place lead
// of Blackpool makes an outcome of the advocacy work area follow indicator 93015 for
// Blackpool and sees the latest published figure, with its period, in the Executive report.
//
// The people and the export are made by the Rust test (crates/cli/tests/it/browser.rs,
// `figures_scenario`), handed over as JSON in LZ_BROWSER_FIGURES: { password, analyst,
// place_lead (each { name, email }), export: { name, text } }.

import {
  activate,
  assert,
  expectHeading,
  expectNotice,
  expectPath,
  expectText,
  newKeyboardPage,
  selectOption,
  setCheckbox,
  typeInto,
  visit,
} from '../lib/harness.mjs';
import { chooseFile, downloadWith, navLink, signIn, signOut } from '../lib/steps.mjs';

const INACTIVE = 'Percentage of physically inactive adults';

export async function run(ctx) {
  const raw = process.env.LZ_BROWSER_FIGURES;
  assert(raw, 'LZ_BROWSER_FIGURES is not set (the Rust test builds the scenario)');
  const s = JSON.parse(raw);
  const page = await newKeyboardPage(ctx.context);

  await ctx.step('the analyst signs in and opens Figures', async () => {
    await visit(page, ctx.url('/sign-in'));
    await signIn(page, s.analyst.email, s.password);
    await activate(page, navLink(page, 'Figures'), 'the "Figures" link');
    await expectPath(page, '/indicators');
    await expectHeading(page, 'Figures');
    await activate(page, page.getByRole('link', { name: 'Import figures', exact: true }), 'the "Import figures" link');
    await expectPath(page, '/indicators/import');
  });

  await ctx.step('downloads the CSV template', async () => {
    const file = await downloadWith(page, page.getByRole('link', { name: 'our CSV template', exact: true }), 'the template link');
    assert(file.name === 'indicator-template.csv', `the template is called ${file.name}`);
    const first = file.bytes.toString('utf8').split('\n')[0];
    assert(first.startsWith('indicator_id,indicator_name'), `the template's headings: ${first}`);
  });

  await ctx.step('uploads a Fingertips export and reads the review', async () => {
    await chooseFile(page, page.getByLabel('File', { exact: true }), 'the file input', {
      name: s.export.name,
      mimeType: 'text/csv',
      buffer: Buffer.from(s.export.text, 'utf8'),
    });
    await activate(page, page.getByRole('button', { name: 'Upload and review', exact: true }), 'the "Upload and review" button');
    assert(pathOf(page).startsWith('/indicators/import/'), `the review page, not ${page.url()}`);
    await expectHeading(page, 'Check the figures before they are saved');
    await expectText(page, 'Fingertips export');
    await expectText(page, 'Areas that no longer exist');
    await expectText(page, 'Suppressed values');
  });

  await ctx.step('must confirm the flags, then saves', async () => {
    const save = page.getByRole('button', { name: /^Save \d+ figures$/ });
    await activate(page, save, 'the save button');
    const summary = page.locator('.govuk-error-summary');
    assert((await summary.count()) === 1, 'saving unconfirmed shows the error summary');
    await setCheckbox(page, page.getByLabel('I have checked the flagged rows: save the figures as read', { exact: true }), true, 'the confirmation');
    await activate(page, page.getByRole('button', { name: /^Save \d+ figures$/ }), 'the save button');
    await expectPath(page, '/indicators');
    await expectNotice(page, 'The figures have been saved.');
  });

  await ctx.step("opens Blackpool's page and follows its inactivity figure", async () => {
    await visit(page, ctx.url('/places/blackpool'));
    await expectText(page, 'Figures for Blackpool');
    const table = page.locator('#spine-table');
    await activate(page, table.getByRole('link', { name: INACTIVE, exact: true }), `the "${INACTIVE}" link`);
    await expectHeading(page, INACTIVE);
    await expectText(page, `${INACTIVE} in Blackpool over time`);
  });

  await ctx.step('compares Blackpool with the region and downloads the chart data', async () => {
    await expectText(page, `${INACTIVE} in the North West`);
    const rows = await page.locator('#compare-table tbody tr').count();
    assert(rows > 20, `the region's local authorities are compared (${rows} rows)`);
    const highlighted = page.locator('#compare-table tr.lz-row--highlight');
    assert((await highlighted.count()) === 1, 'Blackpool is highlighted in the comparison');
    const series = await downloadWith(page, page.locator('#series-csv'), "the series chart's CSV");
    const text = series.bytes.toString('utf8');
    assert(text.includes('E06000009,Blackpool'), "the series CSV holds Blackpool's rows");
    const compare = await downloadWith(page, page.locator('#compare-csv'), "the comparison chart's CSV");
    const lines = compare.bytes.toString('utf8').trim().split('\n');
    assert(lines.length === rows + 1 || lines.length === rows + 2, `the comparison CSV has a row per area (${lines.length} lines, ${rows} rows)`);
    await signOut(page);
  });

  await ctx.step("the place lead makes an outcome follow Blackpool's figure", async () => {
    await visit(page, ctx.url('/sign-in'));
    await signIn(page, s.place_lead.email, s.password);
    await activate(page, navLink(page, 'Plans'), 'the "Plans" link');
    await activate(page, page.getByRole('link', { name: /^North West Place Cluster/ }).first(), 'the North West plan');
    const section = page.getByRole('region', { name: /^Production of an advocacy resource/ });
    const details = section.locator('details').filter({ has: page.locator('summary', { hasText: 'Follow a public figure' }) }).first();
    await activate(page, details.locator('summary'), '"Follow a public figure"', { navigation: false });
    await selectOption(page, 'Indicator', /^Percentage of physically inactive adults \(OHID Fingertips 93015\)$/, { within: details });
    await selectOption(page, 'Area', 'Blackpool (E06000009)', { within: details });
    await typeInto(page, 'Target (optional)', '30', { within: details });
    await typeInto(page, 'Target year (optional)', '2028', { within: details });
    await activate(page, details.getByRole('button', { name: /^Follow this figure/ }), 'the "Follow this figure" button');
    await expectNotice(page, 'Your changes have been saved.');
    await expectText(page, 'Follows');
  });

  await ctx.step('sees the latest published figure in the Executive report', async () => {
    await activate(page, page.getByRole('link', { name: /Executive report/ }).first(), 'the Executive report link');
    await expectText(page, '36.6% (2023/24)');
    await expectText(page, 'OHID Fingertips 93015, latest published figure 2023/24');
  });
}

function pathOf(page) {
  return new URL(page.url()).pathname;
}
