#!/usr/bin/env node
// Fails unless each named source file reaches the line-coverage floor in the report that
// `node --test --experimental-test-coverage` printed (Node 20 has no threshold flag of its own).
// Usage: node scripts/check-coverage.mjs REPORT_FILE MIN_PERCENT FILE...
//   FILE is a path as the report prints it (relative to the directory the tests ran in).
// Prints one line per file; a file missing from the report fails too (it was never loaded).
import { readFileSync } from 'node:fs';

const [report, min, ...files] = process.argv.slice(2);
const floor = Number(min);
if (!report || !Number.isFinite(floor) || files.length === 0) {
  console.error('usage: check-coverage.mjs REPORT_FILE MIN_PERCENT FILE...');
  process.exit(2);
}

// Report rows look like "# file.mjs | 91.20 | 88.00 | 100.00 | 12-14 20" (TAP) or with "ℹ " (spec).
// Node 20 may list a file once per test process that loaded it: a line is covered when any of
// them covered it, so the uncovered lines are the intersection of the rows' uncovered lines.
const rows = new Map();
for (const line of readFileSync(report, 'utf8').split('\n')) {
  const cells = line.replace(/^(# |ℹ )/, '').split('|').map((c) => c.trim());
  if (cells.length < 5 || !/^\d+(\.\d+)?$/.test(cells[1])) continue;
  const uncovered = new Set(cells[4].split(/\s+/).filter(Boolean).flatMap((r) => {
    const [from, to = from] = r.split('-').map(Number);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }));
  rows.set(cells[0], [...(rows.get(cells[0]) ?? []), { pct: Number(cells[1]), uncovered }]);
}
const lineCoverage = (file) => {
  const entries = rows.get(file);
  if (!entries) return undefined;
  const partial = entries.find((e) => e.uncovered.size > 0 && e.pct < 100);
  if (!partial || entries.some((e) => e.uncovered.size === 0)) return 100;
  const total = Math.round(partial.uncovered.size / (1 - partial.pct / 100));
  const missed = [...partial.uncovered].filter((l) => entries.every((e) => e.uncovered.has(l))).length;
  return 100 * (1 - missed / total);
};

let failed = false;
for (const file of files) {
  const pct = lineCoverage(file);
  const ok = pct !== undefined && pct >= floor;
  failed ||= !ok;
  console.log(`coverage ${ok ? 'ok  ' : 'FAIL'} ${file}: ${pct === undefined ? 'not in the report' : `${pct.toFixed(2)}% of lines`} (floor ${floor}%)`);
}
process.exit(failed ? 1 : 0);
