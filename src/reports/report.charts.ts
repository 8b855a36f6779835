/**
 * Charts as SVG, drawn on the server by Apache ECharts (its server-side SVG renderer): the same
 * picture in the page (an <img>, so no script runs and nothing comes from a CDN) and in the PDF
 * (svg-to-pdfkit). Each series has its own colour from a colour-blind-safe palette and its own
 * pattern (ECharts' decals), and bars carry their numbers: readable without colour.
 */

/** One series of a chart: its name (the legend) and a value per category. */
export interface ChartSeries {
  name: string;
  values: number[];
}

export interface BarChart {
  /** Read by screen readers from the SVG; the page's <img> carries its own alt text. */
  title: string;
  categories: string[];
  series: ChartSeries[];
  /** Bars of the series stacked on each other (totals per category). */
  stacked?: boolean;
  /** Categories down the side, bars to the right: for long names such as topics. */
  horizontal?: boolean;
  /** Values are percentages (axis 0–100, labels with %). */
  percent?: boolean;
  /** A dashed line at this value, named in the legend: the goal. */
  goal?: { value: number; name: string };
  width?: number;
  height?: number;
}

/** Okabe–Ito: told apart by people with any colour vision; the decals tell them apart without colour. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

type ECharts = typeof import('echarts');
let echarts: Promise<ECharts> | undefined;
// ECharts is large: loaded on the first chart, not by every process that starts.
const loadECharts = () => (echarts ??= import('echarts'));

/** The chart as an SVG document. */
export async function barChartSvg(chart: BarChart): Promise<string> {
  const { init } = await loadECharts();
  const width = chart.width ?? 720;
  const height =
    chart.height ?? (chart.horizontal ? Math.max(220, 60 + chart.categories.length * 28 * Math.max(1, chart.stacked ? 1 : chart.series.length)) : 320);
  const instance = init(null, null, { renderer: 'svg', ssr: true, width, height });
  const valueAxis = { type: 'value' as const, max: chart.percent ? 100 : undefined, axisLabel: { formatter: chart.percent ? '{value}%' : '{value}' } };
  const categoryAxis = {
    type: 'category' as const,
    data: chart.categories,
    axisLabel: { interval: chart.horizontal ? 0 : 'auto', width: 160, overflow: 'truncate' as const },
  };
  const label = {
    show: true,
    position: chart.stacked ? ('inside' as const) : chart.horizontal ? ('right' as const) : ('top' as const),
    formatter: (p: { value: unknown }) => (Number(p.value) === 0 ? '' : `${Number(p.value).toLocaleString('nl-NL')}${chart.percent ? '%' : ''}`),
    color: '#111',
    backgroundColor: chart.stacked ? 'rgba(255,255,255,0.85)' : undefined,
    padding: chart.stacked ? 2 : 0,
  };
  instance.setOption({
    animation: false,
    color: PALETTE,
    textStyle: { fontFamily: 'Helvetica, Arial, sans-serif', fontSize: 12 },
    aria: { enabled: true, label: { description: chart.title }, decal: { show: true } },
    legend: { top: 0, type: 'plain' },
    grid: { left: chart.horizontal ? 170 : 50, right: 40, top: 40, bottom: 30, containLabel: false },
    xAxis: chart.horizontal ? valueAxis : categoryAxis,
    yAxis: chart.horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
    series: [
      ...chart.series.map((series) => ({ name: series.name, type: 'bar' as const, stack: chart.stacked ? 'all' : undefined, data: series.values, label })),
      ...(chart.goal
        ? [
            {
              name: chart.goal.name,
              type: 'line' as const,
              data: [],
              markLine: {
                symbol: 'none',
                lineStyle: { type: 'dashed' as const, color: '#000', width: 2 },
                label: { formatter: `${chart.goal.name}: ${chart.goal.value}${chart.percent ? '%' : ''}`, position: 'insideEndTop' as const },
                data: [chart.horizontal ? { xAxis: chart.goal.value } : { yAxis: chart.goal.value }],
              },
            },
          ]
        : []),
    ],
  });
  try {
    return instance.renderToSVGString();
  } finally {
    instance.dispose();
  }
}
