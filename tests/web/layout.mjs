// A report page on a 1200 px wide screen, in Chromium through Playwright: no horizontal
// scrollbar (the page is no wider than the window), and every table's last column inside
// the window and not clipped by a box around it. Writes a screenshot of the first screen
// when asked. Prints one line per page; exits 1 naming what is wrong.
// usage: node layout.mjs PAGE.html [SCREENSHOT.png [HEIGHT]]
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [file, shot, height] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.S75_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let rc = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: Number(height) || 1600 } });
  await page.goto(pathToFileURL(resolve(file)).href);
  const r = await page.evaluate(() => {
    const doc = document.documentElement;
    const problems = [];
    const win = window.innerWidth;
    if (doc.scrollWidth > doc.clientWidth)
      problems.push(`a horizontal scrollbar: the page is ${doc.scrollWidth} px wide in ${doc.clientWidth}`);
    // the figures of the charts are folded away on a screen: open them to check them too
    for (const d of document.querySelectorAll('details')) d.open = true;
    const tables = [...document.querySelectorAll('table')];
    for (const [i, t] of tables.entries()) {
      const row = t.tHead ? t.tHead.rows[0] : t.rows[0];
      if (!row) continue;
      const last = row.cells[row.cells.length - 1].getBoundingClientRect();
      const name = (t.caption && t.caption.textContent) || `table ${i + 1}`;
      if (last.right > win + 0.5 || last.left < 0)
        problems.push(`${name}: its last column (${Math.round(last.left)}-${Math.round(last.right)} px) is outside the window`);
      // nor hidden by a box that clips what overflows it
      for (let el = t.parentElement; el && el !== doc; el = el.parentElement) {
        const st = getComputedStyle(el);
        if (st.overflowX !== 'visible' && last.right > el.getBoundingClientRect().right + 0.5)
          problems.push(`${name}: its last column is cut off by a <${el.tagName.toLowerCase()}>`);
      }
    }
    return { problems, tables: tables.length, width: doc.scrollWidth };
  });
  if (shot) {
    for (const d of await page.$$('details')) await d.evaluate((e) => { e.open = false; });
    await page.screenshot({ path: shot });
  }
  if (r.problems.length) {
    rc = 1;
    console.log(`${file}: ${r.problems.join('; ')}`);
  } else {
    console.log(`${file}: ${r.tables} tables, every last column visible, no horizontal scrollbar at 1200 px`);
  }
} finally {
  await browser.close();
}
process.exit(rc);
