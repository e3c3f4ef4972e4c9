// The report of a `villagegrid plan` folder: plan.json (each part's answer, the combined roster's
// check) and every roster run, part by part (plan.csv). Both as src/io/plan_output.cpp writes them.
import { figure } from './charts.js';
import { el, fmt, headline, table } from './format.js';

// A roster's values as plan.json gives them (`roster`, and the `people` each ran), saying what a
// value counts (plan.json's `per`): "village_cadre 2 per 1000 residents (13 people)".
function rosterFormatter(p) {
  const unit = p.per === 'residents' ? ` per ${p.per_residents} residents` : p.per === 'town' ? ' in the town' : '';
  return (c) => Object.entries((c && c.roster) || {}).map(([k, v]) => {
    const n = ((c && c.people) || {})[k];
    const differs = n !== undefined && n !== v;
    return `${k} ${v}${differs && p.per === 'roster' ? ' in each roster' : ''}${unit}${differs ? ` (${n} people)` : ''}`;
  }).join(', ');
}
const partTitle = (q) => (q.kind === 'town' ? `town ${q.name}${q.only_village ? ` (${q.only_village})` : ''}`
  : `village ${q.name} (${q.town})`);

// What a part without an answer should do next: its response to the varied roles (plan.json).
function noAnswerAdvice(q) {
  if (q.response && q.response.advice) return q.response.advice;  // plan.json's own words (a range at a limit named)
  if (q.response && q.response.more_staff_helps === false)
    return 'none in the ranges; more of the varied roles would not help (doubling them moves no failing target by more than 1%): relax the targets or change what limits them';
  return 'none in the ranges; widen the ranges or relax the targets';
}

// Its figures: each metric a failing target reads, at about half of each varied role and at the top.
function responseText(q, rosterText) {
  const r = q.response;
  if (!r || !r.half || !r.top) return '';
  // Four significant figures, as the table prints them: 0.9903 -> 0.9888 is the point, not 0.99 -> 0.99.
  const fig = (x) => (x === null || x === undefined ? '-' : String(+x.toPrecision(4)));
  const ms = (r.metrics || []).map((m) => `${m.metric} ${fig(m.half)} -> ${fig(m.top)}`);
  return `from ${rosterText(r.half)} to ${rosterText(r.top)} (same ${fmt(r.top.replicates)} replicates): ${ms.join('; ') || 'no metric'}`;
}

// A part's own binding target in the check (the target its metrics held least often), if one fails.
function partBinding(q, targets) {
  const c = q.check || {};
  if (!c.binding_target) return '-';
  const held = (c.share_per_target || [])[targets.indexOf(c.binding_target)];
  return held === undefined ? c.binding_target : `${c.binding_target} (held in ${fmt(held, 'share')})`;
}

// The plan.csv columns (`mean_<name>`) of every metric the targets read, in the order they first
// appear: each name in a condition (docs/expressions.md) on either side of a comparison, in
// arithmetic or in `and`/`or`, that is a metric; words that are not (and, not, true, function
// names) and quoted strings are left out, and so are the exponents of numbers (1e3).
export function targetMeans(targets, header) {
  const out = [];
  for (const t of targets)
    for (const [name] of t.replace(/"[^"]*"|'[^']*'/g, ' ').matchAll(/(?<![\w.])[A-Za-z_]\w*/g))
      if (header.includes(`mean_${name}`) && !out.includes(`mean_${name}`)) out.push(`mean_${name}`);
  return out;
}

// The cheapest-first frontier: rosters that do better (here: a larger share) than every cheaper one.
function frontier(points) {
  const out = [];
  let best = -Infinity;
  for (const p of [...points].sort((a, b) => a[0] - b[0] || b[1] - a[1]))
    if (p[1] > best) { out.push(p); best = p[1]; }
  return out;
}

// Every roster run (plan.csv has no others), meeting the targets or not; `extra` adds series.
function scatter(main, id, title, caption, rows, y, yName, extra, percent) {
  const ev = rows.filter((r) => typeof r[y] === 'number' && Number.isFinite(r[y]));
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
    yAxis: percent ? { type: 'value', name: yName, scale: true, axisLabel: { formatter: (v) => `${+(v * 100).toFixed(1)}%` } }
      : { type: 'value', name: yName, scale: true },
    series,
  }, series.map((s) => s.name));
}

