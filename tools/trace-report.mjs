#!/usr/bin/env node
// Reads a trace of the language server (DJANGO_SESSION_LINT_TRACE, server/src/lsp/trace.ts) and tells how long
// requests of one method waited and what the server ran meanwhile: the slowest requests with the stretches
// and garbage collections around them, the long stretches grouped by their first marks, the collections by kind,
// and the gaps between an analysis's pause points by where they ended.
//   DJANGO_SESSION_LINT_TRACE=/tmp/trace-%p.jsonl npm run bench -- lsp-inline
//   node tools/trace-report.mjs /tmp/trace-<pid>.jsonl [method=textDocument/codeLens] [slowest=5]
import fs from 'node:fs';

const [file, method = 'textDocument/codeLens', top = '5'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node tools/trace-report.mjs <trace.jsonl> [method] [slowest]');
  process.exit(2);
}
const records = fs
  .readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const stretches = records.filter((r) => r.t !== undefined).sort((a, b) => a.t - b.t);
const gcs = records.filter((r) => r.gc !== undefined);
const label = (m) => m.replace(/^[\d.]+ /, '');
const marks = [];
stretches.forEach((s, i) =>
  (s.m ?? []).forEach((m) => marks.push({ t: Number(m.slice(0, m.indexOf(' '))), label: label(m), s: i })),
);
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
};

// Each request: read (`in`) to answer (the next `out <id>`), plus the stretch that ran just before the read
// (the request may have arrived during it: half of it is counted).
const requests = [];
for (let i = 0; i < marks.length; i++) {
  if (marks[i].label !== `in ${method}`) continue;
  let j = i + 1;
  while (j < marks.length && !/^out \d+$/.test(marks[j].label)) j++;
  if (j >= marks.length) continue;
  const before = stretches[marks[i].s - 1];
  const adjacent = before && stretches[marks[i].s].t - (before.t + before.d) < 1 ? before.d : 0;
  requests.push({ at: marks[i].t, answered: marks[j].t - marks[i].t, before: adjacent });
}
const waits = requests.map((r) => r.answered + r.before / 2);
console.log(
  `${method}: ${requests.length} requests; read -> answer (+ half the stretch before the read) ` +
    `p50 ${quantile(waits, 0.5).toFixed(1)} p90 ${quantile(waits, 0.9).toFixed(1)} ` +
    `p99 ${quantile(waits, 0.99).toFixed(1)} max ${Math.max(...waits).toFixed(1)} ms`,
);
for (const r of [...requests]
  .sort((a, b) => b.answered + b.before - a.answered - a.before)
  .slice(0, Number(top))) {
  console.log(
    `\n@${r.at.toFixed(1)}: read -> answer ${r.answered.toFixed(1)} ms, stretch before ${r.before.toFixed(1)} ms`,
  );
  const from = r.at - r.before - 2;
  const to = r.at + r.answered;
  for (const s of stretches)
    if (s.t + s.d >= from && s.t <= to)
      console.log(`  stretch @${s.t.toFixed(1)} ${s.d.toFixed(1)} ms: ${(s.m ?? []).map(label).join(', ')}`);
  for (const g of gcs)
    if (g.gc + g.d >= from && g.gc <= to)
      console.log(`  gc @${g.gc.toFixed(1)} ${g.d.toFixed(1)} ms kind ${g.kind}`);
}

const groups = new Map();
for (const s of stretches) {
  if (s.d < 4) continue;
  const key =
    (s.m ?? [])
      .map(label)
      .filter((m) => !/^(in|out|gap) /.test(m))
      .slice(0, 2)
      .join(', ') || '(no mark)';
  const g = groups.get(key) ?? { n: 0, ms: 0, max: 0 };
  g.n++;
  g.ms += s.d;
  g.max = Math.max(g.max, s.d);
  groups.set(key, g);
}
console.log('\nstretches of 4 ms or more, by their first marks:');
for (const [k, g] of [...groups].sort((a, b) => b[1].ms - a[1].ms))
  console.log(`  ${g.n} x, ${g.ms.toFixed(0)} ms in all, max ${g.max.toFixed(1)}: ${k}`);

const kinds = { 1: 'scavenge', 4: 'mark-compact', 8: 'incremental marking', 16: 'weak callbacks' };
console.log('\ngarbage collections:');
for (const [kind, name] of Object.entries(kinds)) {
  const d = gcs.filter((g) => String(g.kind) === kind).map((g) => g.d);
  if (d.length > 0)
    console.log(
      `  ${name}: ${d.length}, ${d.reduce((a, b) => a + b, 0).toFixed(0)} ms in all, ` +
        `p50 ${quantile(d, 0.5).toFixed(1)} p90 ${quantile(d, 0.9).toFixed(1)} max ${Math.max(...d).toFixed(1)} ms`,
    );
}

const gaps = new Map();
for (const m of marks) {
  const g = /^gap ([\d.]+) (.*)$/.exec(m.label);
  if (!g) continue;
  const where = g[2].split(' < ').slice(0, 2).join(' < ');
  const e = gaps.get(where) ?? { n: 0, ms: 0, max: 0 };
  e.n++;
  e.ms += Number(g[1]);
  e.max = Math.max(e.max, Number(g[1]));
  gaps.set(where, e);
}
if (gaps.size > 0)
  console.log('\nwork of more than 4 ms between two pause points of an analysis, by where it ended:');
for (const [k, e] of [...gaps].sort((a, b) => b[1].ms - a[1].ms).slice(0, 10))
  console.log(`  ${e.n} x, ${e.ms.toFixed(0)} ms in all, max ${e.max.toFixed(1)}: ${k}`);
