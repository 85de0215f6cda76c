// charts.js — the one mapping from a fisc chart definition (a report's JSON
// "chart" block, made by src/lib/report/chart.c's builders) to an Apache
// ECharts option. The web page and the HTML reports (report.js, inlined by
// render_html.c) both draw through drawChart, so a figure looks the same in
// both; the PDF and DOCX keep chart.c's cairo drawing, whose layout this
// mirrors: title centred, "单位：…" on the right under it, horizontal bars
// largest first, columns with a legend when there are several series, the
// same four print-friendly colours, and each value labelled with the text
// the tables print (the block's "text", never a number formatted here).
//
// A block: {type:"chart", kind:"bar"|"columns", title, unit, values:"money",
//           categories:[…], series:[{name, fen:[…|null], text:[…|null]}]}
// or, for quantities that are not money (a 绩效 indicator's target and
// result), values:"number", scale, unit as written ("家", "%", "" for none)
// and series:[{name, value:[…|null], text:[…|null]}], value / 10^scale.
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TitleComponent, LegendComponent, TooltipComponent, AriaComponent }
  from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, GridComponent, TitleComponent, LegendComponent, TooltipComponent,
  AriaComponent, SVGRenderer]);

// chart.c's colour table, as CSS colours.
export const COLOURS = ['#2e5496', '#c45912', '#808080', '#548235'];
const SANS = '"Noto Sans CJK SC", "Source Han Sans SC", SimHei, sans-serif';
const SERIF = '"Noto Serif CJK SC", "Source Han Serif SC", SimSun, serif';

// chart.c's geometry in points, drawn here at 4/3 px per point.
const PX = 4 / 3;
const PAD = 6, TITLE_H = 22, UNIT_H = 14, LEGEND_H = 18, ROW_H = 18, PLOT_H = 170, CATLABEL_H = 30;

// The height in px the chart needs (fisc_chart_height of chart.c).
export function chartHeight(block) {
  const head = PAD + TITLE_H + UNIT_H + PAD;
  const h = block.kind === 'bar'
    ? head + block.categories.length * ROW_H
    : head + (block.series.length > 1 ? LEGEND_H : 0) + PLOT_H + CATLABEL_H;
  return Math.ceil(h * PX) + 8;
}

// Bar lengths are the only place an amount becomes a JS number: geometry,
// never printed (a fen amount below 2^53 is exact anyway). Within a chart
// every value has the same scale, so the integers compare as the values do.
const geometry = (v) => (v === null || v === undefined ? null : Number(v));

// A series' exact values: fen for money, scaled integers for numbers.
const values = (s) => s.fen ?? s.value ?? [];

// The unit line ("单位：万元"), none for a pure number.
const unitLine = (block) => (block.unit ? '单位：' + block.unit : '');

// Indices of the categories, largest first (chart.c sorts the hbar so).
function barOrder(block) {
  const fen = block.series[0] ? values(block.series[0]) : [];
  return block.categories.map((_, i) => i)
    .sort((a, b) => (geometry(fen[b]) ?? -Infinity) - (geometry(fen[a]) ?? -Infinity) || a - b);
}

// A plain-text description of the chart for screen readers (the aria
// label): every category with every series' printed value.
export function chartDescription(block) {
  const parts = block.categories.map((cat, i) => cat + '：' + block.series
    .map((s) => (block.series.length > 1 ? s.name + ' ' : '') + (s.text[i] ?? '—')).join('，'));
  const unit = unitLine(block);
  return `${block.title}${unit ? '（' + unit + '）' : ''}。${parts.join('；')}。`;
}

export function chartOption(block) {
  const bar = block.kind === 'bar';
  const order = bar ? barOrder(block) : block.categories.map((_, i) => i);
  const cats = order.map((i) => block.categories[i]);
  const title = [
    { text: block.title, left: 'center', top: PAD * PX,
      textStyle: { fontFamily: SANS, fontSize: 11 * PX, fontWeight: 'normal', color: '#000' } },
    { text: unitLine(block), right: PAD * PX, top: (PAD + TITLE_H) * PX,
      textStyle: { fontFamily: SERIF, fontSize: 9 * PX, fontWeight: 'normal', color: '#000' } },
  ];
  const top = (PAD + TITLE_H + UNIT_H + PAD) * PX;
  const series = block.series.map((s, k) => ({
    type: 'bar',
    name: s.name,
    data: order.map((i) => ({ value: geometry(values(s)[i]), text: s.text[i] })),
    itemStyle: { color: COLOURS[k % COLOURS.length] },
    barCategoryGap: bar ? '40%' : '30%',
    label: {
      show: true,
      position: bar ? 'right' : 'top',
      fontFamily: SERIF,
      fontSize: (bar ? 9 : block.series.length > 2 ? 7 : 8) * PX,
      color: '#000',
      formatter: (p) => p.data.text ?? '',
    },
    animation: false,
  }));
  const valueAxis = { type: 'value', show: false, min: 0 };
  const catAxis = {
    type: 'category', data: cats, inverse: bar,
    axisTick: { show: false },
    axisLine: { lineStyle: { color: '#000', width: 0.6 * PX } },
    axisLabel: { fontFamily: SERIF, fontSize: 9 * PX, color: '#000', interval: 0,
      // a column's label may take its group's width (chart.c's gw), as
      // the whole plot (about 600 px wide) shared by the categories
      width: bar ? undefined : Math.max(80, Math.floor(600 / Math.max(1, cats.length)) - 8),
      overflow: bar ? 'none' : 'break' },
  };
  return {
    animation: false,
    aria: { enabled: true, label: { description: chartDescription(block) } },
    color: COLOURS,
    title,
    legend: block.series.length > 1
      ? { top: top - 4, left: 40 * PX, itemWidth: 10 * PX, itemHeight: 8 * PX,
        textStyle: { fontFamily: SERIF, fontSize: 9 * PX, color: '#000' },
        data: block.series.map((s) => s.name) }
      : undefined,
    tooltip: {
      trigger: 'axis', axisPointer: { type: 'shadow' },
      formatter: (ps) => {
        const esc = (t) => String(t).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
        return esc(ps[0].name) + '<br>' + ps.map((p) =>
          `${p.marker}${esc(p.seriesName)}：${esc(p.data.text ?? '—')}` +
          (p.data.text != null && block.unit ? ' ' + esc(block.unit) : '')).join('<br>');
      },
    },
    grid: bar
      ? { top, left: PAD * PX, right: 72 * PX, bottom: 4, containLabel: true }
      : { top: top + (block.series.length > 1 ? LEGEND_H * PX : 0) + 12, left: (PAD + 8) * PX,
        right: PAD * PX, bottom: 4, containLabel: true },
    xAxis: bar ? valueAxis : catAxis,
    yAxis: bar ? catAxis : valueAxis,
    series,
  };
}

// Draws block into el (an empty element); returns the ECharts instance.
export function drawChart(el, block, { width } = {}) {
  el.style.height = chartHeight(block) + 'px';
  if (width)
    el.style.width = width + 'px';
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', chartDescription(block));
  const chart = echarts.init(el, null, { renderer: 'svg' });
  chart.setOption(chartOption(block));
  return chart;
}

// Is there anything to draw (fisc_chart_drawable)?
export function drawable(block) {
  return block && block.type === 'chart' && block.categories.length > 0 &&
    block.series.some((s) => values(s).some((v) => v !== null));
}

export { echarts };
