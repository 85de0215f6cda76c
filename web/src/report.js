// report.js — the script render_html.c inlines at the end of an HTML report
// (built into data/web/report-charts.js): each <figure class="chart"> carries
// its chart definition in data-chart (the JSON block of the report) and
// chart.c's SVG as an <img>; with scripts on, the figure is drawn again with
// ECharts through charts.js — the same module the web page uses — and the
// <img> stays as the fallback when scripts are off or drawing fails.
import { drawChart, drawable } from './charts.js';

function upgrade() {
  for (const fig of document.querySelectorAll('figure.chart[data-chart]')) {
    let block;
    try {
      block = JSON.parse(fig.getAttribute('data-chart'));
    } catch {
      continue;
    }
    if (!drawable(block))
      continue;
    const img = fig.querySelector('img');
    const el = document.createElement('div');
    el.className = 'echart';
    fig.insertBefore(el, fig.firstChild);
    try {
      // the width of chart.c's SVG (480 pt) at 4/3 px per point
      drawChart(el, block, { width: 640 });
      if (img)
        img.hidden = true;
    } catch (e) {
      el.remove();
    }
  }
}

if (document.readyState === 'loading')
  document.addEventListener('DOMContentLoaded', upgrade);
else
  upgrade();
