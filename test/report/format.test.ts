import { describe, expect, it } from 'vitest';
import { reportFormat as f } from '../../src/index.js';

describe('report formatting', () => {
  // prettier-ignore
  it.each([
    [0.012345, '1.23%'],
    [1.0418617, '104.19%'],
    [0, '0.00%'],
    [-0.5, '−50.00%'],
    [-0.00001, '0.00%'],
    [123.456, '12,345.60%'],
    [null, 'n/a'],
    [Number.NaN, 'n/a'],
    [Number.POSITIVE_INFINITY, 'n/a'],
  ])('pct(%s) is %s', (v, text) => {
    expect(f.pct(v)).toBe(text);
  });

  // prettier-ignore
  it.each([
    [1234.5, 'CNY', 'CNY 1,234.50'],
    [1234.5, '¥', '¥1,234.50'],
    [1234.5, '', '1,234.50'],
    [-8108.0222, 'EUR', '−EUR 8,108.02'],
    [0.005, '$', '$0.01'],
    [null, 'CNY', 'n/a'],
  ])('money(%s, %j) is %s', (v, currency, text) => {
    expect(f.money(v, currency)).toBe(text);
  });

  // prettier-ignore
  it.each([
    [f.points(-0.0123), '−1.23 pts'],
    [f.points(0.2), '+20.00 pts'],
    [f.points(0), '0.00 pts'],
    [f.decimal(7.0398652), '7.04'],
    [f.decimal(0.8689, 4), '0.8689'],
    [f.count(1154), '1,154'],
    [f.count(10_000_000), '10,000,000'],
    [f.count(undefined), 'n/a'],
  ])('%s', (got, text) => {
    expect(got).toBe(text);
  });

  it('escapes every character that could open markup or close an attribute', () => {
    expect(f.esc(`<script>"x"&'y'</script>`)).toBe(
      '&#60;script&#62;&#34;x&#34;&#38;&#39;y&#39;&#60;/script&#62;',
    );
    expect(f.esc(null)).toBe('');
  });

  it('names the currency in axis titles only when there is one', () => {
    expect(f.moneyTitle('revenue', 'CNY')).toBe('revenue (CNY)');
    expect(f.moneyTitle('revenue', '')).toBe('revenue');
  });
});
