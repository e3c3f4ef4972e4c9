// The exercise control room of `villagegrid serve --exercise DIR` (docs/exercises.md, "The control
// room (web)"): the state at the current stop per village (what the console's screen shows), the
// injects as they arrive, forms that give the console's commands (POSTed as JSON to this server,
// which executes them as the console does), a projector view (data-mode="projector": no forms,
// large type), and the after-action review with its plots once the exercise has been reviewed.
// `villagegrid report EXDIR` writes the same page with the state inlined (data-mode="report").
// The page polls /exercise/api/state, so a step taken elsewhere (another browser) shows too.
import css from './exercise.css';
import { intervalChart } from './charts.js';
import { el, fmt, table } from './format.js';

window.vgReport = { charts: [], ready: false };
const X = { ready: false, state: null, renders: 0, last: null };
window.vgExercise = X;

const root = () => document.getElementById('vg-exercise');
const mode = () => root().dataset.mode;
const projector = () => mode() === 'projector';
// Without forms: the projector, and a report (`villagegrid report EXDIR`: the state inlined, nothing fetched).
const readOnly = () => mode() !== 'control';

async function fetchState() {
  const r = await fetch('/exercise/api/state', { cache: 'no-store' });
  if (!r.ok) throw new Error(`state: HTTP ${r.status}`);
  return r.text();
}

// Commands go to the server one at a time, in the order given: one given while another is in
// flight (a second click, or a form sent while the first reply is on its way) waits for it, never
// dropped. `epoch` counts the replies rendered, so a poll that set out before a reply does not put
// the older state back on the page.
let queue = Promise.resolve();
let epoch = 0;

// Sends one console line; shows the console's output or its error.
async function sendNow(command) {
  const out = document.getElementById('vg-output');
  try {
    const r = await fetch('/exercise/api/command', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ command }),
    });
    const reply = await r.json();
    epoch += 1;
    X.last = { command, status: r.status, reply };
    if (out) {
      out.className = reply.ok ? 'out' : 'out error';
      out.textContent = `exercise> ${command}\n${reply.ok ? reply.output || 'done' : reply.error}`;
    }
    if (reply.ok && reply.state) render(reply.state, JSON.stringify(reply.state));
  } catch (e) {
    if (out) { out.className = 'out error'; out.textContent = `exercise> ${command}\n${e.message}`; }
  }
}

function send(command) {
  queue = queue.then(() => sendNow(command));  // sendNow never rejects: it shows its own errors
  return queue;
}

function injectItem(i) {
  const hh = String(i.hour).padStart(2, '0');
  return el('div', { class: i.new ? 'inject new' : 'inject', 'data-inject': i.id },
    i.new ? el('span', { class: 'tag' }, 'NEW') : null,
    el('b', {}, `[day ${i.day} ${hh}:00] ${i.id}`), ` (for ${i.player}): ${i.synopsis}`);
}

const staffTable = (staff) => table(['role', 'on duty', 'hours/day', 'worked yesterday', 'available yesterday'],
  staff.map((s) => [s.role, fmt(s.on_duty_today), fmt(s.hours_per_day), fmt(s.worked_yesterday), fmt(s.available_yesterday)]));

// A town's own staff (its pool): they serve every village of the town, so their hours are here.
const townCard = (t) => el('div', { class: 'card town', 'data-town': t.town },
  el('h3', {}, `Town ${t.town}: its own staff, serving every village of the town`), staffTable(t.staff));

function villageCard(v) {
  const r = v.returnees, w = v.work, k = v.key_persons;
  const fig = (label, value, warn) => el('span', { class: warn && value > 0 ? 'warn' : null }, `${label} `, el('b', {}, fmt(value)));
  const stocks = Object.entries(v.stocks).map(([s, n]) => `${s} ${fmt(n)}`).join('   ');
  return el('div', { class: 'card village', 'data-village': v.village },
    el('h3', {}, v.village),
    el('div', { class: 'figures' }, el('span', {}, 'Returnees:'), fig('home', r.home), fig('found', r.found),
      fig('screened', r.screened), fig('not yet screened', r.not_yet_screened, true)),
    el('div', { class: 'figures' }, el('span', {}, 'Work:'), fig('backlog', w.backlog),
      fig('late yesterday', w.late_yesterday, true), fig('late so far', w.late_so_far)),
    el('div', { class: 'figures' }, el('span', {}, 'Key persons:'), fig('identified', k.identified),
      fig('tracked', k.tracked), k.not_tracked > 0 ? fig('not tracked', k.not_tracked, true) : null,
      fig('teams incomplete', k.teams_incomplete, true)),
    staffTable(v.staff),
    el('div', { class: 'stocks' }, stocks ? `Stocks: ${stocks}` : '', v.funds !== undefined ? `   Funds ${fmt(v.funds)} yuan` : ''),
    v.alerts.map((a) => el('div', { class: 'alert' }, `ALERT ${a}`)));
}

