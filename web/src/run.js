// The report of a `villagegrid run` folder: summary.json and the bands of timeseries.csv and
// roles_by_day.csv.
import { dayChart, figure } from './charts.js';
import { el, fixed, fmt, headline, range, table } from './format.js';

const region = (s) => Object.fromEntries(s.metrics.filter((m) => m.scope === 'region').map((m) => [m.metric, m]));

// The grid's span, and the load its contact members carry: with cover_all, households beyond the
// span are dealt out, so members may hold more than it (summary.json's grid.villages). Villages on
// their own policy's grid (policy: overrides) are named with it; households left without a contact
// member are said.
function gridLoad(vs) {
  const members = vs.reduce((a, v) => a + (v.contact_members || 0), 0);
  const held = vs.reduce((a, v) => a + v.households - v.households_without_contact_member, 0);
  const over = vs.reduce((a, v) => a + v.members_over_span, 0);
  const most = vs.reduce((a, v) => Math.max(a, v.most_households_per_member), 0);
  const without = vs.reduce((a, v) => a + v.households_without_contact_member, 0);
  let text = '';
  if (members > 0) {
    text += `; its ${members.toLocaleString('en-US')} contact members hold ${fmt(held / members)} households each on `
      + `average, at most ${most}`;
    if (over > 0) text += `, ${over === members ? 'all' : over.toLocaleString('en-US')} of them over the span (cover_all)`;
  }
  if (without > 0) text += `; ${without.toLocaleString('en-US')} households without a contact member`;
  return text;
}

function gridText(g) {
  const vs = g.villages || [];
  const names = [...new Set(vs.map((v) => v.grid))];
  if (g.name !== null && names.length === 1 && names[0] === g.name)
    return `Grid: ${g.name}, a span of ${g.households_per_member} households a contact member${gridLoad(vs)}. `;
  const parts = names.map((n) => {
    const on = vs.filter((v) => v.grid === n);
    return `${n} (a span of ${on[0].households_per_member}) in ${on.map((v) => v.village).join(', ')}${gridLoad(on)}`;
  });
  return `Grids: ${parts.join('. ')}. `;
}

function paragraph(s) {
  const p = s.population;
  let text = `${s.title || s.scenario} (scenario ${s.scenario}): ${p.villages} village(s) in ${p.towns} town(s), `
    + `${p.persons.toLocaleString('en-US')} residents and ${p.returnees.toLocaleString('en-US')} returnees, over `
    + `${s.horizon_days} days from ${s.start_date}; ${s.replicates} replicate(s) with seed ${s.seed}. `;
  if (s.grid) text += gridText(s.grid);
  if (s.r0) text += `Epidemic model with R0 ${fmt(s.r0.next_generation)} (next-generation matrix; ${fmt(100 * s.r0.household_share)}% in households). `;
  text += 'Figures are means over replicates, with 5th to 95th percentiles.';
  return el('p', { class: 'scenario' }, text);
}

const HEADLINE = [
  ['found_share', 'Returnees found'],
  ['screened_within_24h_of_arrival_share', 'Screened within 24 h of arrival'],
  ['screened_within_24h_share', 'Screened within 24 h of being found'],
  ['team_complete_share', 'Tracking days with a complete team (the policy\'s tracking templates)'],
  ['tasks_late', 'Tasks late'],
  ['infections_local', 'Local infections'],
];

function headlines(s) {
  const m = region(s);
  const items = [];
  for (const [key, label] of HEADLINE) {
    const x = m[key];
    if (!x || !x.n) continue;
    if (key === 'infections_local' && !s.r0) continue;
    items.push({ metric: key, value: x.mean, label, text: fmt(x.mean, x.unit), range: range(x, x.unit) });
  }
  const first = s.first_roles_out_of_hours || [];
  items.push({ metric: 'first_roles_out_of_hours', value: first.map((f) => f.role).join(','),
    label: 'First to run out of hours',
    text: first.length ? first.map((f) => f.role).join(', ') : 'none in most replicates',
    range: first.length ? `in ${first.map((f) => fmt(f.share_of_replicates, 'share')).join(', ')} of replicates` : '' });
  return headline(items);
}

