// Learning events journey, by keyboard alone: a network administrator creates a series and an
// event with one place; a partner registers and receives the confirmation with an .ics file at
// the SMTP server; the event is full, so a second partner joins the waiting list; the first
// cancels, and the second is promoted and emailed; the organiser marks attendance from the
// register; the attendee gives feedback; the organiser publishes the slides into the library,
// and the event report shows the attendance and the feedback.

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
  tabTo,
  typeInto,
  visit,
  waitForMail,
} from '../lib/harness.mjs';
import { chooseFile, chooseRadio, minimalPdf, navLink, signIn, signOut, typeDate } from '../lib/steps.mjs';

const DEMO_PASSWORD = 'demo: moorland heather trail';
const CATH = { name: 'Cath Hudspith', email: 'cath.hudspith@chorley.gov.uk' };
const ALEX = { name: 'Alex Sample', email: 'alex.sample@blackpool.gov.uk' };

/** The UK date `days` from now as [day, month, year] typed into a date input (near enough: the event is weeks away). */
function dateIn(days) {
  const d = new Date(Date.now() + days * 86400000);
  return [String(d.getUTCDate()), String(d.getUTCMonth() + 1), String(d.getUTCFullYear())];
}

async function openEvent(page, title) {
  await activate(page, navLink(page, 'Events'), 'navigation link "Events"');
  await expectPath(page, '/events');
  await expectHeading(page, 'Learning events');
  await activate(page, page.locator('#upcoming').getByRole('link', { name: title, exact: true }), `link "${title}" under Upcoming`);
  await expectPath(page, /^\/events\/[^/]+$/);
  await expectHeading(page, title);
}

async function signInFromHeader(ctx, page, email) {
  await visit(page, ctx.url('/'));
  await activate(page, page.getByRole('link', { name: 'Sign in', exact: true }).first(), 'link "Sign in"');
  await signIn(page, email, DEMO_PASSWORD);
}

