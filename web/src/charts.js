// Charts with Apache ECharts: bands over replicates, lines, bars, scatter and error bars; each with
// a PNG button. Every chart drawn is listed in window.vgReport.charts (its id, title and the names
// of its series as a reader counts them: a band and its mean line are one series).
import * as echarts from 'echarts/core';
import { BarChart, CustomChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  GridComponent, LegendComponent, MarkLineComponent, TooltipComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { el, fmt } from './format.js';

echarts.use([BarChart, CustomChart, LineChart, ScatterChart, GridComponent, LegendComponent, MarkLineComponent,
  TooltipComponent, CanvasRenderer]);

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf',
  '#7f7f7f', '#bcbd22'];

const scaled = (xs, k) => xs.map((v) => (v === null || v === undefined ? null : v * k));

// A band (5th to 95th percentile over replicates) and its mean: three ECharts series under one name
// (the legend toggles them together).
export function band(name, b, color, k = 1) {
  const lo = scaled(b.p5, k), hi = scaled(b.p95, k);
  const width = hi.map((v, i) => (v === null || lo[i] === null ? null : v - lo[i]));
  const stack = `band:${name}`;
  const hidden = { lineStyle: { opacity: 0 }, symbol: 'none', silent: true, tooltip: { show: false } };
  return [
    { name, type: 'line', data: lo, stack, ...hidden },
    { name, type: 'line', data: width, stack, ...hidden, areaStyle: { color, opacity: 0.18 } },
    { name, type: 'line', data: scaled(b.mean, k), symbol: 'none', lineStyle: { color, width: 2 }, itemStyle: { color },
      vgBand: { lo, hi } },
  ];
}

// Tooltip of a day: each series' mean and, for a band, its 5-95% range.
function dayTooltip(series, unit) {
  return (params) => {
    const rows = [];
    for (const p of params) {
      const s = series[p.seriesIndex];
      if (!s || s.silent || p.value === null || p.value === undefined) continue;
      const b = s.vgBand;
      const r = b && b.lo[p.dataIndex] !== null ? ` (5-95%: ${fmt(b.lo[p.dataIndex], unit)} to ${fmt(b.hi[p.dataIndex], unit)})` : '';
      rows.push(`${p.marker}${p.seriesName}: ${fmt(p.value, unit)}${r}`);
    }
    return [params.length ? params[0].axisValueLabel : '', ...rows].join('<br>');
  };
}

function pngButton(chart, id) {
  const a = el('a', { class: 'png', href: '#', download: `${id}.png` }, 'PNG');
  a.addEventListener('click', () => {
    a.href = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
  });
  return a;
}

// Draws `option` in a new figure appended to `parent`; `series`: the names a reader counts.
export function figure(parent, id, title, caption, option, series, height) {
  const div = el('div', { class: 'chart', id: `chart-${id}`, 'data-series': series.length,
    style: height ? `height:${height}px` : null });
  const fig = el('figure', { 'data-chart': id }, el('figcaption', {}, el('b', {}, title), ' ', caption), div);
  parent.append(fig);
  const chart = echarts.init(div, null, { renderer: 'canvas' });
  chart.setOption({ animation: false, color: PALETTE, grid: { left: 60, right: 20, top: 55, bottom: 40 }, ...option });
  fig.querySelector('figcaption').append(pngButton(chart, id));
  window.vgReport.charts.push({ id, title, series, chart });
  return chart;
}

// Lines over the run's days: `items` are {name, band} (a band) or {name, data} (a plain line).
export function dayChart(parent, id, title, caption, dates, items, { unit = '', k = 1, yName = '' } = {}) {
  const series = [];
  items.forEach((it, i) => {
    const color = PALETTE[i % PALETTE.length];
    if (it.band) series.push(...band(it.name, it.band, color, k));
    else series.push({ name: it.name, type: it.type || 'line', data: scaled(it.data, k), symbol: 'none',
      stack: it.stack, lineStyle: it.dashed ? { type: 'dashed' } : undefined, itemStyle: { color } });
  });
  const percent = unit === 'share';
  return figure(parent, id, title, caption, {
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'axis', formatter: dayTooltip(series, unit) },
    xAxis: { type: 'category', data: dates, boundaryGap: items.some((it) => it.type === 'bar') },
    yAxis: percent ? { type: 'value', name: yName, max: 1, axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } }
      : { type: 'value', name: yName },
    series,
  }, items.map((it) => it.name));
}

// Intervals as horizontal whiskers with a dot at the mean: rows are categories (metrics), one
// series per group (configuration).
export function intervalChart(parent, id, title, caption, categories, groups, axisName) {
  const n = groups.length;
  const series = groups.map((g, gi) => ({
    name: g.name,
    type: 'custom',
    itemStyle: { color: PALETTE[(gi + 1) % PALETTE.length] },
    encode: { x: [1, 2, 3], y: 0 },
    data: g.rows.map((r, i) => [i, r.mean, r.lo, r.hi]),
    renderItem: (params, api) => {
      const y = api.coord([0, api.value(0)])[1] + (gi - (n - 1) / 2) * 10;
      const at = (v) => api.coord([v, api.value(0)])[0];
      const color = api.visual('color');
      const lo = api.value(2), hi = api.value(3);
      const children = [];
      if (Number.isFinite(lo) && Number.isFinite(hi))
        children.push({ type: 'line', shape: { x1: at(lo), y1: y, x2: at(hi), y2: y }, style: { stroke: color, lineWidth: 2 } });
      children.push({ type: 'circle', shape: { cx: at(api.value(1)), cy: y, r: 4 }, style: { fill: color } });
      return { type: 'group', children };
    },
  }));
  return figure(parent, id, title, caption, {
    legend: { top: 0 },
    grid: { left: 260, right: 30, top: 40, bottom: 40 },
    tooltip: { trigger: 'item', formatter: (p) => `${p.seriesName}<br>${categories[p.value[0]]}: ${fmt(p.value[1])} [${fmt(p.value[2])}, ${fmt(p.value[3])}]` },
    xAxis: { type: 'value', name: axisName, nameLocation: 'middle', nameGap: 25 },
    yAxis: { type: 'category', data: categories, inverse: true },
    series: [...series, { type: 'line', data: [], markLine: { silent: true, symbol: 'none', data: [{ xAxis: 0 }], lineStyle: { color: '#333' } } }],
  }, groups.map((g) => g.name), 90 + 24 * categories.length);
}
