// Runs every journey in tests/browser/journeys/ (sorted by file name) in headless Chromium,
// each in a fresh browser context, and prints one PASS/FAIL line per journey and a summary
// line "browser: N passed, N failed". Exits 0 only if every journey passed.
//
// Environment:
//   LZ_BROWSER_BASE_URL        the running server, e.g. http://127.0.0.1:41234 (required)
//   LZ_BROWSER_MAILDIR         the Maildir the test SMTP server writes to (required)
//   LZ_BROWSER_ADMIN_EMAIL     a network administrator's email address
//   LZ_BROWSER_ADMIN_PASSWORD  and password
//   LZ_BROWSER_SCREENSHOTS     optional: a folder to save a PNG of every page visited
//   LZ_BROWSER_CHROMIUM        optional: the Chromium binary (default /usr/bin/chromium)
//   LZ_BROWSER_ONLY            optional: run only journeys whose file name contains this

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchBrowser, setJourney } from './lib/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const journeysDir = path.join(here, 'journeys');

function requireEnv(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`browser: ${name} is not set`);
    console.log('browser: 0 passed, 1 failed');
    process.exit(1);
  }
  return v;
}

async function describePage(context) {
  const pages = context.pages();
  const page = pages[pages.length - 1];
  if (!page || page.isClosed()) return '  (no page open)';
  const lines = [`  page: ${page.url()}`];
  try {
    lines.push(`  title: ${await page.title()}`);
    const html = await page.evaluate(() => {
      const main = document.querySelector('main');
      return (main || document.body || document.documentElement).outerHTML;
    });
    const excerpt = html.replace(/\n\s*\n+/g, '\n').slice(0, 4000);
    lines.push('  html excerpt:');
    lines.push(...excerpt.split('\n').map((l) => `    ${l}`));
  } catch (e) {
    lines.push(`  (could not read the page: ${e.message})`);
  }
  return lines.join('\n');
}

async function main() {
  const baseUrl = requireEnv('LZ_BROWSER_BASE_URL').replace(/\/+$/, '');
  const maildir = requireEnv('LZ_BROWSER_MAILDIR');
  const only = process.env.LZ_BROWSER_ONLY;
  const files = fs
    .readdirSync(journeysDir)
    .filter((f) => f.endsWith('.mjs'))
    .filter((f) => !only || f.includes(only))
    .sort();

  let passed = 0;
  let failed = 0;
  let browser;
  try {
    browser = await launchBrowser();
  } catch (e) {
    console.error(`browser: could not launch Chromium: ${e.message}`);
    console.log(`browser: 0 passed, ${Math.max(files.length, 1)} failed`);
    process.exit(1);
  }

  for (const file of files) {
    const name = path.basename(file, '.mjs');
    setJourney(name);
    const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 } });
    const steps = [];
    const ctx = {
      name,
      browser,
      context,
      baseUrl,
      url: (p) => new URL(p, `${baseUrl}/`).toString(),
      maildir,
      admin: {
        email: process.env.LZ_BROWSER_ADMIN_EMAIL || '',
        password: process.env.LZ_BROWSER_ADMIN_PASSWORD || '',
      },
      screenshots: process.env.LZ_BROWSER_SCREENSHOTS || '',
      // Runs one named step; a failure is reported with the step's name.
      step: async (title, fn) => {
        steps.push(title);
        console.log(`  ${name}: ${title}`);
        return fn();
      },
    };
    const started = Date.now();
    try {
      const mod = await import(pathToFileURL(path.join(journeysDir, file)).href);
      if (typeof mod.run !== 'function') throw new Error(`${file} does not export run(ctx)`);
      await mod.run(ctx);
      passed += 1;
      console.log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed += 1;
      console.log(`FAIL ${name}`);
      console.log(`  failed step: ${steps[steps.length - 1] || '(before the first step)'}`);
      console.log(`  error: ${e && e.message ? e.message : e}`);
      if (e && e.details) console.log(e.details);
      if (e && !e.details && e.stack && e.name !== 'CheckFailed') {
        console.log(e.stack.split('\n').slice(1, 6).join('\n'));
      }
      console.log(await describePage(context));
    } finally {
      await context.close().catch(() => {});
    }
  }

  await browser.close().catch(() => {});
  if (files.length === 0) {
    console.log('browser: no journeys found');
    failed += 1;
  }
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  console.log('browser: 0 passed, 1 failed');
  process.exit(1);
});
