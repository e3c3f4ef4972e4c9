// Browser test of the exercise control room (`villagegrid serve --exercise DIR`, docs/exercises.md,
// "The control room (web)"), in Debian's chromium driven by playwright-core from
// web/package-lock.json: the shipped drill is started, the control room shows the state per village
// (the console's state.json) and the first inject; two steps are played from the page (a decision
// through its form, then "Next inject"), and the page shows the decision, the new day and the new
// inject, as does the projector view; a misspelt command, given before the last reply is back, waits
// its turn and shows the console's "did you mean"; the review's plots are drawn after "Review". Nothing is fetched from anywhere but the server.
// Usage: node exercise_test.mjs VILLAGEGRID WEB_DIR SCENARIO_DIR WORK_DIR   (ctest runs it)
// Fails, never skips, when chromium or the npm packages are missing.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [cli, webDir, scenarios, work] = process.argv.slice(2);
const CHROMIUM = process.env.VILLAGEGRID_CHROMIUM || '/usr/bin/chromium';
let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
}
let server;
function die(msg) {
  console.error(`exercise_test: ${msg}`);
  if (server) server.kill();
  process.exit(1);
}

if (!cli || !webDir || !scenarios || !work) die('usage: node exercise_test.mjs VILLAGEGRID WEB_DIR SCENARIO_DIR WORK_DIR');
if (!existsSync(CHROMIUM))
  die(`no chromium at ${CHROMIUM}: the browser tests need Debian's chromium (tools/test.sh installs it: apt-get install chromium)`);
let chromium;
try {
  ({ chromium } = createRequire(path.join(webDir, 'package.json'))('playwright-core'));
} catch (e) {
  die(`playwright-core is not installed in ${webDir}/node_modules: run \`npm ci\` there (tools/setup.sh does) (${e.message})`);
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const ex = path.join(work, 'drill');
execFileSync(cli, ['exercise', 'start', path.join(scenarios, 'exercises', 'spring-festival-drill.yaml'), '--out', ex],
  { stdio: ['ignore', 'ignore', 'inherit'] });
const stateFile = () => JSON.parse(readFileSync(path.join(ex, 'state.json'), 'utf8'));

// A server for an exercise folder, on any free port (it prints the address): its address.
const servers = [];
function serve(dir) {
  const proc = spawn(cli, ['serve', '--exercise', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  servers.push(proc);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 30000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) { clearTimeout(timer); resolve(`http://127.0.0.1:${m[1]}`); }
    });
    proc.on('exit', (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  }).catch((e) => die(e.message));
}
server = { kill: () => servers.forEach((p) => p.kill()) };
const base = await serve(ex);

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
const context = await browser.newContext();

async function open(url, from = base) {
  const page = await context.newPage();
  const elsewhere = [], errors = [];
  await page.route('**/*', (route) => {
    if (route.request().url().startsWith(`${from}/`)) return route.continue();
    elsewhere.push(route.request().url());
    return route.abort();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  // The refused command's 400 is expected (chromium logs every failed response as an error).
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('status of 400 (Bad Request)')) errors.push(m.text());
  });
  await page.goto(url);
  await page.waitForFunction(() => window.vgExercise && window.vgExercise.ready && window.vgExercise.state, null, { timeout: 30000 });
  return { page, elsewhere, errors };
}
const text = (page, sel) => page.$eval(sel, (e) => e.textContent);
const waitDay = (page, day) => page.waitForFunction((d) => window.vgExercise.state && window.vgExercise.state.view.day === d,
  day, { timeout: 60000 });

