// The dashboard in a real browser: Debian's chromium driven by playwright-core
// (no downloaded browser). Starts `fairshare serve` on a free loopback port, then
// checks each page loads without console errors, controls update the chart and the
// URL, a shared URL reproduces the view, downloads have the right types and data, and
// the pages read without JavaScript. Screenshots: target/ci-artifacts/screenshots/.
//
// Run: (cd tests/browser && npm ci && node test.mjs). FAIRSHARE_BIN picks the binary
// (default target/release/fairshare if newer than target/debug/fairshare).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shots = join(root, 'target', 'ci-artifacts', 'screenshots');
mkdirSync(shots, { recursive: true });

function binary() {
  if (process.env.FAIRSHARE_BIN) return process.env.FAIRSHARE_BIN;
  const debug = join(root, 'target', 'debug', 'fairshare');
  const release = join(root, 'target', 'release', 'fairshare');
  if (existsSync(release) && (!existsSync(debug) || statSync(release).mtimeMs > statSync(debug).mtimeMs)) {
    return release;
  }
  return debug;
}

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function waitReady(base, server) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`fairshare serve exited with ${server.exitCode}`);
    try {
      const r = await fetch(`${base}/api/sources`);
      if (r.ok) return;
    } catch (_) { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('fairshare serve did not become ready in 30 s');
}

const results = [];
async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push([name, null]);
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push([name, e]);
    console.log(`FAIL ${name}\n     ${String(e && e.stack || e).split('\n').join('\n     ')}`);
  }
}

/** A page that records console errors and uncaught exceptions. */
async function watched(context) {
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return page;
}