export function planReport(main, data) {
  const p = data.plan, rows = data.candidates || [];
  const rosterText = rosterFormatter(p);
  const parts = p.parts || [], check = p.check || {};
  const header = rows.length ? Object.keys(rows[0]) : [];
  const roles = header.slice(header.indexOf('town') + 1, header.indexOf('cost'));
  const answered = parts.filter((q) => q.best);
  main.append(el('h1', {}, `Plan for ${p.scenario}`), el('p', { class: 'folder' }, `villagegrid plan, folder ${data.folder}`));
  const counts = p.per === 'residents' ? `, each value per ${p.per_residents} residents of each roster,`
    : p.per === 'town' ? ', each value over the whole town,' : '';
  main.append(el('p', { class: 'scenario' }, `Searches rosters of ${roles.join(', ') || 'the varied roles'}${counts} for the cheapest (by ${p.cost}) `
    + `that meets ${(p.targets || []).join(' and ')} in at least ${fmt(p.required_share, 'share')} of ${p.replicates} replicates (seed ${p.seed}), `
    + (parts.length === 1 ? `for ${partTitle(parts[0])}; `
      : `for each of the ${parts.length} parts of the region (a town, or a village whose town has no staff of its own) on its own; `)
    + `${fmt(p.rosters_run)} of the ${fmt(p.rosters_in_ranges)} rosters in the ranges were simulated (${p.search} search).`));

  const only = parts.length === 1 ? parts[0] : null;
  // Several parts: each is judged on its own metrics, so the verdict is every part's together and
  // the binding target a part's; the region's metrics sum counts over its villages (plan.json).
  const several = parts.length > 1 && check.share_all_parts !== undefined;
  const bindingTarget = several ? check.parts_binding_target : check.binding_target;
  const bindingHeld = several
    ? parts.find((q) => partTitle(q) === check.parts_binding_part)?.check?.share_per_target?.[(p.targets || []).indexOf(bindingTarget)]
    : (check.share_per_target || [])[(p.targets || []).indexOf(check.binding_target)];
  const items = [
    { metric: 'answered', value: answered.length, label: 'Parts with a roster meeting the targets',
      text: `${answered.length} of ${parts.length}`,
      range: only ? (only.best ? `${rosterText(only.best)}; cost ${fmt(only.best.cost)}` : noAnswerAdvice(only)) : '' },
    several
      ? { metric: 'check', value: check.share_all_parts, label: 'The combined roster: every part meets its targets',
        text: `${fmt(check.share_all_parts, 'share')} of ${check.replicates} replicates`,
        range: `95% Wilson interval ${fmt(check.parts_lower, 'share')} to ${fmt(check.parts_upper, 'share')}; cost ${fmt(check.cost)}; `
          + `on the whole region's metrics (counts summed over its villages) ${fmt(check.share_all_targets, 'share')}` }
      : { metric: 'check', value: check.share_all_targets, label: 'The combined roster meets every target',
        text: `${fmt(check.share_all_targets, 'share')} of ${check.replicates} replicates`,
        range: `95% Wilson interval ${fmt(check.lower, 'share')} to ${fmt(check.upper, 'share')}; cost ${fmt(check.cost)}` },
    { metric: 'binding_target', value: bindingTarget ?? '', label: several ? 'Binding target (held least often, in a part)' : 'Binding target (held least often)',
      text: bindingHeld === undefined ? '-' : `held in ${fmt(bindingHeld, 'share')}${several ? ` in ${check.parts_binding_part}` : ''}`,
      range: bindingTarget ?? '' },
    { metric: 'bottleneck_role', value: check.bottleneck_role ?? '', label: 'Bottleneck role (of the varied roles)',
      text: check.bottleneck_role ?? (check.varied_roles_bind === false ? 'none of the varied roles' : '-'),
      range: [check.varied_roles_bind === false ? 'more of them moves none of the failing targets' : '',
        // A role not varied, busier than every varied one, may be what binds: the terminal's line.
        check.busiest_unvaried_role ? `busier than every varied role: ${check.busiest_unvaried_role.role}, not varied `
          + `(${fmt(check.busiest_unvaried_role.used, 'share')} of its hours worked): it may be what holds the targets back`
          : ''].filter((x) => x).join('; ') },
  ];
  main.append(el('h2', {}, 'Headline answers'), headline(items));

  main.append(el('h2', {}, 'Parts'));
  main.append(table(['part', 'answer', 'cost', 'combined roster meets the targets', 'binding target', 'binding roles', 'notes'],
    parts.map((q) => [
      partTitle(q),
      q.best ? rosterText(q.best) : noAnswerAdvice(q),
      q.best ? fmt(q.best.cost) : '-',
      q.check ? `${fmt(q.check.share_all_targets, 'share')} (${fmt(q.check.lower, 'share')} to ${fmt(q.check.upper, 'share')})` : '-',
      partBinding(q, p.targets || []),
      (q.binding_roles || []).join(', ') || '-',
      [responseText(q, rosterText), ...(q.out_of_range || []), ...(q.warnings || [])].filter((x) => x).join('; ') || '-',
    ])));

  main.append(el('h2', {}, 'Charts'));
  // The frontier joins rosters of one part; with several parts their costs are not comparable.
  const frontierSeries = (ev) => (parts.length !== 1 ? [] : [{ name: 'frontier', type: 'line', step: 'end', symbol: 'none',
    data: frontier(ev.map((r) => [r.cost, r.share_all_targets])),
    markLine: { silent: true, symbol: 'none', data: [{ yAxis: p.required_share, name: 'required' }], lineStyle: { type: 'dashed' } } }]);
  scatter(main, 'plan-share', 'Rosters: cost and share of replicates meeting the targets.',
    parts.length === 1 ? 'Each simulated roster; the frontier joins those better than every cheaper one; dashed: the share required.'
      : 'Each simulated roster of every part (its own cost).',
    rows, 'share_all_targets', 'share of replicates', frontierSeries, true);
  // A chart per metric the targets read (plan.csv has every metric's mean: the table has them all).
  const means = targetMeans(p.targets || [], header);
  means.forEach((k, i) => scatter(main, `plan-metric-${i + 1}`, `Rosters: cost and ${k.slice(5)}.`, 'Each simulated roster\'s mean over its replicates.',
    rows, k, k.slice(5), () => [], /share/.test(k)));
  main.append(el('h2', {}, 'Rosters tried'));
  // Every metric's mean is in plan.csv; the table keeps those the targets name.
  const cols = header.filter((c) => !c.startsWith('mean_') || means.includes(c));
  main.append(table(cols, rows.map((r) => cols.map((c) => (typeof r[c] === 'number' ? fmt(r[c]) : r[c] ?? '-')))));
}
