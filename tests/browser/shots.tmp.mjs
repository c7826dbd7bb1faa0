import { chromium } from 'playwright-core';
const base = 'http://127.0.0.1:8099';
const [,, ...paths] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const width of [1280, 320]) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  if (process.env.EMAIL) {
    await page.goto(base + '/sign-in');
    await page.fill('#email', process.env.EMAIL);
    await page.fill('#password', 'demo: moorland heather trail');
    await page.click('button[type=submit]');
  }
  for (const p of paths) {
    await page.goto(base + p);
    const name = p.replace(/[^a-z0-9]+/gi, '_').slice(-40) + '_' + width + '.png';
    await page.screenshot({ path: '/tmp/shots/' + name, fullPage: true });
    console.log(name);
  }
  await page.close();
}
await browser.close();
