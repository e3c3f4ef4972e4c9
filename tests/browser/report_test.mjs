// Browser test of `villagegrid report` (docs/reports.md), in Debian's chromium driven by
// playwright-core from web/package-lock.json: the report of the default run draws its charts with
// the right number of series, its headline figure is summary.json's, every chart exports a PNG,
// and the page asks for nothing over the network (every request is blocked and recorded). Then the
// reports of a compare and two plan folders (with an answer and without) draw without errors,
// the plans' headlines and points as their plan.json and plan.csv say.
// Usage: node report_test.mjs VILLAGEGRID WEB_DIR SCENARIO_DIR WORK_DIR   (ctest runs it)
// Fails, never skips, when chromium or the npm packages are missing.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [cli, webDir, scenarios, work] = process.argv.slice(2);
const CHROMIUM = process.env.VILLAGEGRID_CHROMIUM || '/usr/bin/chromium';
// One line of a CSV file (RFC 4180 quoting, as core/csv.h writes it: "" is a quote in quotes).
function csvFields(line) {
  const out = [''];
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted) {
      if (c !== '"') out[out.length - 1] += c;
      else if (line[i + 1] === '"') { out[out.length - 1] += '"'; i += 1; } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') out.push('');
    else out[out.length - 1] += c;
  }
  return out;
}

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
}
function die(msg) {
  console.error(`report_test: ${msg}`);
  process.exit(1);
}

if (!cli || !webDir || !scenarios || !work) die('usage: node report_test.mjs VILLAGEGRID WEB_DIR SCENARIO_DIR WORK_DIR');
if (!existsSync(CHROMIUM))
  die(`no chromium at ${CHROMIUM}: the browser tests need Debian's chromium (tools/test.sh installs it: apt-get install chromium)`);
let chromium;
try {
  ({ chromium } = createRequire(path.join(webDir, 'package.json'))('playwright-core'));
} catch (e) {
  die(`playwright-core is not installed in ${webDir}/node_modules: run \`npm ci\` there (tools/setup.sh does) (${e.message})`);
}

