// The report of a `villagegrid compare` folder: compare.json.
import { intervalChart } from './charts.js';
import { el, fmt, headline, table } from './format.js';

const KEY = ['screened_within_24h_of_arrival_share', 'found_share', 'team_complete_share', 'tasks_late'];

export function compareReport(main, data) {
  const c = data.compare;
  const configs = c.configurations.map((x, i) => ({ ...x, label: `${i + 1}: ${x.scenario}` }));
  main.append(el('h1', {}, `Comparison of ${configs.length} configurations`),
    el('p', { class: 'folder' }, `villagegrid compare, folder ${data.folder}`));
  main.append(el('p', { class: 'scenario' }, `Compares ${configs.map((x) => `${x.label} (${x.file})`).join(', ')}, `
    + `each over ${c.replicates} replicates with the same random numbers (seed ${c.seed}): each configuration's difference from `
    + `the first is taken replicate by replicate (paired), with a 95% interval. Shares' differences are in percentage points.`));
  const metrics = Object.entries(c.metrics);
  const items = [];
  for (const key of KEY) {
    const m = c.metrics[key];
    if (!m) continue;
    for (let i = 1; i < configs.length; ++i) {
      const d = m.configurations[i].diff_vs_first;
      if (d.mean === null) continue;
      const pp = m.unit === 'share';
      items.push({ metric: `${key}:${i + 1}`, value: d.mean, label: `${key}, ${configs[i].label} minus 1`,
        text: pp ? `${(100 * d.mean).toFixed(1)} pp` : fmt(d.mean),
        range: d.ci95_low === null ? '' : `95% interval ${pp ? (100 * d.ci95_low).toFixed(1) : fmt(d.ci95_low)} to ${pp ? (100 * d.ci95_high).toFixed(1) + ' pp' : fmt(d.ci95_high)}` });
    }
  }
  main.append(el('h2', {}, 'Headline answers'), headline(items));
  main.append(el('h2', {}, 'Charts'));
  const groups = (filter, scale) => configs.slice(1).map((cfg, j) => ({
    name: `${cfg.label} minus 1`,
    rows: metrics.filter(filter).map(([, m]) => {
      const d = m.configurations[j + 1].diff_vs_first, base = m.configurations[0].value.mean;
      const k = scale(m, base);
      const f = (x) => (x === null || !Number.isFinite(k) ? NaN : x * k);
      return { mean: f(d.mean), lo: f(d.ci95_low), hi: f(d.ci95_high) };
    }),
  }));
  const shares = ([, m]) => m.unit === 'share';
  const others = ([, m]) => m.unit !== 'share' && m.configurations[0].value.mean;
  if (configs.length > 1 && metrics.some(shares))
    intervalChart(main, 'compare-shares', 'Differences of shares.', 'Each configuration minus the first, paired by replicate: mean and 95% interval, in percentage points.',
      metrics.filter(shares).map(([k]) => k), groups(shares, () => 100), 'percentage points');
  if (configs.length > 1 && metrics.some(others))
    intervalChart(main, 'compare-others', 'Differences of the other metrics.', 'Each configuration minus the first, paired by replicate, as a percentage of the first\'s mean, with 95% intervals.',
      metrics.filter(others).map(([k]) => k), groups(others, (m, base) => 100 / Math.abs(base)), '% of the first configuration\'s mean');
  main.append(el('h2', {}, 'Metrics'));
  const cell = (v) => (v.mean === null ? '-' : `${fmt(v.mean)} [${fmt(v.ci95_low)}, ${fmt(v.ci95_high)}]`);
  main.append(table(['metric', 'unit', ...configs.map((x) => x.label), ...configs.slice(1).map((x) => `${x.label} minus 1`)],
    metrics.map(([k, m]) => [k, m.unit, ...m.configurations.map((x) => cell(x.value)), ...m.configurations.slice(1).map((x) => cell(x.diff_vs_first))])));
}
