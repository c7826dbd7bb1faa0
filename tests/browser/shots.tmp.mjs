import { chromium } from 'playwright-core';
import { zip, minimalPdf } from './lib/steps.mjs';
const base = 'http://127.0.0.1:8099';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const width of [1280, 320]) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(base + '/sign-in');
  await page.fill('#email', 'alex.sample@blackpool.gov.uk');
  await page.fill('#password', 'demo: moorland heather trail');
  await page.click('form[action="/sign-in"] button');
  await page.goto(base + '/library/mine');
  await page.screenshot({ path: `/tmp/shots/mine-${width}.png`, fullPage: true });
  await page.goto(base + '/library/import/folder');
  await page.screenshot({ path: `/tmp/shots/form-${width}.png`, fullPage: true });
  const folder = zip([
    { name: 'Learning/walking_netball-pilot.pdf', buffer: minimalPdf(['Walking netball pilot', 'Older players came back every week.']) },
    { name: 'Learning/Park run volunteers with a very long file name that goes on and on.pdf', buffer: minimalPdf(['Park run', 'Volunteers.']) },
    { name: 'Learning/empty.pdf', buffer: Buffer.alloc(0) },
    { name: 'Learning/setup.exe', buffer: Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff'.repeat(4), 'latin1') },
  ]);
  await page.setInputFiles('#file', { name: 'Learning.zip', mimeType: 'application/zip', buffer: folder });
  await page.click('button[type=submit].govuk-button');
  await page.waitForLoadState();
  await page.screenshot({ path: `/tmp/shots/batch-${width}.png`, fullPage: true });
  await page.click('button[value=discard]');
  await page.waitForLoadState();
  await page.screenshot({ path: `/tmp/shots/discard-${width}.png`, fullPage: true });
  // An error: a bad upload
  await page.goto(base + '/library/import/folder');
  await page.setInputFiles('#file', { name: 'x.zip', mimeType: 'application/zip', buffer: zip([{ name: '../evil.pdf', buffer: minimalPdf(['x']) }]) });
  await page.click('button[type=submit].govuk-button');
  await page.waitForLoadState();
  await page.screenshot({ path: `/tmp/shots/error-${width}.png`, fullPage: true });
  await ctx.close();
}
await browser.close();
