/** `--explain CODE` / `rule CODE`: one rule's documentation as Markdown (like `ruff rule`) or JSON; renders strings only. */
import { ruleUrl } from '../core/analyze';
import type { Rule } from '../core/rules/framework';
import type { SeverityOrOff } from '../core/types';

function severityWord(s: SeverityOrOff): string {
  return s === 'off' ? 'off' : s;
}

function fixLine(rule: Rule): string {
  if (rule.fix === 'none') return 'Fix: none.';
  return rule.fix === 'safe'
    ? 'Fix: safe (applied by --fix).'
    : 'Fix: unsafe (applied by --fix only with --unsafe-fixes).';
}

export function explainMarkdown(rule: Rule): string {
  const d = rule.docs;
  const parts = [
    `# ${rule.name} (${rule.code})`,
    rule.title,
    `Severity: ${severityWord(rule.severity.production)} (production), ${severityWord(rule.severity.development)} (development)` +
      (rule.versionDependent ? '; depends on the target Django/Horizon version.' : '.') +
      (rule.horizonOnly ? '\nApplies to Horizon projects only.' : ''),
    fixLine(rule),
    `## What it does\n${d.what}`,
    `## Why is this bad?\n${d.why}`,
    `## Example\n\`\`\`python\n${d.example}\n\`\`\``,
    `## Use instead\n\`\`\`python\n${d.useInstead}\n\`\`\``,
    `## Fix safety\n${d.fixSafety}`,
  ];
  if (d.djangoCheck) parts.push(`## Overlapping Django check\n${d.djangoCheck}`);
  parts.push(`Documentation: ${ruleUrl(rule.code)}`);
  return parts.join('\n\n') + '\n';
}

export function explainJson(rule: Rule): string {
  return (
    JSON.stringify(
      {
        code: rule.code,
        name: rule.name,
        title: rule.title,
        severity: rule.severity,
        versionDependent: rule.versionDependent,
        horizonOnly: rule.horizonOnly ?? false,
        fix: rule.fix,
        docs: rule.docs,
        url: ruleUrl(rule.code),
      },
      null,
      2,
    ) + '\n'
  );
}
