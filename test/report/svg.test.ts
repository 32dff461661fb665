import { describe, expect, it } from 'vitest';
import { renderCharts, STAGES, scopeIds, stageTierCells, stageTierChart, TIERS } from '../../src/index.js';
import { generatedSummary } from './report-input.js';

describe('renderCharts', () => {
  const chart = stageTierChart(stageTierCells(generatedSummary())!, STAGES, TIERS);

  it('draws a cell per stage and tier, and the same bytes every time (ids scoped to the chart)', async () => {
    const first = (await renderCharts([chart])).svg.get('stage-tier')!;
    const second = (await renderCharts([chart])).svg.get('stage-tier')!;
    expect(second).toBe(first);
    expect(first).toContain('id="chart-stage-tier-0"');
    expect(first).toContain('url(#chart-stage-tier-0)');
    const cells = first.match(/<g class="mark-rect role-mark[^>]*>(.*?)<\/g>/s)![1]!;
    expect(cells.match(/<path /g)).toHaveLength(STAGES.length * TIERS.length);
  });

  it('renames only ids the SVG defines', () => {
    expect(scopeIds('<a id="g_3"/><b fill="url(#g_3)"/><c href="#other"/>', 'x')).toBe(
      '<a id="chart-x-0"/><b fill="url(#chart-x-0)"/><c href="#other"/>',
    );
  });
});
