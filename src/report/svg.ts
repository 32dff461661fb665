/**
 * Renders Vega-Lite specs to SVG text in Node: compile to Vega, run a headless view (renderer
 * 'none' needs no canvas) and serialise its scene graph. Vega's SVG writer escapes every text and
 * attribute value, so strings from data cannot become markup. vega and vega-lite are imported on the
 * first call only: the other commands never pay their start-up.
 */
import type { Chart } from './charts.js';

type Libraries = [typeof import('vega'), typeof import('vega-lite')];
let libraries: Promise<Libraries> | null = null;

const load = (): Promise<Libraries> => {
  libraries ??= Promise.all([import('vega'), import('vega-lite')]);
  return libraries;
};

export interface RenderedCharts {
  /** One SVG document per chart id, in the charts' order. */
  readonly svg: Map<string, string>;
  /** What Vega-Lite and Vega warned of (a spec problem), `<chart id>: <message>`, for the log. */
  readonly warnings: string[];
}

/**
 * Vega numbers gradients and clip paths with a counter that lives as long as the process: renamed
 * per chart, so ids are unique on the page and the same report is the same bytes in any process.
 */
export function scopeIds(svg: string, chartId: string): string {
  const ids = [...new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!))];
  if (ids.length === 0) return svg;
  const rename = new Map(ids.map((id, k) => [id, `chart-${chartId}-${k}`]));
  return svg.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (whole, lead: string, id: string) =>
    rename.has(id) ? `${lead}${rename.get(id)}` : whole,
  );
}

export async function renderCharts(charts: readonly Chart[]): Promise<RenderedCharts> {
  const [vega, vl] = await load();
  const svg = new Map<string, string>();
  const warnings: string[] = [];
  for (const c of charts) {
    const collect = (...args: readonly unknown[]) => warnings.push(`${c.id}: ${args.map(String).join(' ')}`);
    const logger = { level: () => vega.Warn, error: collect, warn: collect, info: () => {}, debug: () => {} };
    // biome-ignore lint/suspicious/noExplicitAny: vega-lite's logger type wants its own class; the interface is the same.
    const compiled = vl.compile(c.spec, { logger: logger as any }).spec;
    const view = new vega.View(vega.parse(compiled), {
      renderer: 'none',
      logLevel: vega.Warn,
      logger: logger as never,
    });
    try {
      svg.set(c.id, scopeIds(await view.toSVG(), c.id));
    } finally {
      view.finalize();
    }
  }
  return { svg, warnings };
}
