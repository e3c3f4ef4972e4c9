// The web's numbers as the terminal prints them (web/src/format.js): printf("%.*f") rounds a value
// exactly halfway to even, and the console and the web pages must show one figure the same way
// (an exercise's 12.25 hours read 12.2 on the console and 12.3 on the web). The expected strings
// are what glibc's printf gives for the same doubles.
// Usage: node format_test.mjs WEB_DIR   (ctest runs it)
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const { fixed, fmt, fmtDiff } = await import(pathToFileURL(path.join(process.argv[2], 'src', 'format.js')).href);
let failed = 0;
function expect(got, want, what) {
  if (got !== want) {
    console.error(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    failed += 1;
  }
}
// [value, decimals, printf's text]
const cases = [
  [12.25, 1, '12.2'], [12.75, 1, '12.8'], [-12.25, 1, '-12.2'], [12.35, 1, '12.3'], [12.45, 1, '12.4'],
  [0.125, 2, '0.12'], [0.375, 2, '0.38'], [1.005, 2, '1.00'], [2.5, 0, '2'], [3.5, 0, '4'], [-2.5, 0, '-2'],
  [12.2500001, 1, '12.3'], [7199.9, 1, '7199.9'], [0.5, 0, '0'], [1e-7, 2, '0.00'], [99.995, 2, '100.00'],
];
for (const [x, d, want] of cases) expect(fixed(x, d), want, `fixed(${x}, ${d})`);
// Through the report's formats: an hours figure with one decimal, a share in percent, a difference.
expect(fmt(12.25), '12.2', 'fmt(12.25)');
expect(fmt(0.12125, 'share'), '12.1%', 'fmt(0.12125, share)');
expect(fmtDiff(0.12125, 'share'), '+12.1 pp', 'fmtDiff(0.12125, share)');
expect(fmtDiff(-0.00025, 'share'), '+0.0 pp', 'fmtDiff(-0.00025, share)');
expect(fmtDiff(-12.25), '-12.2', 'fmtDiff(-12.25)');
if (failed) process.exit(1);
console.log(`format: ${cases.length + 5} cases as printf`);
