// Steps the journeys share: signing in and out, the main navigation, choosing a radio button
// and typing into a field by keyboard, and a minimal PDF to upload; downloading a file by
// keyboard and reading the parts of a DOCX or PPTX.

import fs from 'node:fs';
import zlib from 'node:zlib';

import { activate, assert, ensureChecked, expectHeading, expectNotice, expectPath, fail, tabTo, typeInto } from './harness.mjs';

// A minimal PDF: one A4 page of Helvetica (a standard font, nothing embedded) in WinAnsi
// encoding, with a correct cross-reference table so that strict readers (lopdf and
// pdf-extract below it) accept it.

function pdfString(text) {
  // A literal string: backslash, parentheses escaped; anything outside printable ASCII dropped.
  return `(${text.replace(/[^\x20-\x7e]/g, '?').replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

export function minimalPdf(lines) {
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

export async function signIn(page, email, password) {
  await expectPath(page, '/sign-in');
  await expectHeading(page, 'Sign in');
  await typeInto(page, 'Email address', email);
  await typeInto(page, 'Password', password);
  await activate(page, page.locator('main').getByRole('button', { name: 'Sign in', exact: true }), 'button "Sign in"');
  await expectPath(page, '/account');
}

export async function signOut(page) {
  await activate(page, page.getByRole('button', { name: 'Sign out', exact: true }), 'button "Sign out"');
  await expectPath(page, '/sign-in');
  await expectNotice(page, 'You have signed out.');
}

export function navLink(page, name) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

/** Tabs to a text field found by `locator`, clears it and types `value`. */
export async function typeIntoField(page, locator, value, description) {
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
export async function chooseRadio(page, target, description) {
  const name = await target.getAttribute('name');
  const group = page.locator(`input[type="radio"][name="${name}"]`);
  const n = await group.count();
  let entry = group.first();
  for (let i = 0; i < n; i++) {
    if (await group.nth(i).isChecked()) entry = group.nth(i);
  }
  await tabTo(page, entry, `radio group "${name}"`);
  // With nothing chosen yet, Tab lands on the first radio without choosing it: Space does.
  if (!(await target.isChecked()) && (await target.evaluate((el) => el === document.activeElement))) {
    await page.keyboard.press('Space');
  }
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

/**
 * Tabs to a file input and chooses `file` ({ name, mimeType, buffer }) as a keyboard user does:
 * Space opens the file chooser, which Playwright answers. A busy machine sometimes drops that
 * key press before the chooser opens, so it is pressed again (up to three times).
 */
export async function chooseFile(page, input, description, file) {
  await tabTo(page, input, description);
  let chooser = null;
  for (let attempt = 0; attempt < 3 && !chooser; attempt++) {
    const waiting = page.waitForEvent('filechooser', { timeout: 7000 }).catch(() => null);
    await page.keyboard.press('Space');
    chooser = await waiting;
  }
  assert(chooser, `pressing Space on ${description} did not open the file chooser`);
  await chooser.setFiles(file);
  const chosen = await input.evaluate((el) => (el.files.length ? el.files[0].name : ''));
  assert(chosen === file.name, `${description} holds "${chosen}", expected "${file.name}"`);
}

/**
 * Types a day into a GOV.UK date input (the group named by its legend, `legend`), as a person
 * does: day, month and year in their own boxes. `day` is [day, month, year] as typed.
 */
export async function typeDate(page, legend, [day, month, year], { within } = {}) {
  const group = (within ?? page).getByRole('group', { name: legend, exact: true });
  assert((await group.count()) === 1, `no single date input "${legend}" (found ${await group.count()})`);
  await typeInto(page, 'Day', day, { within: group });
  await typeInto(page, 'Month', month, { within: group });
  await typeInto(page, 'Year', year, { within: group });
}

/**
 * Tabs to a link whose answer is a file (Content-Disposition: attachment) and presses Enter,
 * as a keyboard user downloads it; returns { name, bytes } (the suggested file name and the
 * file's contents as a Buffer). No page loads, so there is nothing new for axe to check.
 */
export async function downloadWith(page, link, description) {
  await tabTo(page, link, description);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20000 }), page.keyboard.press('Enter')]);
  const failure = await download.failure();
  assert(!failure, `downloading from ${description} failed: ${failure}`);
  const file = await download.path();
  const bytes = fs.readFileSync(file);
  await ensureChecked(page);
  return { name: download.suggestedFilename(), bytes };
}

/**
 * The files in a ZIP archive (a DOCX or PPTX is one), read from its central directory:
 * a Map from each file's name to its contents (stored or deflated). Fails on anything that is
 * not a ZIP archive.
 */
export function unzip(buffer, description = 'the file') {
  const EOCD = 0x06054b50;
  let end = -1;
  for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 22 - 0xffff); i--) {
    if (buffer.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  }
  assert(end >= 0, `${description} is not a ZIP archive (no end of central directory)`);
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  const files = new Map();
  for (let n = 0; n < count; n++) {
    assert(buffer.readUInt32LE(at) === 0x02014b50, `${description}: a broken ZIP central directory entry`);
    const method = buffer.readUInt16LE(at + 10);
    const compressed = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    assert(buffer.readUInt32LE(local) === 0x04034b50, `${description}: no local header for ${name}`);
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(start, start + compressed);
    if (method === 0) files.set(name, Buffer.from(data));
    else if (method === 8) files.set(name, zlib.inflateRawSync(data));
    else fail(`${description}: ${name} is compressed with method ${method}, which this reader does not know`);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

/** The text of an Office Open XML part: tags dropped, entities decoded, spaces collapsed. */
export function xmlText(bytes) {
  return bytes
    .toString('utf8')
    .replace(/<\/(w:p|a:p)>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

// CRC-32 (IEEE), as ZIP needs it: Node 20's zlib has no crc32 of its own.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const b of buffer) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A ZIP archive of `files` ([{ name, buffer }]), stored without compression: the folder a
 * person would make of documents (which are compressed already).
 */
export function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, buffer } of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(buffer);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(buffer.length, 18);
    local.writeUInt32LE(buffer.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(buffer.length, 20);
    central.writeUInt32LE(buffer.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, buffer);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + buffer.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