function charts(main, s, ts, rd) {
  const d = ts.dates, b = ts.bands;
  const has = (k) => b[k] && b[k].mean.some((v) => v !== null && v !== 0);
  const pick = (items) => items.filter(([k]) => b[k]).map(([k, name]) => ({ name, band: b[k] }));
  const reps = `Lines: means over ${ts.replicates} replicates; shaded: 5th to 95th percentiles.`;
  if (s.r0 || has('infections_local') || has('infections_imported'))
    dayChart(main, 'epidemic', 'Epidemic curve.', `New infections, onsets (every resident) and returnees detected per day (residents who are not returnees are not counted there), and people infectious at the end of the day. ${reps}`, d,
      pick([['infections_local', 'local infections'], ['infections_imported', 'imported infections'], ['onsets', 'onsets'],
        ['detected', 'returnees detected'], ['infectious', 'infectious']]), { yName: 'people' });
  const coverage = pick([['found_share_to_date', 'returnees home found, to date'],
    ['screened_within_24h_share_to_date', 'found screened within 24 h, to date'],
    ['team_complete_share_day', 'key persons tracked with a complete team, that day']]);
  if (has('post_staffed_share_day')) coverage.push({ name: 'post shift-minutes staffed, that day', band: b.post_staffed_share_day });
  let window7 = '';
  if (has('households_contacted_7d') && s.population.households) {
    coverage.push({ name: 'households contacted in the last 7 days', band: scaleBand(b.households_contacted_7d, 1 / s.population.households) });
    window7 = ' Households contacted count the last 7 days only: the line falls to 0 a week after the last household visit (a sweep that ended), not a fault.';
  }
  dayChart(main, 'coverage', 'Coverage over time.', `Shares at the end of each day.${window7} ${reps}`, d, coverage, { unit: 'share' });
  dayChart(main, 'backlog', 'Backlog and late tasks by day.', `Open tasks at the end of the day, tasks passing their deadline undone, and tasks created and done. ${reps}`, d,
    pick([['backlog', 'backlog'], ['tasks_late', 'late'], ['tasks_created', 'created'], ['tasks_done', 'done']]), { yName: 'tasks' });
  hoursCharts(main, s, ts, reps, rd);
  dayChart(main, 'found', 'Returnees found and screened by day.', 'Returnees registered each day by the channel that found them (bars, stacked), returnees coming home, and screenings done. Means over replicates.', d,
    [['found_self_report', 'found: self-report'], ['found_household_visit', 'found: household visit'], ['found_checkpoint', 'found: checkpoint']]
      .filter(([k]) => b[k]).map(([k, name]) => ({ name, data: b[k].mean, type: 'bar', stack: 'found' }))
      .concat([['arrived', 'came home'], ['screened', 'screened']].filter(([k]) => b[k]).map(([k, name]) => ({ name, data: b[k].mean }))),
    { yName: 'people' });
  const supplies = Object.keys(b).filter((k) => k.startsWith('stock_'));
  if (ts.stocks.length)
    dayChart(main, 'stocks', 'Stocks by village.', 'Each supply\'s stock at the end of the day in each village, mean over replicates.', d,
      ts.stocks.map((st) => ({ name: `${st.supply}: ${st.village}`, data: st.mean })), { yName: 'units' });
  else if (supplies.length)
    dayChart(main, 'stocks', 'Stocks over the region.', `Each supply's stock at the end of the day, summed over the region's ${ts.villages.length} villages (too many to draw one by one). ${reps}`, d,
      supplies.map((k) => ({ name: k.slice(6), band: b[k] })), { yName: 'units' });
}

function scaleBand(b, k) {
  const f = (xs) => xs.map((v) => (v === null ? null : v * k));
  return { mean: f(b.mean), p5: f(b.p5), p95: f(b.p95) };
}

function roleStat(s, role, metric) {
  return s.roles.find((r) => r.role === role && r.metric === metric);
}

function roleNames(s) {
  return [...new Set(s.roles.map((r) => r.role))];
}

// Staff needed per day: for each role, the hours of tasks released that day that it could do
// (demanded), its staff's shift hours (available) and the hours they worked (roles_by_day.csv).
function staffNeeded(main, roles, rd) {
  const reps = `Summed over the region's towns; lines: means over ${rd.replicates} replicates; shaded: 5th to 95th percentiles.`;
  roles.forEach((r, i) => {
    const items = [['minutes_could_do_', 'demanded (tasks it could do)'], ['minutes_available_', 'available'], ['minutes_worked_', 'worked']]
      .filter(([p]) => rd.bands[p + r]).map(([p, name]) => ({ name, band: rd.bands[p + r] }));
    if (items.length)
      dayChart(main, `hours-need-${i}`, `Hours demanded, available and worked by day: ${r}.`, `Demanded: hours of the tasks released that day `
        + `that ${r} may do (every role a task lists counts it, so roles' demands overlap); available: shift hours of its staff on duty; `
        + `worked: hours of work they started that day, overtime included. ${reps}`, rd.dates, items, { k: 1 / 60, yName: 'hours' });
  });
}

