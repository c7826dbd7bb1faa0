// Bringing material in and taking it out, by keyboard alone: a network admin opens Events,
// follows "Bring in past meeting records", downloads the CSV template, uploads a file of past
// meetings, reads the flags (an organisation we do not know, a recording link that is not a
// web address), chooses the organisation, confirms and saves, and finds the past event in
// its series with the record as its material. Then an organisation admin downloads their
// organisation's items as a ZIP from Administration and finds the items inside. Last, a
// contributor brings a folder of documents in from Your learning: the drafts and the file left
// out are listed, and they give the drafts a kind and submit them for review together.

import { activate, assert, expectHeading, expectNotice, expectPath, expectText, newKeyboardPage, selectOption, setCheckbox, visit } from '../lib/harness.mjs';
import { chooseFile, downloadWith, minimalPdf, navLink, signIn, signOut, unzip, zip } from '../lib/steps.mjs';

const RECORDS = [
  'date,meeting,topic,presenters,organisation,recording,slides,summary,attendees',
  '2025-02-11,Physical activity champions network,Walking netball in Hyndburn,Pat Example,Hyndburn Leisure,https://example.org/recordings/walking-netball,netball.pptx,What the pilot taught us about older players.,28',
  '2025-03-11,Physical activity champions network,Social prescribing links,Robin Example,Chorley Council,ftp://example.org/old,,,19',
].join('\n');

export async function run(ctx) {
  const page = await newKeyboardPage(ctx.context);
  const password = process.env.LZ_BROWSER_ADMIN_PASSWORD;

  await ctx.step('the network admin opens the meeting records import from Events', async () => {
    await visit(page, ctx.url('/sign-in'));
    await signIn(page, process.env.LZ_BROWSER_ADMIN_EMAIL, password);
    await activate(page, navLink(page, 'Events'), 'navigation link "Events"');
    await activate(page, page.getByRole('link', { name: 'Bring in past meeting records', exact: true }), 'the import link');
    await expectPath(page, '/library/import/meetings');
    await expectHeading(page, 'Bring in past meeting records');
  });

  await ctx.step('downloads the template', async () => {
    const file = await downloadWith(page, page.getByRole('link', { name: 'Download the CSV template', exact: true }), 'the template link');
    assert(file.name === 'meeting-records-template.csv', `the template is called ${file.name}`);
    assert(file.bytes.toString('utf8').startsWith('date,meeting,topic'), 'the template has the headings');
  });

  await ctx.step('uploads past meetings and reads the flags', async () => {
    await chooseFile(page, page.getByLabel('File of meeting records', { exact: true }), 'the file input', {
      name: 'meetings.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(RECORDS, 'utf8'),
    });
    await activate(page, page.getByRole('button', { name: 'Upload and review', exact: true }), 'the "Upload and review" button');
    await expectHeading(page, 'Check the meeting records before they are saved');
    await expectText(page, 'Organisations we do not know');
    await expectText(page, 'is not a web address (http or https)');
    await expectText(page, '(a new series)');
  });

  await ctx.step('chooses the organisation, confirms the flags and saves', async () => {
    await selectOption(page, 'Hyndburn Leisure', 'Hyndburn Leisure Trust');
    await setCheckbox(page, page.getByLabel('I have checked the flagged records: save the others as shown', { exact: true }), true, 'the confirmation');
    await activate(page, page.getByRole('button', { name: 'Save 2 records', exact: true }), 'the save button');
    await expectHeading(page, 'Meeting records imported');
    await expectText(page, '2 library items and 2 past events');
  });

  await ctx.step('finds the past events of the series with their materials', async () => {
    await activate(page, page.getByRole('link', { name: 'Physical activity champions network', exact: true }), 'the series link');
    assert(page.url().includes('/events/series/'), `the series page, not ${page.url()}`);
    await expectText(page, 'Walking netball in Hyndburn');
    await activate(page, page.getByRole('link', { name: 'Walking netball in Hyndburn', exact: true }).first(), 'the past event');
    assert(page.url().includes('/events/'), `the event page, not ${page.url()}`);
    await expectText(page, 'Walking netball in Hyndburn');
    await activate(page, page.locator('main a[href^="/library/"]', { hasText: 'Walking netball in Hyndburn' }).first(), 'the material');
    await expectHeading(page, 'Walking netball in Hyndburn');
    await expectText(page, 'Hyndburn Leisure Trust');
    await signOut(page);
  });

  await ctx.step("an organisation admin downloads their organisation's items", async () => {
    await visit(page, ctx.url('/sign-in'));
    await signIn(page, 'richard.davis-boreham@activelancashire.org.uk', password);
    await activate(page, page.getByRole('link', { name: 'Administration', exact: true }), 'link "Administration"');
    await expectPath(page, '/admin');
    await expectText(page, "Take your organisation's learning with you");
    const file = await downloadWith(page, page.getByRole('link', { name: "Download Active Lancashire's items (ZIP)", exact: true }), 'the export link');
    assert(file.name === 'active-lancashire-learning-zone-items.zip', `the export is called ${file.name}`);
    const files = unzip(file.bytes, 'the export');
    const manifest = JSON.parse(files.get('manifest.json').toString('utf8'));
    assert(manifest.scope === 'organisation:active-lancashire', `the manifest's scope: ${manifest.scope}`);
    const items = files.get('tables/items.jsonl').toString('utf8').split('\n').filter((l) => l.trim());
    assert(items.length > 0, 'the export holds items');
    assert([...files.keys()].some((n) => n.startsWith('items/') && n.endsWith('.md')), 'each item as Markdown');
    await signOut(page);
  });

  await ctx.step('a contributor brings a folder of documents in from Your learning', async () => {
    await visit(page, ctx.url('/sign-in'));
    await signIn(page, 'alex.sample@blackpool.gov.uk', password);
    await visit(page, ctx.url('/library/mine'));
    await activate(page, page.getByRole('link', { name: 'Bring in a folder of documents', exact: true }), 'the folder link');
    await expectPath(page, '/library/import/folder');
    await expectHeading(page, 'Bring in a folder of documents');
    const folder = zip([
      { name: 'Learning/walking_netball-pilot.pdf', buffer: minimalPdf(['Walking netball pilot', 'Older players came back every week.']) },
      { name: 'Learning/Park run volunteers.pdf', buffer: minimalPdf(['Park run volunteers', 'Volunteers from the estate led the warm-up.']) },
      { name: 'Learning/empty.pdf', buffer: Buffer.alloc(0) },
    ]);
    await chooseFile(page, page.getByLabel('ZIP file of the folder', { exact: true }), 'the file input', {
      name: 'Learning.zip',
      mimeType: 'application/zip',
      buffer: folder,
    });
    await activate(page, page.getByRole('button', { name: 'Upload and make drafts', exact: true }), 'the upload button');
    await expectHeading(page, 'Folder brought in');
    await expectText(page, '2 drafts made, 1 file left out');
    await expectText(page, 'The file is empty');
    await expectText(page, 'Walking netball pilot');
  });

  await ctx.step('gives the drafts a kind and submits them for review together', async () => {
    await selectOption(page, 'Kind of item', 'Practice guide');
    await activate(page, page.getByRole('button', { name: 'Apply and submit for review', exact: true }), 'the submit button');
    await expectHeading(page, 'Documents brought in from a folder');
    await expectNotice(page, 'submitted for review');
    await expectText(page, '0 of 2 still drafts');
    await expectText(page, 'Practice guide');
    await signOut(page);
  });
}