const select = (name, options) => el('select', { name }, options.map((o) => el('option', { value: o }, o)));
const num = (name, value, min = 1) => el('input', { type: 'number', name, value, min });
// A select of names from a village's own policy (its posts, channels, events, tasks, templates):
// filled by fillPolicy from the village chosen in the same form.
const policySelect = (name, list) => el('select', { name, 'data-list': list });

// Fills a form's policy selects with the names of the village chosen in it, keeping a choice that
// is still offered; a village whose policy has none of them gets a note instead and no Give button.
function fillPolicy(form, n) {
  const village = form.elements.village.value;
  let empty = false;
  form.querySelectorAll('select[data-list]').forEach((sel) => {
    // The village's own policy's (a name only another village's policy has would be refused).
    const names = n.of_village[village][sel.dataset.list];
    const was = sel.value;
    sel.replaceChildren(...(names.length ? names.map((o) => el('option', { value: o }, o))
      : [el('option', { value: '', disabled: true }, `none in ${village}'s policy`)]));
    sel.value = names.includes(was) ? was : names.length ? names[0] : '';
    empty = empty || !names.length;
  });
  form.querySelector('button[type="submit"]').disabled = empty;
}

// A form whose fields make one console command (`make` reads the form's values).
function commandForm(id, parts, make) {
  const f = el('form', { 'data-form': id }, parts, el('button', { type: 'submit' }, 'Give'));
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = Object.fromEntries(new FormData(f).entries());
    send(make(v));
  });
  return f;
}

function decisionForms(s) {
  const n = s.names;
  const villages = n.villages, roles = n.roles;
  const forms = [
    commandForm('add', ['add', num('count', 2), select('role', roles), 'to', select('village', villages),
      el('label', {}, 'from day'), el('input', { type: 'number', name: 'from', min: 0, placeholder: 'today' })],
    (v) => `add ${v.count} ${v.role} to ${v.village}${v.from ? ` from day ${v.from}` : ''}`),
    commandForm('overtime', ['overtime', num('hours', 2), 'hours for', select('role', roles), 'in', select('village', villages),
      el('label', {}, 'for'), el('input', { type: 'number', name: 'days', min: 1, placeholder: 'all' }), 'days'],
    (v) => `overtime ${v.hours} hours for ${v.role} in ${v.village}${v.days ? ` for ${v.days} days` : ''}`),
  ];
  if (villages.length > 1)
    forms.push(commandForm('move', ['move', num('count', 2), select('role', roles), 'from', select('from', villages),
      'to', select('to', villages.slice(1).concat(villages.slice(0, 1))),
      el('label', {}, 'from day'), el('input', { type: 'number', name: 'day', min: 0, placeholder: 'today' })],
    (v) => `move ${v.count} ${v.role} from ${v.from} to ${v.to}${v.day ? ` from day ${v.day}` : ''}`));
  if (n.events.length)
    forms.push(commandForm('raise', ['raise', policySelect('event', 'events'), 'in', select('village', villages),
      el('label', {}, 'at'), el('input', { type: 'number', name: 'hour', min: 0, max: 23, placeholder: '00' }), 'h'],
    (v) => `raise ${v.event} in ${v.village}${v.hour ? ` at ${v.hour}` : ''}`));
  // `set`: a task's minutes or priority (higher first: it moves staff between tasks), a repeated
  // task's interval, a tracking template's days; in one village, from today.
  if (n.tasks.length)
    forms.push(commandForm('set-task', ['set', policySelect('task', 'tasks'), select('what', ['minutes', 'priority']), 'to',
      num('value', 20, 0), 'in', select('village', villages)],
    (v) => `set ${v.task} ${v.what} to ${v.value} in ${v.village}`));
  if (n.repeated.length)
    forms.push(commandForm('set-every', ['set', policySelect('task', 'repeated'), 'every_days to', num('value', 7), 'in',
      select('village', villages)],
    (v) => `set ${v.task} every_days to ${v.value} in ${v.village}`));
  if (n.templates.length)
    forms.push(commandForm('set-days', ['set', policySelect('template', 'templates'), 'days to', num('value', 14), 'in',
      select('village', villages)],
    (v) => `set ${v.template} days to ${v.value} in ${v.village}`));
  if (n.posts.length)
    forms.push(commandForm('post', [select('verb', ['open', 'close']), policySelect('post', 'posts'), 'in', select('village', villages)],
      (v) => `${v.verb} ${v.post} in ${v.village}`));
  if (n.supplies.length && n.channels.length)
    forms.push(commandForm('request', ['request', num('amount', 100), select('supply', n.supplies), 'via',
      policySelect('channel', 'channels'), 'for', select('village', villages)],
    (v) => `request ${v.amount} ${v.supply} via ${v.channel} for ${v.village}`));
  forms.push(commandForm('note', ['note', el('input', { class: 'wide', name: 'text', placeholder: 'a decision and its reason' })],
    (v) => `note ${v.text}`));
  forms.push(commandForm('line', ['console', el('input', { class: 'wide', name: 'line', placeholder: 'any console command' })],
    (v) => v.line));
  for (const f of forms) {
    if (!f.querySelector('select[data-list]')) continue;
    fillPolicy(f, n);
    f.elements.village.addEventListener('change', () => fillPolicy(f, n));
  }
  const button = (label, command, id) => {
    const b = el('button', { type: 'button', 'data-step': id }, label);
    b.addEventListener('click', () => send(command));
    return b;
  };
  const over = s.view.finished;
  return el('div', { class: 'card decisions' }, el('h2', {}, 'Decisions'),
    el('div', { class: 'steps' }, over ? null : button('Advance 1 day', 'advance 1', 'advance'),
      over ? null : button(s.view.next_inject === null ? `To the end (day ${s.view.horizon})` : `Next inject (day ${s.view.next_inject})`, 'next', 'next'),
      button('Review', 'review', 'review')),
    forms, el('pre', { class: 'out', id: 'vg-output' }, 'Commands act from 00:00 of today; the console\'s words work in the last line.'));
}

