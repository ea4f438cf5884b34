/** The `--format sarif` log (SARIF 2.1.0, for code-scanning uploads): every rule in tool.driver, one result per diagnostic, fixes as replacements; renders a string, no I/O. */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as sarif from 'sarif';
import { ruleUrl } from '../core/analyze';
import type { Rule } from '../core/rules/framework';
import type { Severity, SeverityOrOff } from '../core/types';
import type { Location, PresentedDiagnostic } from './diagnostics';
import { directoryUri, relativeUri } from '../node/paths';
import { TOOL_NAME, TOOL_URI, TOOL_VERSION } from '../node/version';

export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SRCROOT = '%SRCROOT%';

// SARIF has three result levels; hints and information are both notes (the severity stays in properties).
const LEVEL: Readonly<Record<SeverityOrOff, sarif.ReportingConfiguration.level>> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
  off: 'none',
};

function levelOf(severity: Severity): sarif.Result.level {
  return LEVEL[severity] as sarif.Result.level;
}

/** A display path as an artifact location: relative to %SRCROOT% (the working directory) when under it. */
function artifactLocation(p: string, cwd: string): sarif.ArtifactLocation {
  if (!path.isAbsolute(p) && !p.startsWith('..')) return { uri: relativeUri(p), uriBaseId: SRCROOT };
  return { uri: pathToFileURL(path.resolve(cwd, p)).href };
}

function region(l: Location): sarif.Region {
  return { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn };
}

function physical(l: Location, cwd: string): sarif.PhysicalLocation {
  return { artifactLocation: artifactLocation(l.path, cwd), region: region(l) };
}

/**
 * GitHub code scanning's security properties: `security-severity` (a numeric string) makes an alert a
 * security alert with a critical/high/medium/low rating, and `tags` become its filters (CWE tags as
 * `external/cwe/cwe-N`). Given on the rule and on each of its results.
 */
export function securityProperties(rule: Rule | undefined): Record<string, unknown> {
  if (!rule?.security) return {};
  return {
    'security-severity': rule.security.severity,
    tags: ['security', `external/cwe/cwe-${rule.security.cwe}`],
  };
}

function reportingDescriptor(rule: Rule): sarif.ReportingDescriptor {
  const d = rule.docs;
  const markdown = [
    d.what,
    `**Why:** ${d.why}`,
    `**Example:**\n\n\`\`\`python\n${d.example}\n\`\`\``,
    `**Use instead:**\n\n\`\`\`python\n${d.useInstead}\n\`\`\``,
    `**Fix safety:** ${d.fixSafety}`,
    ...(d.djangoCheck ? [`**Overlapping Django check:** ${d.djangoCheck}`] : []),
  ].join('\n\n');
  return {
    id: rule.code,
    name: rule.name,
    shortDescription: { text: rule.title },
    fullDescription: { text: d.what },
    help: { text: `${d.why}\n\nUse instead:\n${d.useInstead}`, markdown },
    helpUri: ruleUrl(rule.code),
    defaultConfiguration: {
      level: LEVEL[rule.severity.production],
      enabled: rule.severity.production !== 'off',
    },
    properties: {
      severity: { production: rule.severity.production, development: rule.severity.development },
      fix: rule.fix,
      ...(d.djangoCheck ? { djangoCheck: d.djangoCheck } : {}),
      ...securityProperties(rule),
    },
  };
}

function fixOf(d: PresentedDiagnostic, cwd: string): sarif.Fix[] | undefined {
  // A masked edit would write the mask into the file; code-scanning tools apply fixes, so leave it out.
  if (!d.fix || d.fix.redacted || d.fix.edits.length === 0) return undefined;
  const byPath = new Map<string, sarif.Replacement[]>();
  for (const e of d.fix.edits) {
    const list = byPath.get(e.path) ?? [];
    list.push({ deletedRegion: region(e), insertedContent: { text: e.newText } });
    byPath.set(e.path, list);
  }
  return [
    {
      description: { text: d.fix.applicability === 'unsafe' ? `${d.fix.title} (unsafe)` : d.fix.title },
      artifactChanges: [...byPath].map(([p, replacements]) => ({
        artifactLocation: artifactLocation(p, cwd),
        replacements,
      })),
      properties: { applicability: d.fix.applicability },
    },
  ];
}

export interface SarifInput {
  readonly diagnostics: readonly PresentedDiagnostic[];
  readonly rules: readonly Rule[];
  readonly cwd: string;
  /** Paths that could not be read: reported as tool execution notifications. */
  readonly errors: readonly { readonly path: string; readonly message: string }[];
}

export function sarifLog(input: SarifInput): sarif.Log {
  const ruleIndex = new Map(input.rules.map((r, i) => [r.code, i]));
  const results: sarif.Result[] = input.diagnostics.map((d) => {
    const index = ruleIndex.get(d.code);
    const result: sarif.Result = {
      ruleId: d.code,
      level: levelOf(d.severity),
      message: { text: d.message },
      locations: [{ physicalLocation: physical(d, input.cwd) }],
      properties: {
        severity: d.severity,
        name: d.name,
        ...securityProperties(index !== undefined ? input.rules[index] : undefined),
      },
    };
    if (index !== undefined) result.ruleIndex = index;
    if (d.related.length > 0) {
      result.relatedLocations = d.related.map((r, i) => ({
        id: i + 1,
        physicalLocation: physical(r, input.cwd),
        message: { text: r.message },
      }));
    }
    const fixes = fixOf(d, input.cwd);
    if (fixes) result.fixes = fixes;
    return result;
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: TOOL_VERSION,
            semanticVersion: TOOL_VERSION,
            informationUri: TOOL_URI,
            rules: input.rules.map(reportingDescriptor),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(input.cwd) } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: input.errors.length === 0,
            toolExecutionNotifications: input.errors.map((e) => ({
              level: 'error',
              message: { text: `${e.path}: ${e.message}` },
            })),
          },
        ],
        results,
      },
    ],
  };
}

export function renderSarif(input: SarifInput): string {
  return JSON.stringify(sarifLog(input), null, 2) + '\n';
}
