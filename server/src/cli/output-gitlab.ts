/** `--format gitlab`: a GitLab Code Quality report (a JSON array of Code Climate issues: description, check_name, fingerprint, severity, location), for `artifacts: reports: codequality`; renders a string, no I/O. */
import { createHash } from 'node:crypto';
import type { Rule } from '../core/rules/framework';
import type { Severity } from '../core/types';
import type { PresentedDiagnostic } from './diagnostics';

export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

export interface CodeQualityIssue {
  readonly type: 'issue';
  readonly check_name: string;
  readonly description: string;
  readonly categories: readonly string[];
  readonly fingerprint: string;
  readonly severity: CodeQualitySeverity;
  readonly location: {
    readonly path: string;
    readonly lines: { readonly begin: number; readonly end: number };
  };
}

const SEVERITY: Readonly<Record<Severity, CodeQualitySeverity>> = {
  error: 'major',
  warning: 'minor',
  information: 'info',
  hint: 'info',
};

/** Errors of security rules (DSL5xx, DSL124) are `critical`; otherwise error → major, warning → minor, else info. */
export function codeQualitySeverity(severity: Severity, rule: Rule | undefined): CodeQualitySeverity {
  return severity === 'error' && rule?.security ? 'critical' : SEVERITY[severity];
}

/**
 * What identifies a finding across runs and edits elsewhere in the file: the code, the path, the message
 * without the line numbers it cites (`set in settings.py:3`, `line 3`) and the flagged source line (masked,
 * trimmed) — never the finding's own line number.
 */
function identity(d: PresentedDiagnostic): string {
  const message = d.message.replace(/:\d+\b/g, ':').replace(/\blines? \d+\b/g, 'line');
  return [d.code, d.path, message, d.excerpt?.text.trim() ?? ''].join('\0');
}

export function codeQualityIssues(
  diagnostics: readonly PresentedDiagnostic[],
  rules: readonly Rule[],
): CodeQualityIssue[] {
  const byCode = new Map(rules.map((r) => [r.code, r]));
  const seen = new Map<string, number>();
  return diagnostics.map((d) => {
    const rule = byCode.get(d.code);
    const key = identity(d);
    // The same finding twice (two identical lines) gets its occurrence number in the hash.
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return {
      type: 'issue',
      check_name: d.code,
      description: `${d.code} ${d.message}`,
      categories: rule?.security ? ['Security'] : ['Bug Risk'],
      // Stable, so GitLab can tell a merge request's new findings from those already on the target branch.
      fingerprint: createHash('sha256').update(`${key}\0${occurrence}`).digest('hex'),
      severity: codeQualitySeverity(d.severity, rule),
      location: { path: d.path, lines: { begin: d.line, end: d.endLine } },
    };
  });
}

export function renderGitlab(diagnostics: readonly PresentedDiagnostic[], rules: readonly Rule[]): string {
  return JSON.stringify(codeQualityIssues(diagnostics, rules), null, 2) + '\n';
}