export async function run(ctx) {
  const { step } = ctx;
  const suffix = Date.now();
  const series = `Learning series ${suffix}`;
  const title = `Active environments in practice ${suffix}`;
  const slides = `slides-${suffix}.pdf`;
  const page = await newKeyboardPage(ctx.context);

  await step('the organiser creates a series', async () => {
    await signInFromHeader(ctx, page, ctx.admin.email);
    await activate(page, navLink(page, 'Events'), 'navigation link "Events"');
    await expectHeading(page, 'Learning events');
    await activate(page, page.locator('main').getByRole('link', { name: 'Create a series', exact: true }), 'link "Create a series"');
    await expectPath(page, '/events/series/new');
    await typeInto(page, 'Title', series);
    await typeInto(page, 'Purpose', 'Three events on the priorities every North West place shares.');
    await selectOption(page, 'Organisation running it', 'Active Lancashire');
    await setCheckbox(page, page.locator('#term-1'), true, 'the first theme');
    await activate(page, page.locator('main').getByRole('button', { name: 'Create the series', exact: true }), 'button "Create the series"');
    await expectPath(page, /^\/events\/series\/[^/]+$/);
    await expectHeading(page, series);
    await expectNotice(page, 'The series has been created.');
  });

  await step('the organiser creates an event with one place', async () => {
    await activate(page, page.locator('main').getByRole('link', { name: 'Create an event', exact: true }), 'link "Create an event"');
    await expectPath(page, '/events/new');
    await expectHeading(page, 'Create an event');
    await selectOption(page, 'Series', series);
    await typeInto(page, 'Title', title);
    await typeInto(page, 'What the event is about', 'Planning officers and places on making being active the easy choice.');
    await selectOption(page, 'Format', 'In person');
    await typeInto(page, 'Venue', 'Preston Guild Hall');
    await typeDate(page, 'Start date', dateIn(30));
    await typeInto(page, 'Start time', '10:00');
    await typeInto(page, 'End time', '12:30');
    await typeInto(page, 'Number of places', '1');
    await selectOption(page, 'Organisation running it', 'Active Lancashire');
    await setCheckbox(page, page.locator('#term-1'), true, 'the first theme');
    await activate(page, page.locator('main').getByRole('button', { name: 'Create the event', exact: true }), 'button "Create the event"');
    await expectPath(page, /^\/events\/[^/]+$/);
    await expectHeading(page, title);
    await expectNotice(page, 'The event has been created.');
    await expectText(page, 'Open for registration');
    await signOut(page);
  });

  await step(`${CATH.name} registers and gets the confirmation with a calendar file`, async () => {
    await signInFromHeader(ctx, page, CATH.email);
    await openEvent(page, title);
    await typeInto(page, 'Access needs (optional)', 'A seat near the front');
    await activate(page, page.locator('main').getByRole('button', { name: 'Register', exact: true }), 'button "Register"');
    await expectNotice(page, 'You are registered. We have emailed you a confirmation with a calendar file.');
    const mail = await waitForMail(ctx.maildir, CATH.email, new RegExp(`^You are registered: ${title}`));
    const ics = mail.attachments.find((a) => a.name === 'invite.ics');
    assert(ics, `the confirmation has no invite.ics attachment`, `  attachments: ${JSON.stringify(mail.attachments.map((a) => a.name))}`);
    assert(ics.mime === 'application/ics', `invite.ics is sent as ${ics.mime}`);
    assert(ics.text.includes('BEGIN:VEVENT') && ics.text.includes('DTSTART;TZID=Europe/London:'), 'invite.ics is not an iCalendar event in UK time');
    // The invitation a calendar acts on: an iTIP REQUEST beside the text, naming Cath.
    const invite = mail.calendars.find((c) => c.method === 'REQUEST');
    assert(invite, 'the confirmation carries no text/calendar; method=REQUEST part', `  calendars: ${JSON.stringify(mail.calendars.map((c) => c.method))}`);
    assert(invite.text.replace(/\r\n /g, '').includes(`mailto:${CATH.email}`), 'the invitation does not name Cath as attendee');
    await signOut(page);
  });

  await step(`the event is full: ${ALEX.name} joins the waiting list`, async () => {
    await signInFromHeader(ctx, page, ALEX.email);
    await openEvent(page, title);
    await expectText(page, 'Full: waiting list open');
    await activate(page, page.locator('main').getByRole('button', { name: 'Join the waiting list', exact: true }), 'button "Join the waiting list"');
    await expectNotice(page, 'The event is full, so you are on the waiting list. We will email you if a place becomes free.');
    await waitForMail(ctx.maildir, ALEX.email, new RegExp(`^Waiting list: ${title}`));
    await signOut(page);
  });

  await step(`${CATH.name} cancels and ${ALEX.name} is promoted and emailed`, async () => {
    await signInFromHeader(ctx, page, CATH.email);
    await openEvent(page, title);
    await activate(page, page.locator('main').getByRole('button', { name: 'Cancel my registration', exact: true }), 'button "Cancel my registration"');
    await expectNotice(page, 'Your registration has been cancelled.');
    const mail = await waitForMail(ctx.maildir, ALEX.email, new RegExp(`^A place is free: you are registered for ${title}`));
    assert(mail.attachments.some((a) => a.name === 'invite.ics'), 'the promotion email has no calendar file');
    await signOut(page);
  });

  await step('the organiser marks attendance from the register', async () => {
    await signInFromHeader(ctx, page, ctx.admin.email);
    await openEvent(page, title);
    await activate(page, page.locator('main').getByRole('link', { name: 'Registrations and attendance register', exact: true }), 'link "Registrations and attendance register"');
    await expectHeading(page, 'Registrations and register');
    const row = page.locator('#registrations tbody tr').filter({ hasText: ALEX.email });
    await chooseRadio(page, row.locator('input[value="yes"]'), `"Yes" for ${ALEX.name}`);
    await activate(page, page.locator('main').getByRole('button', { name: 'Save attendance', exact: true }), 'button "Save attendance"');
    await expectNotice(page, 'Attendance has been saved.');
    assert(await row.locator('input[value="yes"]').isChecked(), `${ALEX.name} is not marked as attended after saving`);
    await signOut(page);
  });

  await step(`${ALEX.name} gives feedback`, async () => {
    await signInFromHeader(ctx, page, ALEX.email);
    await openEvent(page, title);
    await activate(page, page.locator('main').getByRole('link', { name: 'Give feedback', exact: true }), 'link "Give feedback"');
    await expectHeading(page, `Feedback: ${title}`);
    await chooseRadio(page, page.locator('#rating-5'), 'rating "5 – extremely useful"');
    await typeInto(page, 'What will you do differently as a result?', 'Invite our planners to the partnership board');
    await typeInto(page, 'What topics would you like at future events?', 'Active travel funding');
    await activate(page, page.locator('main').getByRole('button', { name: 'Send feedback', exact: true }), 'button "Send feedback"');
    await expectNotice(page, 'Thank you for your feedback.');
    await signOut(page);
  });

  await step('the organiser publishes the slides into the library', async () => {
    await signInFromHeader(ctx, page, ctx.admin.email);
    await openEvent(page, title);
    await typeInto(page, 'Title', `Slides: ${title}`);
    const input = page.locator('#file');
    await chooseFile(page, input, 'file input "Slides or document"', {
      name: slides,
      mimeType: 'application/pdf',
      buffer: minimalPdf([`Slides ${suffix}`, 'Active design principles for planners.']),
    });
    await typeInto(page, 'Recording and other links', 'https://video.example.org/recording Recording of the event');
    await activate(page, page.locator('main').getByRole('button', { name: 'Publish to the library', exact: true }), 'button "Publish to the library"');
    await expectNotice(page, 'The material has been added to the library.');
    await activate(page, page.locator('#materials').getByRole('link', { name: `Slides: ${title}`, exact: true }), 'link to the slides in the library');
    await expectPath(page, /^\/library\/[^/]+$/);
    await expectHeading(page, `Slides: ${title}`);
    await expectText(page, 'From the event');
    await expectText(page, slides);
  });

  await step('the event report shows attendance and feedback', async () => {
    await activate(page, page.locator('#from-event').getByRole('link', { name: title, exact: true }), 'link back to the event');
    await expectHeading(page, title);
    await activate(page, page.locator('main').getByRole('link', { name: 'Event report', exact: true }), 'link "Event report"');
    await expectHeading(page, 'Event report');
    const attended = (await page.locator('#attended').innerText()).trim();
    assert(attended === '1', `the report shows ${attended} attended, expected 1`);
    await expectText(page, '1 response; average rating 5');
    await expectText(page, 'Invite our planners to the partnership board');
    await expectText(page, 'Blackpool Council');
  });
}
