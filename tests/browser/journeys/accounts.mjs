// Accounts journey, by keyboard alone: sign up (with a rejected weak password first), confirm
// the email address, sign in, see the organisation joined through the email domain, sign out;
// a second person outside the partners' domains asks to join an organisation, a network
// administrator approves the request, and the person then sees themselves as a member.

import {
  activate,
  assert,
  ensureChecked,
  expectHeading,
  expectNotice,
  expectPath,
  expectText,
  fail,
  linkFrom,
  newKeyboardPage,
  selectOption,
  tableRows,
  typeInto,
  visit,
  waitForMail,
} from '../lib/harness.mjs';

const STRONG_PASSWORD = 'heather moorland trail 2026 kestrel';
const PREFERRED_ORGANISATION = 'Blackpool FC Community Trust';

function membershipRow(rows, organisation) {
  return rows.find((r) => r[0] === organisation);
}

async function expectMembership(page, organisation, status, place) {
  const rows = await tableRows(page, '#memberships');
  const row = membershipRow(rows, organisation);
  assert(row, `the memberships table does not list ${organisation}`, `  rows: ${JSON.stringify(rows)}`);
  if (place !== undefined) {
    assert(row[1] === place, `${organisation} is shown with place "${row[1]}", expected "${place}"`);
  }
  assert(row[2] === status, `${organisation} is shown with status "${row[2]}", expected "${status}"`);
}

async function signUp(page, { name, email, weakFirst }) {
  await expectPath(page, '/sign-up');
  await expectHeading(page, 'Create an account');
  await typeInto(page, 'Full name', name);
  await typeInto(page, 'Work email address', email);
  if (weakFirst) {
    await typeInto(page, 'Create a password', 'password123');
    await activate(page, page.getByRole('button', { name: 'Create account', exact: true }), 'button "Create account"');
    const title = await page.title();
    assert(title.startsWith('Error:'), `after a weak password the page title is "${title}", expected it to start with "Error:"`);
    const summary = page.locator('.govuk-error-summary');
    assert((await summary.count()) === 1, 'no error summary (.govuk-error-summary) after a weak password');
    const summaryHeading = summary.getByRole('heading', { name: 'There is a problem', exact: true });
    assert((await summaryHeading.count()) === 1, 'the error summary has no heading "There is a problem"');
    const toPassword = summary.locator('a[href="#password"]');
    assert((await toPassword.count()) === 1, 'the error summary has no link to #password');
    // The values typed so far are kept.
    const keptName = await page.getByLabel('Full name', { exact: true }).inputValue();
    const keptEmail = await page.getByLabel('Work email address', { exact: true }).inputValue();
    assert(keptName === name && keptEmail === email, `the form lost what was typed: name "${keptName}", email "${keptEmail}"`);
    // Follow the summary's link to the field, as a keyboard user would.
    await activate(page, toPassword, 'error summary link to the password', { navigation: false });
  }
  await typeInto(page, 'Create a password', STRONG_PASSWORD);
  await activate(page, page.getByRole('button', { name: 'Create account', exact: true }), 'button "Create account"');
  await expectPath(page, '/sign-up/check-email');
  await expectHeading(page, 'Check your email');
}

async function confirmEmail(ctx, page, email) {
  const mail = await waitForMail(ctx.maildir, email, /Confirm your email address/);
  const link = linkFrom(mail.body, '/verify');
  await visit(page, link);
  await activate(
    page,
    page.getByRole('button', { name: 'Confirm my email address', exact: true }),
    'button "Confirm my email address"',
  );
  await expectHeading(page, 'Email address confirmed');
}

async function signIn(page, email, password) {
  await expectPath(page, '/sign-in');
  await expectHeading(page, 'Sign in');
  await typeInto(page, 'Email address', email);
  await typeInto(page, 'Password', password);
  await activate(page, page.locator('main').getByRole('button', { name: 'Sign in', exact: true }), 'button "Sign in"');
}

async function signOut(page) {
  await activate(page, page.getByRole('button', { name: 'Sign out', exact: true }), 'button "Sign out"');
  await expectPath(page, '/sign-in');
  await expectNotice(page, 'You have signed out.');
}

