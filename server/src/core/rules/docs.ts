/** Renders docs/rules.md from rule metadata (pure: text in, text out; the runner in test/tools writes the file). */
import type { SeverityOrOff } from '../types';
import type { Rule } from './framework';

/** The GitHub heading id of a rule's section; analyze.ts links to `rules.md#<this>`. */
export function ruleAnchor(code: string): string {
  return code.toLowerCase();
}

const SEVERITY_TEXT: Readonly<Record<SeverityOrOff, string>> = {
  error: 'error',
  warning: 'warning',
  information: 'information',
  hint: 'hint',
  off: '–',
};

/** A table cell: pipes would end the cell and newlines the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function fence(code: string): string[] {
  // A longer fence than any backtick run inside keeps the block closed where it should be.
  const longest = Math.max(2, ...Array.from(code.matchAll(/`+/g), (m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return [`${f}python`, code.replace(/\s+$/, ''), f];
}

function fixText(rule: Rule): string {
  return rule.fix === 'none' ? 'none' : rule.fix;
}

function section(rule: Rule): string[] {
  const d = rule.docs;
  const facts = [
    `| Severity | production: ${SEVERITY_TEXT[rule.severity.production]} · development: ${SEVERITY_TEXT[rule.severity.development]} |`,
    `| Fix | ${fixText(rule)} |`,
    `| Applies to | ${rule.horizonOnly ? 'Horizon projects only' : 'Django and Horizon projects'} |`,
    `| Depends on versions | ${rule.versionDependent ? 'yes (Django and/or Horizon release)' : 'no'} |`,
  ];
  if (d.djangoCheck) facts.push(`| Django's own check | ${cell(d.djangoCheck)} |`);
  return [
    `## ${rule.code}`,
    '',
    `**\`${rule.name}\`** — ${rule.title}`,
    '',
    '| | |',
    '|---|---|',
    ...facts,
    '',
    `**What it finds.** ${d.what}`,
    '',
    `**Why it matters.** ${d.why}`,
    '',
    '**Example that triggers it:**',
    '',
    ...fence(d.example),
    '',
    '**Use instead:**',
    '',
    ...fence(d.useInstead),
    '',
    `**Fix safety.** ${d.fixSafety}`,
    '',
    `Silence it on one line with \`# session-lint: ignore[${rule.code}]\`, or in a whole file with \`# session-lint: ignore-file[${rule.code}]\`.`,
    '',
  ];
}

/** The whole of docs/rules.md for these rules, in code order. Deterministic: same rules, same text. */
export function renderRulesMarkdown(rules: readonly Rule[]): string {
  const sorted = [...rules].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const lines = [
    '# Rules',
    '',
    '<!-- Generated from the rule metadata in server/src/core/rules/ by `npm run docs`. Do not edit by hand: a test fails when this file is stale. -->',
    '',
    [
      'Every rule has a stable code (never reused), a kebab-case name, a severity per profile and, where a fix makes sense, a fix.',
      '`production` is the default profile; `development` is chosen with `--profile development` (or `auto` when `DEBUG` is statically `True`).',
      '`–` means the rule is off in that profile.',
      'Safe fixes run with `--fix` and in fix-all; unsafe fixes change where data lives or which package is needed and run only as quick fixes or with `--unsafe-fixes`.',
    ].join(' '),
    '',
    'Values the analyser cannot resolve (environment lookups, function calls, imports it cannot follow) never produce a finding; a visible default such as `os.environ.get("X", "default")` is judged and the message says "if X is unset". A branch decided by whether a file exists (`if os.path.exists(…)`, `try: from .local import * except ImportError`) follows the file as the project has it on disk; when the file is absent the message says "if local.py is absent".',
    '',
    ...renderRulesTable(sorted, ''),
    '',
    ...sorted.flatMap(section),
  ];
  return lines.join('\n').replace(/\n+$/, '') + '\n';
}

/** The summary table of all rules; `linkPrefix` is prepended to each `#dslNNN` anchor (e.g. 'docs/rules.md'). */
export function renderRulesTable(rules: readonly Rule[], linkPrefix: string): string[] {
  const sorted = [...rules].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return [
    '| Code | Name | Title | Production | Development | Fix |',
    '|---|---|---|---|---|---|',
    ...sorted.map(
      (r) =>
        `| [${r.code}](${linkPrefix}#${ruleAnchor(r.code)}) | \`${r.name}\` | ${cell(r.title)}${r.horizonOnly ? ' (Horizon)' : ''} | ${SEVERITY_TEXT[r.severity.production]} | ${SEVERITY_TEXT[r.severity.development]} | ${fixText(r)} |`,
    ),
  ];
}

export const README_TABLE_START = '<!-- rules-table:start -->';
export const README_TABLE_END = '<!-- rules-table:end -->';

/** The README with the rules table between its markers replaced by the current one (unchanged without markers). */
export function updateReadmeRulesTable(readme: string, rules: readonly Rule[]): string {
  const start = readme.indexOf(README_TABLE_START);
  const end = readme.indexOf(README_TABLE_END);
  if (start < 0 || end < start) return readme;
  const table = ['', ...renderRulesTable(rules, 'docs/rules.md'), ''].join('\n');
  return readme.slice(0, start + README_TABLE_START.length) + '\n' + table + '\n' + readme.slice(end);
}
