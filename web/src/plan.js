// The report of a `villagegrid plan` folder: plan.json and every roster tried (plan.csv).
import { figure } from './charts.js';
import { el, fmt, headline, table } from './format.js';

const rosterText = (r) => Object.entries(r).map(([k, v]) => `${k}=${v}`).join(', ');

// The cheapest-first frontier: rosters that do better (here: a larger share) than every cheaper one.
function frontier(points) {
  const out = [];
  let best = -Infinity;
  for (const p of [...points].sort((a, b) => a[0] - b[0] || b[1] - a[1]))
    if (p[1] > best) { out.push(p); best = p[1]; }
  return out;
}

function scatter(main, id, title, caption, rows, y, yName, extra, percent) {
  const ev = rows.filter((r) => r.evaluated === 1 && r[y] !== null);
  const pts = (feasible) => ev.filter((r) => (r.feasible === 1) === feasible).map((r) => [r.cost, r[y]]);
  const series = [
    { name: 'meets the targets', type: 'scatter', data: pts(true), symbolSize: 9 },
    { name: 'falls short', type: 'scatter', data: pts(false), symbolSize: 7 },
    ...extra(ev),
  ];
  figure(main, id, title, caption, {
    legend: { top: 0 },
    tooltip: { trigger: 'item', formatter: (p) => `${p.seriesName}<br>cost ${fmt(p.value[0])}, ${yName} ${percent ? fmt(p.value[1], 'share') : fmt(p.value[1])}` },
    xAxis: { type: 'value', name: 'cost', scale: true },
    yAxis: percent ? { type: 'value', name: yName, scale: true, axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } }
      : { type: 'value', name: yName, scale: true },
    series,
  }, series.map((s) => s.name));
}

export function planReport(main, data) {
  const p = data.plan, rows = data.candidates || [];
  const roles = rows.length ? Object.keys(rows[0]).slice(0, Object.keys(rows[0]).indexOf('cost')) : [];
  main.append(el('h1', {}, `Plan for ${p.scenario}`), el('p', { class: 'folder' }, `villagegrid plan, folder ${data.folder}`));
  main.append(el('p', { class: 'scenario' }, `Searches rosters of ${roles.join(', ') || 'the varied roles'} for the cheapest (by ${p.cost}) `
    + `that meets ${(p.targets || []).join(' and ')} in at least ${fmt(p.required_share, 'share')} of ${p.replicates} replicates (seed ${p.seed}). `
    + `${rows.filter((r) => r.evaluated === 1).length} of ${rows.length} rosters in the ranges were simulated.`));
  const items = [p.best
    ? { metric: 'best', value: p.best.cost, label: 'Cheapest roster meeting the targets', text: rosterText(p.best.roster),
      range: `cost ${fmt(p.best.cost)}; targets met in ${fmt(p.best.share_all_targets, 'share')} of replicates` }
    : { metric: 'best', value: '', label: 'Cheapest roster meeting the targets', text: 'none in the ranges', range: 'widen the ranges or relax the targets' }];
  main.append(el('h2', {}, 'Headline answers'), headline(items));
  main.append(el('h2', {}, 'Charts'));
  const frontierSeries = (ev) => [{ name: 'frontier', type: 'line', step: 'end', symbol: 'none', data: frontier(ev.map((r) => [r.cost, r.share_all_targets])),
    markLine: { silent: true, symbol: 'none', data: [{ yAxis: p.required_share, name: 'required' }], lineStyle: { type: 'dashed' } } }];
  scatter(main, 'plan-share', 'Rosters: cost and share of replicates meeting the targets.', 'Each simulated roster; the frontier joins those better than every cheaper one; dashed: the share required.',
    rows, 'share_all_targets', 'share of replicates', frontierSeries, true);
  // A chart per metric the targets name (plan.csv has every metric's mean: the table has them all).
  const targetMetrics = (p.targets || []).map((t) => `mean_${t.trim().split(/[\s<>=!]/)[0]}`);
  const means = rows.length ? [...new Set(targetMetrics)].filter((k) => k in rows[0]) : [];
  means.forEach((k, i) => scatter(main, `plan-metric-${i + 1}`, `Rosters: cost and ${k.slice(5)}.`, 'Each simulated roster\'s mean over replicates.',
    rows, k, k.slice(5), () => [], /share/.test(k)));
  main.append(el('h2', {}, 'Rosters tried'));
  // Every metric's mean is in plan.csv; the table keeps those the targets name.
  const cols = rows.length ? Object.keys(rows[0]).filter((c) => !c.startsWith('mean_') || means.includes(c)) : [];
  main.append(table(cols, rows.map((r) => cols.map((c) => (typeof r[c] === 'number' ? fmt(r[c]) : r[c] ?? '-')))));
}
