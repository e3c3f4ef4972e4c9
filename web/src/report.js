// The page `villagegrid report` writes and `villagegrid serve` shows: it reads the data the binary
// inlined (script#vg-data, report/report.h) and draws the report of a run, compare or plan folder.
// Nothing is fetched. docs/reports.md says what each chart shows.
import css from './report.css';
import { compareReport } from './compare.js';
import { el } from './format.js';
import { planReport } from './plan.js';
import { runReport } from './run.js';

window.vgReport = { charts: [], ready: false };

function main() {
  document.head.append(el('style', {}, css));
  const root = document.getElementById('vg-report');
  root.replaceChildren();
  const data = JSON.parse(document.getElementById('vg-data').textContent);
  const draw = { run: runReport, compare: compareReport, plan: planReport }[data.kind];
  if (!draw) root.append(el('p', {}, `This page cannot show a folder of kind "${data.kind}".`));
  else draw(root, data);
  window.addEventListener('resize', () => window.vgReport.charts.forEach((c) => c.chart.resize()));
  window.vgReport.ready = true;
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
else main();
