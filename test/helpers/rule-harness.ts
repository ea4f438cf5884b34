/**
 * Test harness for rules: text in, findings out. A project is a map of relative paths to text; expected
 * findings are written inline as `#! DSL104` comments at the end of the line where the finding starts
 * (several codes: `#! DSL104 DSL113`). Fixes are checked as whole-text results and for validity.
 */
import assert from 'node:assert/strict';
import { analyze, type Analysis } from '../../server/src/core/analyze';
import type { AnalysisLimits } from '../../server/src/core/evaluate/evaluate';
import { applyEdits, fixAll } from '../../server/src/core/fixes';
import { OptionsSchema, type OptionsInput } from '../../server/src/core/options';
import type { Finding } from '../../server/src/core/types';
import { orderSnippets } from '../../server/src/core/layers/snippet-order';
import { cpythonParse } from './python';

export type Files = Record<string, string>;

export interface LintOptions extends OptionsInput {
  /** 'horizon' (default when a local_settings.py is present) or 'django'. */
  kind?: 'horizon' | 'django';
  versionFiles?: Files;
  /** Python modules installed where the settings run (what the front ends read from site-packages). */
  installed?: { modules: string[]; source: string };
  /** Evaluation limits of the analysis (an injected clock makes the time budget deterministic). */
  limits?: AnalysisLimits;
}

const ROOT = '/project';

function layersOf(
  files: Files,
  kind: 'horizon' | 'django',
): { path: string; role: 'settings' | 'local_settings' | 'local_settings.d' }[] {
  const names = Object.keys(files).filter((n) => n.endsWith('.py') || n === 'local_settings');
  const snippets = orderSnippets(
    names.filter((n) => n.startsWith('local_settings.d/')).map((n) => n.slice('local_settings.d/'.length)),
  ).map((n) => `local_settings.d/${n}`);
  const out: { path: string; role: 'settings' | 'local_settings' | 'local_settings.d' }[] = [];
  if (kind === 'horizon' && files['openstack_dashboard/settings.py'] !== undefined) {
    out.push({ path: `${ROOT}/openstack_dashboard/settings.py`, role: 'settings' });
  }
  for (const n of names) {
    if (n === 'local_settings.py' || n === 'local_settings')
      out.push({ path: `${ROOT}/${n}`, role: 'local_settings' });
    else if (kind === 'django' && !n.startsWith('local_settings.d/') && /settings/.test(n))
      out.push({ path: `${ROOT}/${n}`, role: 'settings' });
  }
  for (const s of snippets) out.push({ path: `${ROOT}/${s}`, role: 'local_settings.d' });
  return out;
}

/** Lints an in-memory project. */
export function lint(files: Files, opts: LintOptions = {}, overlay?: ReadonlyMap<string, string>): Analysis {
  const { kind: kindOpt, versionFiles, installed, limits, ...raw } = opts;
  const kind =
    kindOpt ??
    (files['local_settings.py'] !== undefined || files['local_settings'] !== undefined
      ? 'horizon'
      : 'django');
  const options = OptionsSchema.parse({ profile: 'production', ...raw });
  const read = (file: string): string | undefined => {
    const o = overlay?.get(file);
    if (o !== undefined) return o;
    return file.startsWith(ROOT + '/') ? files[file.slice(ROOT.length + 1)] : undefined;
  };
  return analyze({
    project: { root: ROOT, kind, layers: layersOf(files, kind), readFile: read },
    options,
    versionFiles: Object.entries(versionFiles ?? {}).map(([p, text]) => ({ path: p, text })),
    installedModules: installed,
    limits,
  });
}

export function rel(file: string): string {
  return file.startsWith(ROOT + '/') ? file.slice(ROOT.length + 1) : file;
}

/** `file:line CODE` for every finding (1-based line), sorted. */
export function findingKeys(a: Analysis, codes?: readonly string[]): string[] {
  return a.findings
    .filter((f) => !codes || codes.some((c) => f.code.startsWith(c)))
    .map((f) => `${rel(f.span.file)}:${a.lineOf(f.span)} ${f.code}`)
    .sort();
}

/** The expected keys from `#! CODE` annotations. */
export function annotatedKeys(files: Files, codes?: readonly string[]): string[] {
  const out: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    text.split('\n').forEach((line, i) => {
      const m = /#!\s*((?:DSL\d{3}\s*)+)$/.exec(line);
      if (!m?.[1]) return;
      for (const code of m[1].trim().split(/\s+/))
        if (!codes || codes.some((c) => code.startsWith(c))) out.push(`${name}:${i + 1} ${code}`);
    });
  }
  return out.sort();
}

/**
 * Asserts that the findings of `codes` are exactly the annotated ones, and that every fix offered for them
 * is valid Python (CPython's ast.parse) and removes its diagnostic.
 */
export function expectFindings(files: Files, codes: readonly string[], opts: LintOptions = {}): Analysis {
  const a = lint(files, opts);
  assert.deepEqual(findingKeys(a, codes), annotatedKeys(files, codes), describeFindings(a));
  for (const f of a.findings.filter((x) => codes.includes(x.code) && x.fix)) checkFix(files, f, opts);
  return a;
}

export function describeFindings(a: Analysis): string {
  return a.findings
    .map((f) => `${rel(f.span.file)}:${a.lineOf(f.span)} ${f.code} ${f.severity} ${f.message}`)
    .join('\n');
}

/** Applies one finding's fix and checks: valid Python, and the same code no longer reported there. */
export function checkFix(files: Files, finding: Finding, opts: LintOptions = {}): Files {
  assert.ok(finding.fix, `${finding.code} has no fix`);
  const next: Files = { ...files };
  const byFile = new Map<string, { from: number; to: number; newText: string }[]>();
  for (const e of finding.fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, edits] of byFile) {
    const name = rel(file);
    const before = next[name];
    assert.ok(before !== undefined, `fix edits unknown file ${file}`);
    next[name] = applyEdits(before, edits);
    assertPythonParses(next[name] as string, name);
  }
  const after = lint(next, opts);
  const again = after.findings.filter(
    (f) =>
      f.code === finding.code &&
      f.span.file === finding.span.file &&
      after.lineOf(f.span) === lintLine(files, finding, opts),
  );
  assert.equal(
    again.length,
    0,
    `${finding.code} still reported after its fix "${finding.fix.title}":\n${describeFindings(after)}\n--- fixed text ---\n${Object.values(next).join('\n---\n')}`,
  );
  return next;
}

function lintLine(files: Files, finding: Finding, opts: LintOptions): number {
  return lint(files, opts).lineOf(finding.span);
}

/** Runs fix-all (as `--fix`) and returns the new texts of all files. */
export function fixAllText(files: Files, opts: LintOptions & { unsafe?: boolean } = {}): Files {
  const { unsafe, ...rest } = opts;
  const result = fixAll(
    (overlay) => lint(files, rest, overlay),
    (file) => files[rel(file)],
    { unsafe: unsafe ?? false },
  );
  const out: Files = { ...files };
  for (const [file, text] of result.changed) out[rel(file)] = text;
  return out;
}

/** CPython's own parser is the judge of "valid Python". */
export function assertPythonParses(text: string, name = '<fix>'): void {
  const r = cpythonParse(text);
  assert.ok(r.ok, `${name} is not valid Python after the fix:\n${r.error}\n${text}`);
}

/** The one finding of `code` in the project; fails when there is none or more than one. */
export function onlyFinding(code: string, files: Files, opts: LintOptions = {}): Finding {
  const found = lint(files, opts).findings.filter((f) => f.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${found.length}`);
  return found[0] as Finding;
}
