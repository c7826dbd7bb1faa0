// First use, by keyboard alone: a signed-out visitor following a link to a partners' page is
// asked to sign in and comes back to it afterwards; a signed-in person's home shows what is
// theirs; a date is typed as day, month and year, and a wrong one is named in the error summary
// (which takes focus) and beside the field; a finished event reads as finished; at 320 px the
// navigation is a "Menu".

import {
  activate,
  assert,
  checkA11y,
  ensureChecked,
  expectHeading,
  expectPath,
  expectText,
  newKeyboardPage,
  tabTo,
  typeInto,
  visit,
} from '../lib/harness.mjs';
import { navLink, typeDate } from '../lib/steps.mjs';

const DEMO_PASSWORD = 'demo: moorland heather trail';
const ALEX = { name: 'Alex Sample', email: 'alex.sample@blackpool.gov.uk' };

export async function run({ context, step, url }) {
  const page = await newKeyboardPage(context);

  await step('a signed-out visitor following a link to a partners\' page is asked to sign in', async () => {
    const response = await page.goto(url('/plans/a-plan-shared-with-partners'), { waitUntil: 'load' });
    assert(response && response.status() === 401, `the page answered ${response && response.status()}, expected 401`);
    await ensureChecked(page);
    await expectHeading(page, 'Sign in to see this page');
  });

  await step('a page that needs an account sends them to sign in, and back afterwards', async () => {
    await visit(page, url('/library/new'));
    await expectPath(page, '/sign-in');
    assert(page.url().includes('next=%2Flibrary%2Fnew'), `the sign-in page has no way back: ${page.url()}`);
    await typeInto(page, 'Email address', ALEX.email);
    await typeInto(page, 'Password', DEMO_PASSWORD);
    await activate(page, page.locator('main').getByRole('button', { name: 'Sign in', exact: true }), 'button "Sign in"');
    await expectPath(page, '/library/new');
    await expectHeading(page, 'Share learning');
  });

  await step('the home page shows what is theirs', async () => {
    await activate(page, page.getByRole('link', { name: /Learning Zone/ }).first(), 'the service name');
    await expectPath(page, '/');
    await expectHeading(page, 'Your Learning Zone');
    await expectText(page, 'Your drafts');
  });

  await step('a date is typed as day, month and year; a wrong one is explained', async () => {
    await activate(page, navLink(page, 'Plans'), 'navigation link "Plans"');
    await activate(page, page.locator('main').getByRole('link', { name: 'North West Place Cluster Delivery Plan' }), 'the delivery plan');
    await activate(page, page.getByRole('link', { name: 'Executive report', exact: true }), 'link "Executive report"');
    await typeDate(page, 'Report date', ['31', '2', '2026']);
    await activate(page, page.getByRole('button', { name: 'Show the report' }), 'button "Show the report"');
    const summary = page.locator('.govuk-error-summary');
    assert((await summary.count()) === 1, 'no error summary after a date that does not exist');
    await expectText(page, 'Report date must be a real date');
    // GOV.UK Frontend's script moves focus to the summary, so a screen reader reads it first.
    const focusedInSummary = await page.evaluate(() => !!document.activeElement && !!document.activeElement.closest('.govuk-error-summary'));
    assert(focusedInSummary, 'the error summary did not take focus');
    const link = summary.getByRole('link', { name: 'Report date must be a real date' });
    await activate(page, link, 'the error summary link', { navigation: false });
    const focusedId = await page.evaluate(() => document.activeElement && document.activeElement.id);
    assert(focusedId === 'date', `the error summary link moved focus to "${focusedId}", not the day box`);
    await typeDate(page, 'Report date', ['1', 'December', '2026']);
    await activate(page, page.getByRole('button', { name: 'Show the report' }), 'button "Show the report"');
    await expectText(page, 'As it stood on 1 December 2026.');
  });

  await step('a finished event reads as finished', async () => {
    await activate(page, navLink(page, 'Events'), 'navigation link "Events"');
    await expectPath(page, '/events');
    const past = page.locator('main').getByRole('heading', { name: 'Past events', exact: true });
    assert((await past.count()) === 1, 'the events page has no "Past events"');
    const first = page.locator('main h2:has-text("Past events") ~ * a[href^="/events/"]').first();
    await activate(page, first, 'the first past event');
    await expectText(page, 'This event has finished');
    assert((await page.locator('#add-to-calendar').count()) === 0, 'a finished event still offers "Add to calendar"');
  });

  await step('at 320 px the navigation folds into a menu and the first result is on the first screen', async () => {
    await page.setViewportSize({ width: 320, height: 568 });
    await visit(page, url('/'));
    const library = navLink(page, 'Library');
    assert(!(await library.isVisible()), 'at 320 px the navigation links show before the menu is opened');
    const menu = page.locator('summary', { hasText: 'Menu' });
    await tabTo(page, menu, 'the "Menu" toggle');
    await page.keyboard.press('Enter');
    assert(await library.isVisible(), 'opening the menu does not show the links');
    await checkA11y(page);
    await activate(page, library, 'navigation link "Library"');
    await expectPath(page, '/library');
    // Its title starts on the first screen (its first line, 25 px, is in view).
    const first = await page.locator('#results > li h3').first().boundingBox();
    assert(first && first.y + 25 <= 568, `at 320×568 the first result's title starts at ${first && first.y} px, below the first screen`);
    await page.setViewportSize({ width: 1280, height: 900 });
  });
}
