/**
 * The report as a browser shows it: headless Chromium opens the file written by `retain report` for
 * a scored month with its history and evaluation, every chart shows data marks, nothing is logged to
 * the console, a screenshot is saved and the page prints to PDF, a section a page. A report built from
 * hostile strings runs no script.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../src/index.js';
import { retain } from '../helpers/cli.js';
import { sampleBilling, sampleUpTo } from '../helpers/sample.js';
import { ALL_CHARTS, reportInput } from '../report/report-input.js';
import { CHROMIUM, CHROMIUM_ARGS, ensureChromium } from './chromium.js';

const upTo = sampleUpTo;
const dir = mkdtempSync(join(tmpdir(), 'retain-browser-'));
const notice = (line: string) => process.stderr.write(`\nNOTICE: ${line}\n`);

let missing: string | null = null;
let browser: Browser | null = null;

beforeAll(async () => {
  missing = ensureChromium(notice);
  if (missing !== null) {
    notice(`browser tests skipped: ${missing}`);
    return;
  }
  const run = async (args: string[]) => {
    const r = await retain(args, dir);
    expect(r.code, r.stderr).toBe(0);
  };
  await run(['-q', 'score', ...upTo('2025-05'), '--format', 'arrow', '--out', 'may']);
  await run(['-q', 'score', ...upTo('2025-06'), '--out', 'june']);
  await run(['-q', 'evaluate', 'june', sampleBilling('2025-07'), '--out', 'evaluation.json']);
  await run([
    '-q',
    'report',
    'june',
    '--history',
    'may',
    '--evaluation',
    'evaluation.json',
    '--out',
    'report.html',
  ]);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 900_000);

afterAll(async () => {
  await browser?.close();
});

/** Opens a file, recording console errors and warnings, page errors and dialogs. */
async function open(path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', async (d) => {
    problems.push(`dialog: ${d.message()}`);
    await d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) problems.push(`request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  return { page, problems };
}

describe('the report in Chromium', () => {
  it('shows every chart with data marks, logs nothing and prints a section a page', async (ctx) => {
    if (missing !== null) ctx.skip();
    const { page, problems } = await open(join(dir, 'report.html'));
    const charts = await page.$$eval('figure.chart', (figs) =>
      figs.map((f) => {
        const svg = f.querySelector('svg');
        const box = svg?.getBoundingClientRect();
        return {
          id: f.getAttribute('data-chart'),
          // Marks drawn from data: Vega's mark groups other than text labels, and what they hold.
          marks: f.querySelectorAll(
            'svg g.role-mark:not(.mark-text) > path, svg g.role-mark:not(.mark-text) > line',
          ).length,
          width: box?.width ?? 0,
          height: box?.height ?? 0,
        };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual([...ALL_CHARTS]);
    for (const c of charts) {
      expect(c.marks, c.id!).toBeGreaterThan(0);
      expect(c.width, c.id!).toBeGreaterThan(100);
      expect(c.height, c.id!).toBeGreaterThan(50);
    }
    // The stage x tier matrix: a cell per stage and tier.
    expect(charts.find((c) => c.id === 'stage-tier')!.marks).toBe(16);
    expect(await page.textContent('h1')).toBe('Retention report for 2025-06');
    expect(await page.$$eval('#warning tbody tr', (rows) => rows.length)).toBe(50);

    const shot = join(tmpdir(), 'retain-report-screenshot.png');
    await page.screenshot({ path: shot, fullPage: true });
    process.stderr.write(`\nreport screenshot: ${shot}\n`);

    const pdf = await page.pdf({ printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)?.length ?? 0;
    // Eight sections, each starting a page; long ones run over.
    expect(pages).toBeGreaterThanOrEqual(8);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('runs no script from hostile strings in the data', async (ctx) => {
    if (missing !== null) ctx.skip();
    const hostile = `"><script>alert(1)</script><img src=x onerror=alert(2)><svg onload=alert(3)>`;
    const base = reportInput();
    const input = reportInput({
      summary: { ...base.summary, segments: { [hostile]: 3 } },
      warningTop: [{ subscriber_id: hostile, segment: hostile, reasons: hostile, triggers: hostile }],
    });
    const path = join(dir, 'hostile.html');
    writeFileSync(path, (await buildReport(input)).html);
    const { page, problems } = await open(path);
    const found = await page.$eval('html', (root) => {
      const all = [...root.querySelectorAll('*')];
      return {
        scripts: root.querySelectorAll('script').length,
        images: root.querySelectorAll('img, image').length,
        handlers: all.flatMap((el) =>
          [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name),
        ),
      };
    });
    expect(found).toEqual({ scripts: 0, images: 0, handlers: [] });
    expect(await page.textContent('#warning tbody td')).toBe(hostile);
    expect(problems).toEqual([]);
    expect(readFileSync(path, 'utf8')).not.toContain('<script');
    await page.close();
  });
});
