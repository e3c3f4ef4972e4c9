// x with d decimals as the terminal's printf("%.*f") writes it: toFixed rounds a value exactly
// halfway up (12.25 -> "12.3") where printf rounds it to even ("12.2"), so the console and the web
// showed one figure two ways. A halfway value is a binary fraction, whose decimal expansion ends
// within d + 30 digits for any figure shown here; anything else rounds alike in both.
export function fixed(x, d) {
  const exact = x.toFixed(Math.min(100, d + 30));
  const dot = exact.indexOf('.');
  const rest = exact.slice(dot + 1 + d);
  if (!/^50*$/.test(rest)) return x.toFixed(d);
  const kept = exact.slice(0, d > 0 ? dot + 1 + d : dot);  // truncated: the half goes to the even end
  if (Number(kept[kept.length - 1]) % 2 === 0) return kept;  // it ends in its last kept digit
  return x.toFixed(d);  // odd: away from zero, as toFixed does for a half of either sign
}

// Numbers as the report prints them.
export function fmt(x, unit) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  if (unit === 'share') return fixed(100 * x, 1) + '%';
  const a = Math.abs(x);
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return fixed(x, 0);
  if (a >= 10) return fixed(x, 1);
  return fixed(x, 2);
}

// A difference, signed, as the terminal's compare table prints it (src/io/compare_output.cpp): a
// share's in percentage points with one decimal ("-9.6 pp"; `pp: false` leaves the unit off, for an
// interval's ends), any other in its metric's unit ("+1.2").
export function fmtDiff(x, unit, pp = true) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '-';
  // A difference that rounds to zero is "+0.0", never "-0.0" (as the terminal's table).
  let body = unit === 'share' ? fixed(100 * x, 1) : fmt(x);
  if (/^-0(\.0*)?$/.test(body)) body = body.slice(1);
  const sign = body.startsWith('-') ? '' : '+';
  return unit === 'share' ? `${sign}${body}${pp ? ' pp' : ''}` : sign + body;
}

export function range(s, unit) {
  if (!s || s.p5 === null || s.p5 === undefined) return '';
  return `5-95%: ${fmt(s.p5, unit)} to ${fmt(s.p95, unit)}`;
}

export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === 'class') e.className = v;
    else e.setAttribute(k, String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

export function table(header, rows) {
  return el('table', {}, el('thead', {}, el('tr', {}, header.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows.map((r) => el('tr', {}, r.map((c) => el('td', {}, c))))));
}

// A headline figure: its raw value stays on the element (data-value) for whoever checks it.
export function headline(items) {
  return el('dl', { class: 'headline' }, items.map((h) => el('div', { 'data-metric': h.metric, 'data-value': h.value },
    el('dt', {}, h.label), el('dd', {}, h.text, h.range ? el('div', { class: 'range' }, h.range) : null))));
}