// The decisions card outlives a render (a reply, or a poll that saw a step taken elsewhere), so that
// what a user is typing in a form is not wiped: the same card while the names and the step buttons
// are unchanged; otherwise a new one, with the values typed so far carried into its fields.
function keptForms(s, oldCard) {
  const key = JSON.stringify([s.names, s.view.finished, s.view.next_inject]);
  if (oldCard && oldCard.dataset.key === key) return oldCard;
  const card = decisionForms(s);
  card.dataset.key = key;
  if (oldCard) {
    // A form's village first: the names its policy selects offer follow from it.
    const fields = [...oldCard.querySelectorAll('form[data-form] [name]')];
    fields.sort((a, b) => (b.name === 'village') - (a.name === 'village'));
    for (const f of fields) {
      const to = card.querySelector(`form[data-form="${f.form.dataset.form}"] [name="${f.name}"]`);
      if (!to) continue;
      if (to.tagName === 'SELECT' && ![...to.options].some((o) => o.value === f.value)) continue;
      to.value = f.value;
      if (f.name === 'village' && to.form.querySelector('select[data-list]')) fillPolicy(to.form, s.names);
    }
  }
  return card;
}

// Detaching the card took the focus from the field being typed in: give it back, caret included.
function refocus(field) {
  if (!field || !field.isConnected) return;
  const caret = typeof field.selectionStart === 'number' ? [field.selectionStart, field.selectionEnd] : null;
  field.focus();
  if (caret) field.setSelectionRange(...caret);
}