try {
  const { page, elsewhere, errors } = await open(`${base}/exercise/`);
  // ---- the stop the exercise was started at: day 3, the surge ----
  const first = stateFile();
  check(first.day === 3, `started at day 3 (${first.day})`);
  check((await text(page, '.clock')).startsWith('DAY 3 '), `the page shows day 3 (${await text(page, '.clock')})`);
  const surge = await page.$('.inject.new[data-inject="surge-bus"]');
  check(surge !== null, 'the surge inject is shown as new');
  if (surge) check((await surge.textContent()).includes('three chartered buses'), 'the inject shows its synopsis');
  const home = await page.$eval('[data-village="Pushan"] .figures', (e) => e.textContent);
  check(home.includes(`home ${first.villages[0].returnees.home.toLocaleString('en-US')}`),
    `Pushan's returnees home are state.json's (${home})`);

  // ---- step 1: a decision through its form ----
  await page.selectOption('form[data-form="add"] select[name="role"]', 'village_cadre');
  await page.fill('form[data-form="add"] input[name="count"]', '4');
  await page.click('form[data-form="add"] button[type="submit"]');
  await page.waitForFunction(() => window.vgExercise.state.view.decisions.length === 1, null, { timeout: 60000 });
  check((await text(page, '#vg-decisions')).includes('day 3: add 4 village_cadre to Pushan'), 'the decision is listed');
  check(readFileSync(path.join(ex, 'exercise.log'), 'utf8').includes('do 3 add 4 village_cadre to Pushan'),
    'the decision is in the exercise log');

  // ---- the set form: a task's priority (moves staff between tasks), as the console's `set` ----
  await page.selectOption('form[data-form="set-task"] select[name="task"]', 'screening');
  await page.selectOption('form[data-form="set-task"] select[name="what"]', 'priority');
  await page.fill('form[data-form="set-task"] input[name="value"]', '85');
  await page.click('form[data-form="set-task"] button[type="submit"]');
  // ---- a misspelt command, given while the set command is still on its way: it waits its turn
  // (never dropped), and shows the console's error, nothing changed ----
  await page.fill('form[data-form="line"] input[name="line"]', 'add 2 vilage_cadre to Pushan');
  await page.click('form[data-form="line"] button[type="submit"]');
  await page.waitForFunction(() => window.vgExercise.last && window.vgExercise.last.status === 400, null, { timeout: 60000 });
  check(await page.evaluate(() => window.vgExercise.state.view.decisions.length) === 2, 'the set form\'s decision is listed');
  check(readFileSync(path.join(ex, 'exercise.log'), 'utf8').includes('do 3 set screening priority to 85 in Pushan'),
    'the set form\'s command is in the exercise log');
  const out = await text(page, '#vg-output');
  check(out.includes("did you mean 'village_cadre'?") && out.includes('command refused; nothing changed'),
    `a bad command shows the console's error (${out.replace(/\n/g, ' | ')})`);

  // ---- step 2: on to the next inject ----
  // (a note half typed before the step is still in its field after the page is drawn anew)
  await page.fill('form[data-form="note"] input[name="text"]', 'half typed');
  await page.click('button[data-step="next"]');
  await waitDay(page, 5);
  check((await text(page, '.clock')).startsWith('DAY 5 '), 'the page moved on to day 5');
  check(await page.inputValue('form[data-form="note"] input[name="text"]') === 'half typed',
    'a field being typed in keeps its text when the page is drawn anew');
  const ill = await page.$('.inject.new[data-inject="doctor-ill"]');
  check(ill !== null, 'the doctor-ill inject arrives as new');
  check(await page.$('.inject.new[data-inject="surge-bus"]') === null, 'the surge inject is no longer new');
  const second = stateFile();
  check(second.day === 5, 'state.json (the console\'s) moved to day 5 too');
  const backlog = await page.$eval('[data-village="Pushan"]', (e) => e.textContent);
  check(backlog.includes(`backlog ${second.villages[0].work.backlog.toLocaleString('en-US')}`), 'the backlog is state.json\'s');

  // ---- the projector view follows ----
  const proj = await open(`${base}/exercise/projector`);
  check(await proj.page.$('.inject.new[data-inject="doctor-ill"]') !== null, 'the projector shows the new inject');
  check(await proj.page.$('form') === null, 'the projector has no forms');
  check((await text(proj.page, '.clock')).startsWith('DAY 5 '), 'the projector shows day 5');

  // ---- the review and its plots ----
  await page.click('button[data-step="review"]');
  await page.waitForFunction(() => window.vgExercise.state.review !== null, null, { timeout: 120000 });
  await page.waitForSelector('#vg-review');
  const charts = await page.evaluate(() => window.vgReport.charts.map((c) => ({ id: c.id, series: c.series.length,
    png: c.chart.getDataURL({ type: 'png', backgroundColor: '#fff' }).length })));
  check(charts.length >= 5 && charts.every((c) => c.series === 1 && c.png > 1000),
    `the review plots each metric for players, nothing and expected (${charts.length} charts)`);
  check(await page.$('[data-verdict="screen-surge"]') !== null, 'the review shows the objectives\' verdicts');
  check((await text(page, '#vg-review .review-day')).startsWith('Taken on day 5, the current day'),
    'the review says the day it was taken');

  // ---- the report of the folder (villagegrid report): the same page, offline ----
  const html = path.join(work, 'drill.html');
  execFileSync(cli, ['report', ex, '-o', html], { stdio: ['ignore', 'ignore', 'inherit'] });
  const rep = await context.newPage();
  const fileUrl = pathToFileURL(html).href, offline = [];
  await rep.route('**/*', (route) => {
    if (route.request().url() === fileUrl) return route.continue();
    offline.push(route.request().url());
    return route.abort();
  });
  await rep.goto(fileUrl);
  await rep.waitForFunction(() => window.vgExercise && window.vgExercise.ready, null, { timeout: 30000 });
  check(await rep.$('.inject.new[data-inject="doctor-ill"]') !== null && await rep.$('form') === null,
    'the report shows the stop\'s inject, without forms');
  const repCharts = await rep.evaluate(() => window.vgReport.charts.length);
  check(repCharts === charts.length, `the report draws the review's plots (${repCharts})`);
  check(offline.length === 0, `the report fetches nothing (${offline.join(' ')})`);

  // ---- villages under their own policies (the six-village drill): a form offers the names of the
  // village chosen in it, not those only another village's policy has ----
  const six = path.join(work, 'six');
  execFileSync(cli, ['exercise', 'start', path.join(scenarios, 'exercises', 'six-villages-drill.yaml'), '--out', six],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  const sixBase = await serve(six);
  const sp = await open(`${sixBase}/exercise/`, sixBase);
  const offered = (form, name) => sp.page.$$eval(`form[data-form="${form}"] select[name="${name}"] option`,
    (os) => os.filter((o) => !o.disabled).map((o) => o.value).join(','));
  const give = (form) => sp.page.$eval(`form[data-form="${form}"] button[type="submit"]`, (b) => !b.disabled);
  const pick = (form, village) => sp.page.selectOption(`form[data-form="${form}"] select[name="village"]`, village);
  check(await offered('raise', 'event') === 'wartime_declared' && await give('raise'),
    `Longshan (chosen first) may raise its policy's event (${await offered('raise', 'event')})`);
  await pick('raise', 'Pushan');
  check(await offered('raise', 'event') === '' && !await give('raise'),
    `Pushan's policy declares no event: none offered, and no Give (${await offered('raise', 'event')})`);
  check((await text(sp.page, 'form[data-form="raise"] select[name="event"]')).includes("none in Pushan's policy"),
    'the empty list says why');
  await pick('post', 'Yunshi');
  check(await offered('post', 'post') === 'vanguard-post', `Yunshi offers its own post only (${await offered('post', 'post')})`);
  await pick('set-every', 'Nanba');
  await sp.page.selectOption('form[data-form="set-every"] select[name="task"]', 'household-contact');
  // A step draws the forms anew: the villages chosen and the names picked stay.
  await sp.page.click('button[data-step="next"]');
  await sp.page.waitForFunction(() => window.vgExercise.state.view.day === 4, null, { timeout: 60000 });
  check(await sp.page.inputValue('form[data-form="post"] select[name="village"]') === 'Yunshi' &&
    await offered('post', 'post') === 'vanguard-post', 'after a step the post form still has Yunshi and its post');
  check(await sp.page.inputValue('form[data-form="set-every"] select[name="task"]') === 'household-contact',
    'after a step a name of the chosen village\'s policy is still picked');
  await sp.page.click('form[data-form="set-every"] button[type="submit"]');
  await sp.page.waitForFunction(() => window.vgExercise.state.view.decisions.length === 1, null, { timeout: 60000 });
  check((await text(sp.page, '#vg-decisions')).includes('set household-contact every_days to 7 in Nanba'),
    `the command of the village's own names is taken (${await text(sp.page, '#vg-decisions')})`);

  const all = [elsewhere, proj.elsewhere, sp.elsewhere].flat(), errs = [errors, proj.errors, sp.errors].flat();
  check(all.length === 0, `nothing fetched elsewhere (${all.join(' ')})`);
  check(errs.length === 0, `no script errors (${errs.join(' | ')})`);
} catch (e) {
  check(false, `exception: ${e.stack || e}`);
}

await browser.close();
server.kill();
if (failures) die(`${failures} check(s) failed`);
console.log('exercise_test: all checks passed');
