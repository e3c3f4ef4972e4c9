// The report of a `villagegrid compare` folder: compare.json.
import { intervalChart } from './charts.js';
import { el, fmt, fmtDiff, headline, table } from './format.js';

const KEY = ['screened_within_24h_of_arrival_share', 'found_share', 'arrival_to_found_hours', 'team_complete_share', 'tasks_late'];

export function compareReport(main, data) {
  const c = data.compare;
  // Labelled by the names compare.json gives (made distinct: the same scenario twice is a, a-2).
  const configs = c.configurations.map((x, i) => ({ ...x, label: `${i + 1}: ${x.name || x.scenario}` }));
  main.append(el('h1', {}, `Comparison of ${configs.length} configurations`),
    el('p', { class: 'folder' }, `villagegrid compare, folder ${data.folder}`));
  // The warnings the terminal printed (a configuration of another region: its differences mean
  // nothing) come first, where the headline cannot be read without them.
  for (const w of c.warnings || []) main.append(el('p', { class: 'warning' }, `Warning: ${w}`));
  const paired = c.same_returnees !== false
    ? 'Replicate k of every configuration has the same returnees arriving at the same minutes, so each '
      + 'configuration\'s difference from the first is taken replicate by replicate (paired), with a 95% interval.'
    : 'The configurations\' residents, returnees or their arrivals differ, so replicate k of each draws other ones: '
      + 'differences from the first pair replicates by number only, with a 95% interval.';
  const described = (x) => `${x.label} (${x.file}; grid ${x.grid || 'none'}`
    + Object.entries(x.village_grids || {}).map(([v, g]) => `; ${v}'s grid ${g}`).join('')
    + `${x.differs_from_first && x.differs_from_first.length ? `; differs from 1 in: ${x.differs_from_first.join('; ')}` : ''})`;
  main.append(el('p', { class: 'scenario' }, `Compares ${configs.map(described).join(', ')}, `
    + `each over ${c.replicates} replicates with the same random numbers (seed ${c.seed}). ${paired} `
    + 'Shares\' differences are in percentage points.'));
  const metrics = Object.entries(c.metrics);
  const items = [];
  // The key metrics, and the grid's coverage when the configurations' grids differ (what tells
  // grid designs apart).
  const grids = new Set(configs.map((x) => x.grid || ''));
  const keys = grids.size > 1 ? [...KEY, 'households_without_contact_member'] : KEY;
  for (const key of keys) {
    const m = c.metrics[key];
    if (!m) continue;
    for (let i = 1; i < configs.length; ++i) {
      const d = m.configurations[i].diff_vs_first;
      if (d.mean === null) continue;
      const u = m.unit;
      items.push({ metric: `${key}:${i + 1}`, value: d.mean, label: `${key}, ${configs[i].label} minus configuration 1`,
        text: fmtDiff(d.mean, u),
        range: d.ci95_low === null ? '' : `95% interval ${fmtDiff(d.ci95_low, u, false)} to ${fmtDiff(d.ci95_high, u)}` });
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
  // As a percentage of the first's mean: a mean below 1 (0.15 late tasks at the end) would make
  // any change thousands of per cent and flatten every other bar; those are left to the table.
  const others = ([, m]) => m.unit !== 'share' && Math.abs(m.configurations[0].value.mean) >= 1;
  const tiny = metrics.filter(([, m]) => m.unit !== 'share' && m.configurations[0].value.mean !== null
    && Math.abs(m.configurations[0].value.mean) < 1).map(([k]) => k);
  if (configs.length > 1 && metrics.some(shares))
    intervalChart(main, 'compare-shares', 'Differences of shares.', 'Each configuration minus the first, paired by replicate: mean and 95% interval, in percentage points.',
      metrics.filter(shares).map(([k]) => k), groups(shares, () => 100), 'percentage points');
  if (configs.length > 1 && metrics.some(others))
    intervalChart(main, 'compare-others', 'Differences of the other metrics.', 'Each configuration minus the first, paired by replicate, as a percentage of the first\'s mean, with 95% intervals.'
      + (tiny.length ? ` Not drawn, the first's mean being below 1 (see the table): ${tiny.join(', ')}.` : ''),
      metrics.filter(others).map(([k]) => k), groups(others, (m, base) => 100 / Math.abs(base)), '% of the first configuration\'s mean');
  // The tables: every metric of compare.json, as the terminal prints them (a share in per cent, a
  // share's difference in percentage points), the region's then each role's.
  // A mean over fewer replicates than were run says over how many, as the terminal's table does.
  // One replicate has no interval (the terminal's table says the same).
  const one = (v, unit) => unit !== 'share' && v.n === 1;
  // A first day (unit "day") that never came reads "never", as the terminal's table.
  const cell = (v, unit) => (v.mean === null ? (unit === 'day' ? 'never' : '-') : one(v, unit) ? `${fmt(v.mean, unit)} [one replicate: no interval]`
    : `${fmt(v.mean, unit)} [${fmt(v.ci95_low, unit)}, ${fmt(v.ci95_high, unit)}]`
      + (unit !== 'share' && v.n > 1 && v.n < c.replicates ? ` (n=${v.n})` : ''));
  // A difference over fewer replicates than either mean (a metric undefined in some) says how many
  // it paired, as the terminal's table does; a share's is of the pooled shares.
  const fewer = (m, x) => m.unit !== 'share' && x.diff_vs_first.mean !== null
    && (x.diff_vs_first.n < m.configurations[0].value.n || x.diff_vs_first.n < x.value.n);
  const diffCell = (v, unit, paired) => (v.mean === null ? '-' : one(v, unit) ? `${fmtDiff(v.mean, unit)} [one replicate: no interval]`
    : `${fmtDiff(v.mean, unit)} [${fmtDiff(v.ci95_low, unit, false)}, ${fmtDiff(v.ci95_high, unit, false)}]`
      + (paired ? ` (${v.n} paired)` : '') + (v.one_replicate ? ' (one replicate)' : ''));
  const columns = [...configs.map((x) => x.label), ...configs.slice(1).map((x) => `${x.label} minus 1`)];
  const cells = (m) => [...m.configurations.map((x) => cell(x.value, m.unit)),
    ...m.configurations.slice(1).map((x) => diffCell(x.diff_vs_first, m.unit, fewer(m, x)))];
  main.append(el('h2', {}, 'Metrics'));
  main.append(el('p', {}, 'Mean over replicates [95% interval of the mean, not the spread of the replicates]; a share of '
    + 'people, tasks or days: the share pooled over replicates [Wilson interval], in per cent; a role\'s utilisation: the mean '
    + 'of the replicates\' ratios (above 100% with overtime). '
    + 'Differences: paired by replicate, against the first configuration; a share\'s in percentage points (pp). '
    + '"(K paired)": the metric is undefined in some replicates, and the difference is over the K where both '
    + 'configurations define it, so it need not equal the difference of the two means; "(n=K)": the mean is over '
    + 'the K replicates that define it; "(one replicate)": more than half of a pooled share\'s denominator (its cases, '
    + 'say: one outbreak) is one replicate\'s, so the interval understates the uncertainty: read the difference as '
    + 'unsettled and run more replicates.'));
  main.append(table(['metric', 'unit', ...columns], metrics.map(([k, m]) => [k, m.unit, ...cells(m)])));
  const roles = Object.entries(c.roles || {});
  if (roles.length) {
    main.append(el('h2', {}, 'Metrics by role'));
    main.append(table(['role', 'metric', 'unit', ...columns],
      roles.flatMap(([role, ms]) => Object.entries(ms).map(([k, m]) => [role, k, m.unit, ...cells(m)]))));
  }
  // The work itself: each task kind's tasks created, done, late and hours, and each guideline's;
  // and each village compared on its own (compare --village).
  for (const [key, title] of [['villages', 'Metrics by village (--village)'], ['tasks', 'Tasks by kind'],
    ['guidelines', 'Tasks by guideline']]) {
    const scopes = Object.entries(c[key] || {});
    if (!scopes.length) continue;
    main.append(el('h2', {}, title));
    main.append(table([{ villages: 'village', tasks: 'task', guidelines: 'guideline' }[key], 'metric', 'unit', ...columns],
      scopes.flatMap(([scope, ms]) => Object.entries(ms).map(([k, m]) => [scope, k, m.unit, ...cells(m)]))));
  }
}
