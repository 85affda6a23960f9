// The HTML report in a real browser: headless Chromium (Debian's `chromium`) loads the file, and
// the page must render with no console error, no exception, no CSP complaint and no network
// request at all, hostile strings shown as text. A screenshot is kept beside the report.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir } from '../helpers/cli.js';
import { describeWhen, needCommand } from '../helpers/prereqs.js';
import { buildAuditFixture, HOSTILE } from './audit-fixture.js';
import { openPage, type PageRun } from './headless-chromium.js';

describeWhen(needCommand('chromium'), 'report in headless Chromium', () => {
  const home = tempDir();
  const db = join(home, 'inventory.db');
  const report = join(home, 'report.html');
  let page: PageRun;

  beforeAll(async () => {
    await buildAuditFixture(db);
    const r = await runCli(['--db', db, 'report', '--since', '1', '--out', report], { cwd: home, env: cliEnv(home) });
    expect(r.code, r.stderr).toBe(0);
    page = await openPage(pathToFileURL(report).href);
  });

  afterAll(async () => {
    await page?.close();
  });

  it('renders with no console errors, exceptions or CSP reports', () => {
    expect(page.exceptions).toEqual([]);
    expect(page.console.filter((c) => c.type === 'error' || c.type === 'warning')).toEqual([]);
    expect(page.log.filter((l) => l.level === 'error' || l.level === 'warning')).toEqual([]);
  });

  it('makes no network request: only the report file itself is loaded', () => {
    expect(page.requests).toEqual([pathToFileURL(report).href]);
  });

  it('shows the summary, four charts, the changes and the missing asset, hostile text as text', async () => {
    expect(await page.evaluate('document.title')).toMatch(/^netcensus report: snapshot 3/);
    expect(await page.evaluate('document.querySelectorAll("svg").length')).toBe(4);
    expect(await page.evaluate('document.querySelectorAll("script, img, iframe, link, object").length')).toBe(0);
    const text = String(await page.evaluate('document.body.innerText'));
    expect(text).toContain('Missing assets (1)');
    expect(text).toContain('srv-5.test');
    expect(text).toContain(HOSTILE.markup);
    // Charts have drawn: the type chart's bars have width.
    expect(await page.evaluate('[...document.querySelectorAll("svg")[0].querySelectorAll("rect")].filter((r) => r.getBBox().width > 0).length')).toBeGreaterThan(3);
  });

  it('takes a screenshot', async () => {
    const png = await page.screenshot();
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const file = join(home, 'report.png');
    writeFileSync(file, png);
    expect(statSync(file).size).toBeGreaterThan(20_000);
    process.stderr.write(`report screenshot: ${file}\n`);
  });
});
