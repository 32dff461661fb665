/** Builds the report: the charts the input allows, rendered to SVG, laid into the page. */
import { renderReport, reportCharts } from './html.js';
import type { ReportInput } from './report-data.js';
import { renderCharts } from './svg.js';

export interface BuiltReport {
  readonly html: string;
  /** The ids of the charts drawn, in page order. */
  readonly charts: readonly string[];
  /** Vega's warnings while rendering (none expected), for the log. */
  readonly warnings: readonly string[];
}

export async function buildReport(input: ReportInput): Promise<BuiltReport> {
  const charts = reportCharts(input);
  const { svg, warnings } = await renderCharts(charts);
  return { html: renderReport(input, svg), charts: charts.map((c) => c.id), warnings };
}