const chartSvg = (page, id = 'main-chart') =>
  page.locator(`#${id} svg`).first().evaluate((el) => el.outerHTML);

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const bin = binary();
console.log(`serving ${bin} on ${base}`);
const server = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`], {
  env: { ...process.env, FAIRSHARE_LOG: 'warn' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
let browser;
try {
  await waitReady(base, server);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--headless'],
  });
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });

  const pages = [
    ['index', '/'],
    ['country', '/country?country=JPN&measure=milex_gdp'],
    ['alliance', '/alliance?alliance=NATO&target=nato-2pct&year=2024&definition=sipri'],
    ['scenario', '/scenario?name=japan-5pct-2035&paths=500&seed=1'],
  ];
  for (const [name, path] of pages) {
    await test(`page ${name} loads without console errors`, async () => {
      const page = await watched(context);
      const res = await page.goto(base + path, { waitUntil: 'load' });
      assert.equal(res.status(), 200);
      if (name !== 'index') {
        assert.ok(await page.locator('#main-chart svg').count() >= 1, 'a chart is drawn');
        assert.ok(await page.locator('#main-chart svg .mark title').count() > 0, 'marks carry hover values');
      }
      await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
      assert.deepEqual(page.errors, []);
      await page.close();
    });
  }

  let sharedUrl;
  let sharedSvg;
  await test('country: changing the measure updates the chart and the URL', async () => {
    const page = await watched(context);
    await page.goto(`${base}/country?country=JPN&measure=milex_gdp&from=2000&to=2024`);
    const before = await chartSvg(page);
    await page.selectOption('select[name=measure]', 'milex_usd_current');
    await page.waitForURL(/measure=milex_usd_current/);
    await page.waitForFunction((old) => {
      const svg = document.querySelector('#main-chart svg');
      return svg && svg.outerHTML !== old;
    }, before);
    const after = await chartSvg(page);
    assert.notEqual(after, before);
    assert.match(after, /US\$/, 'the axis is now in US$');
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('country'), 'JPN');
    assert.equal(url.searchParams.get('from'), '2000');
    const csvHref = await page.locator('#main-chart a.dl-csv').getAttribute('href');
    assert.match(csvHref, /measure=milex_usd_current/, 'downloads follow the view');
    assert.deepEqual(page.errors, []);
    sharedUrl = page.url();
    sharedSvg = after;
    await page.close();
  });

  await test('country: a shared URL reproduces the view', async () => {
    const fresh = await browser.newContext();
    const page = await watched(fresh);
    await page.goto(sharedUrl);
    assert.equal(await chartSvg(page), sharedSvg);
    assert.equal(await page.locator('select[name=measure]').inputValue(), 'milex_usd_current');
    assert.deepEqual(page.errors, []);
    await fresh.close();
  });

  await test('country: back restores the previous view', async () => {
    const page = await watched(context);
    await page.goto(`${base}/country?country=JPN&measure=milex_gdp`);
    await page.selectOption('select[name=measure]', 'milex_lcu');
    await page.waitForURL(/measure=milex_lcu/);
    await page.goBack();
    await page.waitForURL(/measure=milex_gdp/);
    await page.waitForFunction(() => document.querySelector('select[name=measure]').value === 'milex_gdp');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  await test('alliance: changing the year updates bars, counts and URL', async () => {
    const page = await watched(context);
    await page.goto(`${base}/alliance?alliance=NATO&target=nato-2pct&year=2024&definition=sipri`);
    const before = await chartSvg(page);
    await page.fill('input[name=year]', '2015');
    await page.locator('input[name=year]').dispatchEvent('change');
    await page.waitForURL(/year=2015/);
    await page.waitForFunction((old) => document.querySelector('#main-chart svg').outerHTML !== old, before);
    assert.match(await chartSvg(page), /2015/);
    assert.ok(await page.locator('#counts tbody tr').count() > 1, 'counts by year');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  await test('scenario: changing the target share reruns, redraws and keeps the URL', async () => {
    const page = await watched(context);
    await page.goto(`${base}/scenario?name=japan-5pct-2035&paths=500&seed=1`);
    const before = await chartSvg(page);
    const tableBefore = await page.locator('#quantiles').innerText();
    await page.fill('input[name=share]', '3');
    await page.locator('input[name=share]').dispatchEvent('change');
    await page.waitForURL(/share=3/);
    await page.waitForFunction((old) => document.querySelector('#main-chart svg').outerHTML !== old, before);
    assert.notEqual(await page.locator('#quantiles').innerText(), tableBefore);
    // Shared link: the same run, the same bytes.
    const again = await watched(context);
    await again.goto(page.url());
    assert.equal(await chartSvg(again), await chartSvg(page));
    assert.deepEqual(page.errors, []);
    assert.deepEqual(again.errors, []);
    await page.close();
    await again.close();
  });

  await test('scenario: a bad value shows the server message, no console error', async () => {
    const page = await watched(context);
    await page.goto(`${base}/scenario?name=japan-5pct-2035&paths=500`);
    await page.locator('input[name=paths]').evaluate((el) => { el.removeAttribute('max'); el.value = '999999'; });
    await page.locator('input[name=paths]').dispatchEvent('change');
    await page.locator('main .error').waitFor();
    assert.match(await page.locator('main .error').innerText(), /paths/);
    // The failed fetch's 400 is logged by the browser as a resource error; nothing else.
    assert.deepEqual(page.errors.filter((e) => !/status of 400/.test(e)), []);
    await page.close();
  });

  await test('downloads return the right content type and data', async () => {
    const page = await watched(context);
    for (const path of [
      '/country?country=JPN&measure=milex_gdp&from=2010',
      '/alliance?alliance=NATO&year=2024',
      '/scenario?name=japan-5pct-2035&paths=500&seed=1',
    ]) {
      await page.goto(base + path);
      const fig = page.locator('#main-chart');
      const svg = await page.request.get(new URL(await fig.locator('a.dl-svg').getAttribute('href'), base).href);
      assert.equal(svg.status(), 200);
      assert.match(svg.headers()['content-type'], /^image\/svg\+xml/);
      assert.match(await svg.text(), /<svg[\s>]/);
      const png = await page.request.get(new URL(await fig.locator('a.dl-png').getAttribute('href'), base).href, { timeout: 60_000 });
      assert.equal(png.status(), 200);
      assert.equal(png.headers()['content-type'], 'image/png');
      const bytes = await png.body();
      assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
      const csv = await page.request.get(new URL(await fig.locator('a.dl-csv').getAttribute('href'), base).href);
      assert.equal(csv.status(), 200);
      assert.match(csv.headers()['content-type'], /^text\/csv/);
      const text = await csv.text();
      const lines = text.trim().split('\n');
      assert.ok(lines.length > 2, `${path}: CSV has rows`);
      assert.match(lines[0], /(^|,)country(,|$)/);
      assert.match(lines[0], /source/);
    }
    // A real download through the browser: the CSV link, saved by chromium.
    await page.goto(`${base}/country?country=JPN&measure=milex_gdp&from=2020`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#main-chart a.dl-csv').evaluate((a) => { a.setAttribute('download', 'series.csv'); a.click(); }),
    ]);
    const saved = join(shots, '..', 'series.csv');
    await download.saveAs(saved);
    assert.ok(statSync(saved).size > 100);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  await test('pages read without JavaScript', async () => {
    const nojs = await browser.newContext({ javaScriptEnabled: false });
    const page = await nojs.newPage();
    await page.goto(`${base}/country?country=KOR&measure=milex_gdp`);
    assert.ok(await page.locator('#main-chart svg').count() === 1);
    // The form submits by GET: the server renders the new view.
    await page.selectOption('select[name=measure]', 'milex_lcu');
    await Promise.all([page.waitForURL(/measure=milex_lcu/), page.click('button[type=submit]')]);
    assert.match(await chartSvg(page), /KRW|won/i);
    await nojs.close();
  });
} finally {
  if (browser) await browser.close();
  server.kill('SIGTERM');
}

const failed = results.filter(([, e]) => e);
console.log(`${results.length - failed.length} passed, ${failed.length} failed; screenshots in ${shots}`);
process.exit(failed.length ? 1 : 0);