function hoursCharts(main, s, ts, reps, rd) {
  const roles = roleNames(s);
  const perDay = (metric, role) => { const x = roleStat(s, role, metric); return x ? x.mean / s.horizon_days : null; };
  const items = roles.filter((r) => ts.bands[`minutes_worked_${r}`]).map((r) => ({ name: r, band: ts.bands[`minutes_worked_${r}`] }));
  dayChart(main, 'hours-day', 'Hours worked by role by day.', `Staff hours of each role spent on the villages' tasks that day. ${reps}`
    + (rd ? ' The charts after it set each role\'s hours worked against its hours available and demanded.' : ''), ts.dates, items,
  { k: 1 / 60, yName: 'hours' });
  if (rd) staffNeeded(main, roles, rd);
  const bar = (metric) => roles.map((r) => { const x = roleStat(s, r, metric); return x ? x.mean : null; });
  figure(main, 'hours-role', 'Hours by role: available, demanded, worked.', `Over the whole run (${s.horizon_days} days), means over replicates; per day: divide by ${s.horizon_days} (${roles.map((r) => `${r} ${fmt(perDay('hours_available', r))} available a day`).join(', ')}).`, {
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    grid: { left: 70, right: 20, top: 40, bottom: 60 },
    xAxis: { type: 'category', data: roles, axisLabel: { interval: 0, rotate: roles.length > 4 ? 20 : 0 } },
    yAxis: { type: 'value', name: 'hours' },
    series: [['hours_available', 'available'], ['hours_demanded', 'demanded'], ['hours_worked', 'worked']]
      .map(([m, name]) => ({ name, type: 'bar', data: bar(m) })),
  }, ['available', 'demanded', 'worked']);
}

