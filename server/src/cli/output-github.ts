/** `--format github`: one GitHub Actions workflow command per diagnostic (`::error file=…,line=…::message`), which the runner turns into an annotation on the line, as ruff's github format does; renders a string, no I/O. */
import type { Severity } from '../core/types';
import type { PresentedDiagnostic } from './diagnostics';
import { visible } from './output-text';

const COMMAND: Readonly<Record<Severity, 'error' | 'warning' | 'notice'>> = {
  error: 'error',
  warning: 'warning',
  information: 'notice',
  hint: 'notice',
};

/** A command's message, escaped as @actions/core does (`%`, CR and LF), so it can never end the line. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command's property value: as the message, and `:` and `,` too (they separate properties). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function githubAnnotation(d: PresentedDiagnostic): string {
  const props = [
    `file=${escapeProperty(d.path)}`,
    `line=${d.line}`,
    `col=${d.column}`,
    `endLine=${d.endLine}`,
    `endColumn=${d.endColumn}`,
    `title=${escapeProperty(`${d.code} (${d.name})`)}`,
  ].join(',');
  // Control characters from a settings file are shown, not passed on; line breaks are ours and escaped.
  const lines = [`${d.code} ${visible(d.message)}`];
  if (d.fix) {
    const unsafe = d.fix.applicability === 'unsafe' ? ' (unsafe)' : '';
    lines.push(`help: ${visible(d.fix.title)}${unsafe}`);
  }
  for (const r of d.related) lines.push(`note: ${visible(r.message)}: ${visible(r.path)}:${r.line}`);
  return `::${COMMAND[d.severity]} ${props}::${escapeData(lines.join('\n'))}\n`;
}

export function renderGithub(diagnostics: readonly PresentedDiagnostic[]): string {
  return diagnostics.map(githubAnnotation).join('');
}