// The report's own number format, to read its tables against summary.json.
const { fmt } = await import(pathToFileURL(path.join(webDir, 'src', 'format.js')).href);

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const vg = (...args) => execFileSync(cli, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// The default run, as tools/run-default.sh makes it.
const run = path.join(work, 'run');
vg('run', path.join(scenarios, 'pushan-2020.yaml'), '--quiet', '--out', run);
vg('report', run, '-o', path.join(work, 'run.html'));
const summary = JSON.parse(readFileSync(path.join(run, 'summary.json'), 'utf8'));
const header = readFileSync(path.join(run, 'timeseries.csv'), 'utf8').split('\n', 1)[0].split(',');

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
const context = await browser.newContext({ acceptDownloads: false });

// Opens a report with every request but the page itself blocked and recorded.
async function open(file) {
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const attempted = [], errors = [];
  await page.route('**/*', (route) => {
    if (route.request().url() === url) return route.continue();
    attempted.push(route.request().url());
    return route.abort();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.waitForFunction(() => window.vgReport && window.vgReport.ready, null, { timeout: 30000 });
  return { page, attempted, errors };
}

// ---- the run ----
{
  const { page, attempted, errors } = await open(path.join(work, 'run.html'));
  const charts = await page.evaluate(() => window.vgReport.charts.map((c) => ({
    id: c.id, series: c.series, echartsSeries: c.chart.getOption().series.length,
    png: c.chart.getDataURL({ type: 'png', backgroundColor: '#fff' }),
  })));
  const byId = Object.fromEntries(charts.map((c) => [c.id, c]));
  const roles = [...new Set(summary.roles.map((r) => r.role))];
  const stockColumns = header.filter((h) => h.startsWith('stock_')).length;
  const expected = {
    coverage: null, backlog: 4, 'hours-day': roles.length, 'hours-role': 3, found: 5,
  };
  // Staff needed per day: a chart per role, demanded vs available vs worked (roles_by_day.csv).
  roles.forEach((r, i) => { expected[`hours-need-${i}`] = 3; });
  if (summary.r0) expected.epidemic = 5;
  if (stockColumns) expected.stocks = stockColumns * summary.villages.length;
  for (const [id, n] of Object.entries(expected)) {
    const c = byId[id];
    check(c !== undefined, `run report: chart ${id} is drawn`);
    if (!c) continue;
    if (n !== null) check(c.series.length === n, `run report: chart ${id} has ${n} series (has ${c.series.length}: ${c.series.join(', ')})`);
    check(c.png.startsWith('data:image/png;base64,') && c.png.length > 2000, `run report: chart ${id} exports a PNG`);
  }
  check(byId.coverage && byId.coverage.series.length >= 3, 'run report: coverage chart has its shares');
  // A band and its mean are three ECharts series: one per band in hours-day.
  check(byId['hours-day'] && byId['hours-day'].echartsSeries === 3 * roles.length, 'run report: each role has a band and a mean');
  roles.forEach((r, i) => {
    const c = byId[`hours-need-${i}`];
    check(c && c.echartsSeries === 9 && c.series.join('|') === 'demanded (tasks it could do)|available|worked',
      `run report: ${r}'s hours by day are three bands (demanded, available, worked)`);
  });
  const region = Object.fromEntries(summary.metrics.filter((m) => m.scope === 'region').map((m) => [m.metric, m.mean]));
  const head = await page.$eval('[data-metric="screened_within_24h_of_arrival_share"]',
    (e) => ({ value: e.getAttribute('data-value'), text: e.querySelector('dd').firstChild.textContent }));
  check(Number(head.value) === region.screened_within_24h_of_arrival_share,
    `run report: headline figure ${head.value} is summary.json's ${region.screened_within_24h_of_arrival_share}`);
  check(head.text === `${(100 * region.screened_within_24h_of_arrival_share).toFixed(1)}%`, `run report: headline reads ${head.text}`);
  // Tasks by kind and by guideline: a row per kind (guideline) of summary.json, its figures summary.json's.
  const cells = (first) => page.evaluate((first) => {
    const t = [...document.querySelectorAll('table')].find((x) => x.querySelector('th')?.textContent === first);
    return t ? [...t.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((d) => d.textContent)) : null;
  }, first);
  const kinds = await cells('task');
  const kindNames = [...new Set(summary.tasks.map((t) => t.task))];
  check(kinds !== null && kinds.length === kindNames.length, `run report: a table of the ${kindNames.length} task kinds (${kinds && kinds.length})`);
  if (kinds) {
    const bad = [];
    for (const t of summary.tasks) {
      const row = kinds.find((r) => r[0] === t.task);
      const col = ['tasks_created', 'tasks_done', 'tasks_late', 'hours_worked'].indexOf(t.metric) + 2;
      if (!row || Math.abs(Number(row[col].replace(/,/g, '')) - t.mean) > Math.max(0.051, 0.0051 * Math.abs(t.mean)))
        bad.push(`${t.task} ${t.metric}: ${row && row[col]} against ${t.mean}`);
    }
    check(bad.length === 0, `run report: the task table's figures are summary.json's (${bad.slice(0, 3).join('; ')})`);
  }
  const byGuideline = await cells('guideline');
  check(byGuideline !== null && byGuideline.length === new Set(summary.guidelines.map((g) => g.guideline)).size,
    'run report: a table of the guidelines');
  const roleHead = await page.evaluate(() => [...document.querySelectorAll('table')]
    .find((x) => x.querySelector('th')?.textContent === 'role')?.querySelectorAll('th').length);
  check(roleHead === 12, `run report: the role table has the terminal's columns and hours_demanded (${roleHead} headers)`);
  const first = await page.$eval('[data-metric="first_roles_out_of_hours"]', (e) => e.getAttribute('data-value'));
  check(first === summary.first_roles_out_of_hours.map((f) => f.role).join(','), `run report: first role out of hours is summary.json's (${first})`);
  check(attempted.length === 0, `run report: no network request attempted (${attempted.join(' ')})`);
  check(errors.length === 0, `run report: no script errors (${errors.join(' | ')})`);
}

// ---- a run of several villages: which of them ran short ----
{
  const many = path.join(work, 'villages');
  // The six villages with 30 masks each and every channel 20 days away: each runs out on day 0.
  const tree = path.join(work, 'short-of-masks');
  cpSync(scenarios, path.join(tree, 'scenarios'), { recursive: true });
  cpSync(path.join(scenarios, '..', 'rules'), path.join(tree, 'rules'), { recursive: true });
  const shipped = readFileSync(path.join(scenarios, 'maoming-villages.yaml'), 'utf8');
  const short = shipped.replace('stocks: {masks: 400,', 'stocks: {masks: 30,').replace(/lead_days: \d+,/g, 'lead_days: 20,');
  check(short !== shipped, 'villages report: the scenario\'s masks and lead days are where the test changes them');
  writeFileSync(path.join(tree, 'scenarios', 'short-of-masks.yaml'), short);
  vg('run', path.join(tree, 'scenarios', 'short-of-masks.yaml'), '--replicates', '2', '--quiet', '--out', many);
  vg('report', many, '-o', path.join(work, 'villages.html'));
  const ms = JSON.parse(readFileSync(path.join(many, 'summary.json'), 'utf8'));
  const { page, errors } = await open(path.join(work, 'villages.html'));
  const rows = await page.evaluate(() => {
    const t = [...document.querySelectorAll('table')].find((x) => x.querySelector('th')?.textContent === 'village');
    if (!t) return null;
    const head = [...t.querySelectorAll('th')].map((h) => h.textContent);
    return [...t.querySelectorAll('tbody tr')].map((r) => Object.fromEntries([...r.querySelectorAll('td')].map((c, i) => [head[i], c.textContent])));
  });
  check(rows !== null && rows.length === ms.villages.length, 'villages report: a row per village');
  let ranOut = 0;
  for (const row of rows || []) {
    const days = ms.metrics.find((m) => m.scope === 'village' && m.village === row.village && m.metric === 'out_of_hours_village_days');
    const first = ms.metrics.find((m) => m.scope === 'village' && m.village === row.village && m.metric === 'first_out_of_hours_day');
    check(row.out_of_hours_village_days === fmt(days.mean, days.unit), `villages report: ${row.village}'s days out of hours are summary.json's (${row.out_of_hours_village_days})`);
    const firstText = first.n === 0 ? 'never' : fmt(first.mean, first.unit) + (first.n < ms.replicates ? ` (${first.n} of ${ms.replicates})` : '');
    check(row.first_out_of_hours_day === firstText, `villages report: ${row.village}'s first day out of hours (${row.first_out_of_hours_day}, expected ${firstText})`);
    check(row.first_stockout_day !== undefined, `villages report: ${row.village} has a first stock-out day column (the scenario has supplies)`);
    // Which supply ran out, as summary.json's supplies_out says (the run summary's words).
    const outs = ms.supplies_out.filter((x) => x.village === row.village && x.town === row.town);
    const outText = outs.length === 0 ? 'none' : outs.map((x) => `${x.supply} ${x.stockout_days.mean.toFixed(1)} from day ${x.first_day.mean.toFixed(1)}`
      + (x.first_day.n < ms.replicates ? ` (${x.first_day.n} of ${ms.replicates})` : '')).join(', ');
    check(row.supplies_out === outText, `villages report: ${row.village}'s supplies out (${row.supplies_out}, expected ${outText})`);
    if (outs.length) ranOut += 1;
  }
  check(ranOut > 0, `villages report: some village ran out of a supply (${ranOut}), so the column is tested`);
  // The scenario has no grid of its own; Nanba's policy has one: the paragraph names it.
  const para = await page.$eval('p.scenario', (e) => e.textContent);
  const nanba = ms.grid.villages.find((v) => v.village === 'Nanba');
  check(ms.grid.name === null && nanba !== undefined && para.includes(`Grids: ${nanba.grid} (a span of ${nanba.households_per_member}) in Nanba`),
    `villages report: Nanba's own grid is said (${para})`);
  check(errors.length === 0, `villages report: no script errors (${errors.join(' | ')})`);
}

// ---- a compare and a plan ----
// The page's table cells, by the text of the first header cell of their table (and one it has).
const tableRows = (page, first, has = first) => page.evaluate(([first, has]) => {
  const t = [...document.querySelectorAll('table')].find((x) => x.querySelector('th')?.textContent === first
    && [...x.querySelectorAll('th')].some((h) => h.textContent === has));
  if (!t) return null;
  return { head: [...t.querySelectorAll('th')].map((h) => h.textContent),
    rows: [...t.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((d) => d.textContent)) };
}, [first, has]);
{
  const cmp = path.join(work, 'compare');
  const terminal = vg('compare', path.join(scenarios, 'pushan-2020.yaml'), path.join(scenarios, 'pushan-2020-guidelines.yaml'),
    '--replicates', '10', '--village', 'Pushan', '--out', cmp);
  vg('report', cmp, '-o', path.join(work, 'compare.html'));
  const json = JSON.parse(readFileSync(path.join(cmp, 'compare.json'), 'utf8'));
  const { page, attempted, errors } = await open(path.join(work, 'compare.html'));
  const charts = await page.evaluate(() => window.vgReport.charts.map((c) => ({ id: c.id, series: c.series.length })));
  check(charts.some((c) => c.id === 'compare-shares' && c.series === 1), 'compare report: paired differences of shares, one configuration');
  // What sets the second configuration apart, as compare.json says, and how replicates pair.
  const intro = await page.$eval('p.scenario', (e) => e.textContent);
  check(intro.includes(`differs from 1 in: ${json.configurations[1].differs_from_first.join('; ')}`)
    && json.configurations[1].differs_from_first.length === 2, `compare report: says what sets 2 apart (${intro})`);
  check(intro.includes('has the same returnees arriving at the same minutes') === json.same_returnees,
    `compare report: pairing as compare.json's same_returnees (${json.same_returnees})`);
  check((await page.$$('p.warning')).length === json.warnings.length, 'compare report: one warning paragraph per warning');
  // The tables: every metric of compare.json, the region's and each role's, with its values. A
  // share as the terminal prints it ("28.1% [27.9%, 28.3%]", a difference "-9.6 pp [-10.0, -9.3]",
  // src/io/compare_output.cpp), the same text in its output; any other within the rounding of the
  // figures shown.
  // A difference that rounds to zero is "+0.0", never "-0.0" (the terminal's num()).
  const pct = (x) => (100 * x).toFixed(1), signed = (x) => (pct(x).startsWith('-') && Number(pct(x)) !== 0 ? '' : '+') + pct(x).replace(/^-(?=0\.0$)/, '');
  // A difference resting on one replicate (one outbreak's cases) says so, as the terminal does.
  const shareText = (v, diff) => (v.mean === null ? '-' : diff ? `${signed(v.mean)} pp [${signed(v.ci95_low)}, ${signed(v.ci95_high)}]`
    + (v.one_replicate ? ' (one replicate)' : '')
    : `${pct(v.mean)}% [${pct(v.ci95_low)}%, ${pct(v.ci95_high)}%]`);
  const near = (text, v) => {
    if (v.mean === null) return text === '-';
    // A difference over fewer replicates than the means says how many it paired: "(8 paired)".
    const paired = text.match(/ \((\d+) paired\)$/), over = text.match(/ \(n=(\d+)\)$/);
    if ((paired && Number(paired[1]) !== v.n) || (over && Number(over[1]) !== v.n)) return false;
    if (v.n === 1) return text.includes('[one replicate: no interval]');
    const got = text.replace(/ \((\d+ paired|n=\d+)\)$/, '').match(/[+-]?[\d,]*\.?\d+/g);
    if (!got || got.length !== 3) return false;
    return got.every((g, i) => {
      const want = [v.mean, v.ci95_low, v.ci95_high][i], digits = (g.split('.')[1] || '').length;
      return Math.abs(Number(g.replace(/,/g, '')) - want) <= 0.5 * 10 ** -digits + 1e-9 * Math.abs(want);
    });
  };
  const checkRows = (what, rows, expected) => {
    check(rows.length === expected.length, `compare report: ${what} table has compare.json's ${expected.length} rows (${rows.length})`);
    let bad = [];
    for (const [key, m] of expected) {
      const row = rows.find((r) => r.slice(0, key.length).join('|') === key.join('|'));
      if (!row) { bad.push(`${key.join(' ')}: missing`); continue; }
      const cells = row.slice(key.length + 1), n = m.configurations.length;
      const want = [...m.configurations.map((x) => x.value), ...m.configurations.slice(1).map((x) => x.diff_vs_first)];
      want.forEach((v, i) => {
        const diff = i >= n, text = cells[i];
        const ok = m.unit === 'share' ? text === shareText(v, diff) && (v.mean === null || terminal.includes(text))
          : m.unit === 'day' && !diff && v.mean === null ? text === 'never' : near(text, v);
        if (!ok) bad.push(`${key.join(' ')} ${diff ? 'difference' : 'value'} ${i % n + 1}: ${text} (compare.json ${JSON.stringify(v)})`);
      });
    }
    check(bad.length === 0, `compare report: ${what} table's figures are compare.json's, shares as the terminal prints them (${bad.slice(0, 5).join('; ')})`);
  };
  const region = await tableRows(page, 'metric');
  check(region !== null, 'compare report: a table of the region\'s metrics');
  if (region) checkRows('region', region.rows, Object.entries(json.metrics).map(([k, m]) => [[k], m]));
  const roles = Object.entries(json.roles);
  const byRole = await tableRows(page, 'role');
  check(roles.length > 0 && byRole !== null, `compare report: a table of the ${roles.length} roles' metrics`);
  if (byRole) {
    check(new Set(byRole.rows.map((r) => r[0])).size === roles.length, `compare report: every role of compare.json in the table`);
    checkRows('roles', byRole.rows, roles.flatMap(([role, ms]) => Object.entries(ms).map(([k, m]) => [[role, k], m])));
  }
  for (const [key, head] of [['villages', 'village'], ['tasks', 'task'], ['guidelines', 'guideline']]) {
    const scopes = Object.entries(json[key]);
    const rows = await tableRows(page, head);
    check(scopes.length > 0 && rows !== null, `compare report: a table of the ${scopes.length} ${key} of compare.json`);
    if (rows) {
      check(new Set(rows.rows.map((r) => r[0])).size === scopes.length, `compare report: every one of compare.json's ${key} in the table`);
      checkRows(key, rows.rows, scopes.flatMap(([scope, ms]) => Object.entries(ms).map(([k, m]) => [[scope, k], m])));
    }
  }
  // The headline says what the table and the terminal say.
  const key = 'screened_within_24h_of_arrival_share';
  const head = await page.$eval(`[data-metric="${key}:2"]`, (e) => e.querySelector('dd').firstChild.textContent);
  const d = json.metrics[key].configurations[1].diff_vs_first;
  check(head === `${signed(d.mean)} pp` && terminal.includes(`${head} [`), `compare report: the headline's difference ${head} is the table's and the terminal's`);
  check(attempted.length === 0 && errors.length === 0, `compare report: no network, no errors (${[...attempted, ...errors].join(' | ')})`);
}
// Plans, with an answer and without one: the headline is plan.json's, the chart has a point for
// every roster of plan.csv.
// With --per, the answer says what a value counts and the people it ran (plan.json's `people`).
for (const [name, target, answered, vary, extra] of [
  ['plan', 'screened_within_24h_of_arrival_share >= 0.27', 1, 'village_cadre=5..8', []],
  ['plan-none', 'screened_within_24h_of_arrival_share >= 0.9', 0, 'village_cadre=5..8', []],
  ['plan-per', 'screened_within_24h_of_arrival_share >= 0.27', 1, 'village_cadre=1..3', ['--per', '1000']]]) {
  const plan = path.join(work, name);
  vg('plan', path.join(scenarios, 'pushan-2020.yaml'), '--target', target,
    '--vary', vary, ...extra, '--replicates', '5', '--out', plan);
  vg('report', plan, '-o', path.join(work, `${name}.html`));
  const json = JSON.parse(readFileSync(path.join(plan, 'plan.json'), 'utf8'));
  const csvRows = readFileSync(path.join(plan, 'plan.csv'), 'utf8').trim().split('\n').length - 1;
  const { page, attempted, errors } = await open(path.join(work, `${name}.html`));
  const charts = await page.evaluate(() => window.vgReport.charts.map((c) => c.id));
  check(charts.includes('plan-share') && charts.includes('plan-metric-1'), `${name} report: cost against share and target metric (${charts.join(', ')})`);
  const points = await page.evaluate(() => {
    const c = window.vgReport.charts.find((x) => x.id === 'plan-share');
    return c.chart.getOption().series.slice(0, 2).reduce((n, s) => n + s.data.length, 0);
  });
  check(points === csvRows && csvRows > 0, `${name} report: a point for each of plan.csv's ${csvRows} rosters (${points})`);
  const head = await page.$eval('[data-metric="answered"]', (e) => ({ value: e.getAttribute('data-value'), range: e.querySelector('.range')?.textContent || '' }));
  check(Number(head.value) === answered && json.parts.filter((q) => q.best).length === answered,
    `${name} report: parts answered ${head.value}, as plan.json says (${answered})`);
  const best = json.parts[0].best;
  check(best ? head.range.includes(`village_cadre ${best.roster.village_cadre}`) : head.range === json.parts[0].response.advice,
    `${name} report: the answer, or that there is none: ${head.range}`);
  if (extra.includes('--per'))
    check(head.range.startsWith(`village_cadre ${best.roster.village_cadre} per 1000 residents (${best.people.village_cadre} people)`),
      `${name} report: a rate's answer says what it counts and the people it ran: ${head.range}`);
  const share = await page.$eval('[data-metric="check"]', (e) => e.getAttribute('data-value'));
  check(Number(share) === json.check.share_all_targets, `${name} report: the combined roster's share ${share} is plan.json's`);
  // The parts table: each part's own binding target (plan.json's check), and for a part without an
  // answer the figures of its half and top rosters.
  const cells = await page.evaluate(() => {
    const t = [...document.querySelectorAll('table')].find((x) => x.querySelector('th')?.textContent === 'part');
    const head = [...t.querySelectorAll('th')].map((h) => h.textContent);
    const row = [...t.querySelectorAll('tbody tr')][0];
    return Object.fromEntries([...row.querySelectorAll('td')].map((td, i) => [head[i], td.textContent]));
  });
  const q = json.parts[0];
  check(q.check.binding_target ? cells['binding target'].startsWith(q.check.binding_target) : cells['binding target'] === '-',
    `${name} report: the part's binding target is plan.json's (${cells['binding target']})`);
  const half = q.response?.half?.roster?.village_cadre;
  check(answered ? !cells.notes.includes(' -> ') : cells.notes.includes(`from village_cadre ${half} to village_cadre 8`),
    `${name} report: a part without an answer shows its half and top rosters' figures (${cells.notes})`);
  check(attempted.length === 0 && errors.length === 0, `${name} report: no network, no errors (${[...attempted, ...errors].join(' | ')})`);
}

// A plan of six parts whose per-village target each part meets, but not the region's sum: the
// headline is every part's verdict (plan.json's share_all_parts) and the binding target a part's.
{
  const plan = path.join(work, 'plan-parts');
  vg('plan', path.join(scenarios, 'maoming-villages.yaml'), '--target', 'out_of_hours_village_days <= 3',
    '--vary', 'village_cadre=2..12', '--replicates', '6', '--share', '0.5', '--out', plan);
  vg('report', plan, '-o', path.join(work, 'plan-parts.html'));
  const json = JSON.parse(readFileSync(path.join(plan, 'plan.json'), 'utf8'));
  const { page, errors } = await open(path.join(work, 'plan-parts.html'));
  const share = await page.$eval('[data-metric="check"]', (e) => ({ value: e.getAttribute('data-value'), label: e.querySelector('dt').textContent }));
  check(json.parts.length === 6 && json.check.share_all_parts > json.check.share_all_targets,
    `plan-parts: the parts meet it more often than the region's sum (${json.check.share_all_parts} against ${json.check.share_all_targets})`);
  check(Number(share.value) === json.check.share_all_parts && share.label.includes('every part'),
    `plan-parts report: the headline is every part's verdict (${share.value}, ${share.label})`);
  const binding = await page.$eval('[data-metric="binding_target"]', (e) => e.querySelector('dd').firstChild.textContent);
  check(json.check.parts_binding_target === null || binding.endsWith(`in ${json.check.parts_binding_part}`),
    `plan-parts report: the binding target is a part's (${binding})`);
  check(errors.length === 0, `plan-parts report: no script errors (${errors.join(' | ')})`);
}

// A plan whose targets read a metric after a number, and two metrics compared with each other:
// a chart and a column of the rosters tried for each metric every target reads, with plan.csv's means.
{
  const plan = path.join(work, 'plan-names');
  const targets = ['0.2 <= screened_within_24h_of_arrival_share', 'key_fully_tracked == key_identified'];
  const metrics = ['screened_within_24h_of_arrival_share', 'key_fully_tracked', 'key_identified'];
  vg('plan', path.join(scenarios, 'pushan-2020.yaml'), ...targets.flatMap((t) => ['--target', t]),
    '--vary', 'village_cadre=5..6', '--replicates', '3', '--out', plan);
  vg('report', plan, '-o', path.join(work, 'plan-names.html'));
  const [csvHeader, ...csvLines] = readFileSync(path.join(plan, 'plan.csv'), 'utf8').trim().split('\n').map(csvFields);
  const csv = csvLines.map((l) => Object.fromEntries(csvHeader.map((h, i) => [h, l[i]])));
  check(metrics.every((m) => csvHeader.includes(`mean_${m}`)), `plan-names: plan.csv has the mean of ${metrics.join(', ')}`);
  check(targets.every((t) => csvHeader.includes(`share_${t}`)) && csvLines.every((l) => l.length === csvHeader.length),
    `plan-names: plan.csv names each target's share column after the target (${csvHeader.filter((h) => h.startsWith('share_')).join(' | ')})`);
  const { page, attempted, errors } = await open(path.join(work, 'plan-names.html'));
  const charts = await page.evaluate(() => window.vgReport.charts.filter((c) => c.id.startsWith('plan-metric-')).map((c) => {
    const o = c.chart.getOption();
    return { metric: o.yAxis[0].name, points: o.series.slice(0, 2).flatMap((s) => s.data) };
  }));
  check(charts.map((c) => c.metric).join(',') === metrics.join(','),
    `plan-names report: a chart for each metric the targets read (${charts.map((c) => c.metric).join(', ')})`);
  for (const c of charts) {
    const want = csv.map((r) => [Number(r.cost), Number(r[`mean_${c.metric}`])]).filter(([, y]) => Number.isFinite(y));
    const key = (ps) => ps.map(([x, y]) => `${x}:${y}`).sort().join(' ');
    check(want.length > 0 && key(c.points) === key(want), `plan-names report: ${c.metric}'s chart has plan.csv's (cost, mean) points`);
  }
  const tried = await tableRows(page, csvHeader[0], 'share_all_targets');
  check(tried !== null && metrics.every((m) => tried.head.includes(`mean_${m}`)),
    `plan-names report: the rosters tried have a column for each target's metric (${tried?.head.join(', ')})`);
  check(attempted.length === 0 && errors.length === 0, `plan-names report: no network, no errors (${[...attempted, ...errors].join(' | ')})`);
}

await browser.close();
if (failures) die(`${failures} check(s) failed`);
console.log('report_test: all checks passed');