// Drawn into `main` (attached, so that the charts have a size).
function reviewSection(main, s) {
  const rows = s.review.rows;
  const sec = el('section', { id: 'vg-review' }, el('h2', {}, 'After-action review'));
  main.append(sec);
  // A review is taken at one stop and stays until the next: say which, and when it is an earlier one.
  const day = s.review.day, now = s.view.day;
  sec.append(el('p', { class: day === now ? 'review-day' : 'review-day warn', 'data-review-day': day ?? '' },
    day === null || day === undefined ? 'Taken on a day not recorded (an older review.csv): run review again.'
      : day === now ? `Taken on day ${day}, the current day.`
        : `Taken on day ${day}; the exercise is now on day ${now}: this review does not show the days since. Run review again.`));
  const objectives = rows.filter((r) => r.section === 'objective');
  sec.append(table(['objective', 'verdict', 'evidence'], objectives.map((o) => [`${o.id}: ${o.what}`,
    el('span', { class: `verdict-${o.verdict.replace(' ', '_')}`, 'data-verdict': o.id }, o.verdict), o.detail])));
  sec.append(el('h3', {}, 'Timeline'),
    table(['day', 'what', 'id', 'status', 'text'], rows.filter((r) => r.section === 'timeline').map((r) => [r.day, r.what, r.id, r.verdict, r.detail])));
  // One plot per metric: players, nothing, expected (mean and 5-95%) over the background replicates.
  const byMetric = new Map();
  for (const r of rows.filter((x) => x.section === 'comparison')) {
    if (!byMetric.has(r.id)) byMetric.set(r.id, { unit: r.detail, arms: {} });
    byMetric.get(r.id).arms[r.what] = { mean: Number(r.value), lo: Number(r.p5), hi: Number(r.p95) };
  }
  if (byMetric.size) {
    sec.append(el('h3', {}, 'The players against doing nothing and the expected actions'),
      el('p', {}, 'Mean and 5th-95th percentiles over the background replicates, common random numbers (docs/exercises.md, "Review").'));
    let i = 0;
    for (const [metric, m] of byMetric) {
      const arms = ['players', 'nothing', 'expected'].filter((a) => m.arms[a]);
      intervalChart(sec, `review-${i}`, metric, `(${m.unit})`, arms, [{ name: metric, rows: arms.map((a) => m.arms[a]) }], m.unit);
      i += 1;
    }
  }
  if (mode() !== 'report')
    sec.append(el('p', {}, el('a', { href: '/exercise/files/review.md' }, 'review.md'), ' ',
      el('a', { href: '/exercise/files/review.csv' }, 'review.csv')));
}

function render(s, text) {
  if (text === X.text) return;
  X.text = text;
  X.state = s;
  X.renders += 1;
  const v = s.view;
  window.vgReport.charts.forEach((c) => c.chart.dispose());
  window.vgReport.charts = [];
  const main = root();
  const keep = document.getElementById('vg-output');
  const oldCard = main.querySelector('.card.decisions');
  const focused = oldCard && oldCard.contains(document.activeElement) ? document.activeElement : null;
  main.replaceChildren();
  main.className = mode();
  main.append(el('h1', {}, `EXERCISE ${s.name}: ${s.title}`),
    el('div', { class: 'clock', 'data-day': v.day }, `DAY ${v.day} (${v.date}) 00:00 of ${v.horizon} days`,
      v.finished ? el('span', { class: 'over' }, ' - the exercise is over')
        : v.next_inject === null ? ' - no inject left' : ` - next inject: day ${v.next_inject}`));
  if (s.locked && !readOnly())
    main.append(el('p', { class: 'locked' }, 'Another villagegrid (a console?) holds this exercise folder: commands from here are refused until it closes.'));
  const injects = el('section', { id: 'vg-injects' }, el('h2', {}, 'Injects'),
    s.injects.length ? [...s.injects].reverse().map(injectItem) : el('p', {}, 'None delivered yet.'));
  const villages = el('section', { class: 'villages' }, v.villages.map(villageCard), (v.towns || []).map(townCard));
  if (readOnly()) {
    main.append(injects, villages);
    if (mode() === 'report')
      main.append(el('h2', {}, `Decisions: ${v.decisions.length}`), el('ol', { id: 'vg-decisions' }, v.decisions.map((d) => el('li', {}, d))));
  } else {
    const side = el('div', {}, keptForms(s, oldCard),
      el('div', { class: 'card' }, el('h2', {}, `Decisions so far: ${v.decisions.length}`),
        el('ol', { id: 'vg-decisions' }, v.decisions.map((d) => el('li', {}, d)))),
      el('p', {}, el('a', { href: '/exercise/projector', target: '_blank' }, 'Projector view'), ' | ',
        el('a', { href: '/' }, 'All outputs')));
    main.append(el('div', { class: 'layout' }, el('div', {}, injects, el('h2', {}, 'Villages'), villages), side));
    const output = document.getElementById('vg-output');
    if (keep && output !== keep) output.replaceWith(keep);
    refocus(focused);
  }
  if (s.review) reviewSection(main, s);
}

async function poll() {
  try {
    const before = epoch;
    const text = await fetchState();
    if (before === epoch) render(JSON.parse(text), text);
    X.error = null;
  } catch (e) {
    X.error = e.message;
  }
  X.ready = true;
  window.vgReport.ready = true;
  setTimeout(poll, 2000);
}

function main() {
  document.head.append(el('style', {}, css));
  window.addEventListener('resize', () => window.vgReport.charts.forEach((c) => c.chart.resize()));
  if (mode() === 'report') {
    const text = document.getElementById('vg-data').textContent;
    render(JSON.parse(text), text);
    X.ready = true;
    window.vgReport.ready = true;
  } else {
    poll();
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
else main();