export async function run(ctx) {
  const { step } = ctx;
  const suffix = Date.now();
  const pat = { name: 'Pat Visitor', email: `pat.visitor${suffix}@blackpool.gov.uk` };
  const sam = { name: 'Sam Other', email: `sam.other${suffix}@example-charity.org.uk` };
  assert(ctx.admin.email && ctx.admin.password, 'LZ_BROWSER_ADMIN_EMAIL and LZ_BROWSER_ADMIN_PASSWORD must be set');

  const page = await newKeyboardPage(ctx.context);
  let organisation = PREFERRED_ORGANISATION;

  await step('home page: go to "Create an account"', async () => {
    await visit(page, ctx.url('/'));
    await activate(page, page.getByRole('link', { name: 'Create an account', exact: true }).first(), 'link "Create an account"');
  });

  await step('Pat signs up (weak password refused first)', () => signUp(page, { ...pat, weakFirst: true }));

  await step('Pat confirms the email address and joins Blackpool Council', async () => {
    await confirmEmail(ctx, page, pat.email);
    await expectText(page, 'Blackpool Council');
  });

  await step('Pat signs in and sees the membership', async () => {
    await activate(page, page.getByRole('link', { name: 'Sign in', exact: true }).first(), 'link "Sign in"');
    await signIn(page, pat.email, STRONG_PASSWORD);
    await expectPath(page, '/account');
    await expectHeading(page, 'Your account');
    await expectMembership(page, 'Blackpool Council', 'Member', 'Blackpool');
  });

  await step('Pat signs out', () => signOut(page));

  await step('Sam signs up with a domain no partner owns', async () => {
    await activate(page, page.getByRole('link', { name: 'Create an account', exact: true }).first(), 'link "Create an account"');
    await signUp(page, { ...sam, weakFirst: false });
  });

  await step('Sam confirms the email address (no organisation joined)', async () => {
    await confirmEmail(ctx, page, sam.email);
    await expectText(page, "does not belong to a partner organisation's domain");
  });

  await step('Sam signs in and asks to join an organisation', async () => {
    await activate(page, page.getByRole('link', { name: 'Sign in', exact: true }).first(), 'link "Sign in"');
    await signIn(page, sam.email, STRONG_PASSWORD);
    await expectPath(page, '/account');
    await expectHeading(page, 'Your account');
    const options = await page
      .getByLabel('Organisation', { exact: true })
      .evaluate((el) => Array.from(el.options).filter((o) => o.value !== '').map((o) => o.text.trim()));
    if (!options.includes(PREFERRED_ORGANISATION)) {
      if (options.length === 0) fail('the "Organisation" select offers no organisation to join');
      organisation = options[0];
    }
    await selectOption(page, 'Organisation', organisation);
    await typeInto(page, 'Message to the administrator (optional)', 'Community activity coordinator');
    await activate(page, page.getByRole('button', { name: 'Ask to join', exact: true }), 'button "Ask to join"');
    await expectPath(page, '/account');
    await expectNotice(page, 'Your request has been sent');
    await expectMembership(page, organisation, 'Waiting for approval');
  });

  await step('Sam signs out', () => signOut(page));

  await step('the administrator approves Sam\'s request', async () => {
    await signIn(page, ctx.admin.email, ctx.admin.password);
    await activate(page, page.getByRole('link', { name: 'Administration', exact: true }), 'link "Administration"');
    await expectPath(page, '/admin');
    await activate(
      page,
      page.getByRole('link', { name: 'Requests to join organisations', exact: true }),
      'link "Requests to join organisations"',
    );
    await expectPath(page, '/admin/requests');
    const card = page.locator('.lz-card').filter({ hasText: sam.email });
    const cards = await card.count();
    assert(cards === 1, `expected one request card mentioning ${sam.email} on /admin/requests, found ${cards}`);
    await expectText(page, organisation, `.lz-card:has-text("${sam.email}")`);
    await activate(page, card.getByRole('button', { name: /Approve/ }), `button "Approve" in ${sam.email}'s request`);
    await expectPath(page, '/admin/requests');
    await expectNotice(page, 'The request has been approved');
    await waitForMail(ctx.maildir, sam.email, /You have joined/);
  });

  await step('the administrator signs out', () => signOut(page));

  await step('Sam signs in and is now a member', async () => {
    await signIn(page, sam.email, STRONG_PASSWORD);
    await expectPath(page, '/account');
    await expectMembership(page, organisation, 'Member');
  });

  await step('Sam signs out', async () => {
    await signOut(page);
    await ensureChecked(page);
  });
}