function tables(main, s, villageRecordsOmitted) {
  main.append(el('h2', {}, 'Region'));
  const rows = s.metrics.filter((m) => m.scope === 'region' && m.n > 0)
    .map((m) => [m.metric, m.unit, fmt(m.mean, m.unit), fmt(m.p5, m.unit), fmt(m.p95, m.unit), m.n]);
  main.append(table(['metric', 'unit', 'mean', 'p5', 'p95', 'n'], rows));
  main.append(el('h2', {}, 'Roles'));
  // The terminal's role table, and hours_demanded, with what each column counts.
  const cols = ['hours_available', 'hours_worked', 'utilisation', 'hours_could_do', 'hours_unmet', 'hours_demanded',
    'days_out_of_hours', 'first_day_out_of_hours', 'ran_out_share', 'busiest_person_hours', 'team_days_missing'];
  main.append(table(['role', ...cols], roleNames(s).map((r) => [r, ...cols.map((c) => {
    const x = roleStat(s, r, c);
    // A role nobody has cannot run out of hours: said, as the terminal's table does.
    if (c === 'first_day_out_of_hours' && roleStat(s, r, 'hours_available')?.p95 === 0) return 'no staff';
    return x ? fmt(x.mean, x.unit) : '-';
  })])));
  main.append(el('p', { class: 'note' }, 'Means over replicates (docs/metrics.md, "Roles"). hours_worked: hours of '
    + 'tasks done, overtime included; utilisation: worked over available. hours_could_do: hours of the tasks created '
    + 'that the role may do (a task several roles may do counts for each); hours_unmet: of those, the hours of tasks '
    + 'that passed their deadline undone. hours_demanded: each task counted for the first role it lists only (a team '
    + 'task for each of its roles), so a role can work more hours than are demanded of it, taking tasks listed first '
    + 'for another role. days_out_of_hours: days on which the role\'s staff worked at least 95% of their hours with '
    + 'work they could do still open (in a region of several towns, the most of any town; the villages\' own, with '
    + 'work overdue, in the Villages table); first_day_out_of_hours the first (0 = start date). busiest_person_hours: hours '
    + 'worked by its busiest member; team_days_missing: tracking-days with its place in a team empty or its duty undone.'));
  // The work itself: each task kind's tasks created, done and late and hours worked; each guideline's.
  const kinds = [...new Set((s.tasks || []).map((t) => t.task))];
  if (kinds.length) {
    main.append(el('h2', {}, 'Tasks by kind'));
    const tcols = ['tasks_created', 'tasks_done', 'tasks_late', 'hours_worked'];
    const of = (k, c) => s.tasks.find((t) => t.task === k && t.metric === c);
    main.append(table(['task', 'guideline', ...tcols], kinds.map((k) => [k, String(of(k, tcols[0]).guideline),
      ...tcols.map((c) => {
        const x = of(k, c);
        return x ? fmt(x.mean, x.unit) : '-';
      })])));
  }
  const guidelines = [...new Set((s.guidelines || []).map((g) => g.guideline))];
  if (guidelines.length) {
    main.append(el('h2', {}, 'Tasks by guideline'));
    const gcols = ['tasks_created', 'tasks_late'];
    const of = (g, c) => s.guidelines.find((x) => x.guideline === g && x.metric === c);
    main.append(table(['guideline', ...gcols], guidelines.map((g) => [String(g), ...gcols.map((c) => {
      const x = of(g, c);
      return x ? fmt(x.mean, x.unit) : '-';
    })])));
  }
  const villages = s.villages || [];
  if (villageRecordsOmitted) {
    main.append(el('h2', {}, 'Villages'), el('p', { class: 'note' }, `${villages.length} villages: their figures are in summary.json's metrics (scope village), left out of this page.`));
  } else if (villages.length > 1) {
    main.append(el('h2', {}, 'Villages'));
    // Where the region ran short: its villages' own staff out of hours, and supplies out of stock.
    const supplies = s.metrics.some((m) => m.scope === 'region' && m.metric === 'stockout_village_days' && m.n > 0);
    const vcols = ['returnees_arrived', 'found_share', 'screened_within_24h_of_arrival_share', 'team_complete_share', 'tasks_late',
      'out_of_hours_village_days', 'first_out_of_hours_day',
      ...(supplies ? ['stockout_village_days', 'first_stockout_day', 'requests_refused_for_funds', 'first_funds_short_day'] : [])];
    const of = (v, c) => s.metrics.find((m) => m.scope === 'village' && m.village === v.village && m.metric === c);
    main.append(table(['village', 'town', ...vcols, ...(supplies ? ['supplies_out'] : [])], villages.map((v) => [v.village, v.town, ...vcols.map((c) => {
      const x = of(v, c);
      if (x && c.startsWith('first_')) {  // over the replicates in which it happened
        if (x.n === 0) return 'never';
        return fmt(x.mean, x.unit) + (x.n < s.replicates ? ` (${x.n} of ${s.replicates})` : '');
      }
      return x ? fmt(x.mean, x.unit) : '-';
    }), ...(supplies ? [suppliesOut(s, v.village, v.town)] : [])])));
    main.append(el('p', { class: 'note' }, 'Means over replicates (docs/metrics.md). out_of_hours_village_days: days on which '
      + 'a role of the village\'s own staff (not the town pool) worked at least 95% of its hours with the village\'s work '
      + 'overdue at 24:00; first_*: the first such day (0 = start date), over the replicates in which it happened '
      + '("(K of N)": in K of the N replicates only)' + (supplies ? '; supplies_out: each supply the village ran out of, '
      + 'its days out (mean over replicates) and the first day (over those in which it ran out).' : '.')));
  }
}

// A village's supplies out of stock, from summary.json's supplies_out, as the run summary says them
// ("masks 3.0 from day 1.0"; "(K of N)" where it ran out in some replicates only); "none" if none.
export function suppliesOut(s, village, town) {
  const out = (s.supplies_out || []).filter((x) => x.village === village && x.town === town);
  if (!out.length) return 'none';
  return out.map((x) => `${x.supply} ${fixed(x.stockout_days.mean, 1)} from day ${fixed(x.first_day.mean, 1)}`
    + (x.first_day.n < s.replicates ? ` (${x.first_day.n} of ${s.replicates})` : '')).join(', ');
}

export function runReport(main, data) {
  const s = data.summary;
  main.append(el('h1', {}, s.title || s.scenario), el('p', { class: 'folder' }, `villagegrid run, folder ${data.folder}`));
  main.append(paragraph(s));
  main.append(el('h2', {}, 'Headline answers'), headlines(s));
  main.append(el('h2', {}, 'Charts'));
  if (data.timeseries) charts(main, s, data.timeseries, data.roles_by_day);
  else main.append(el('p', { class: 'note' }, 'No timeseries.csv in this folder: no daily charts.'));
  tables(main, s, data.village_records_omitted);
}
