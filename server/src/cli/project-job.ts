/** One project of a CLI run as plain data (a `ProjectJob`, cloneable to a worker thread), its analysis, and what the report needs of it (`ProjectOutcome`, plain data too). */
import * as path from 'node:path';
import { analyze, type Analysis } from '../core/analyze';
import type { Options } from '../core/options';
import type { ParseCache, ProjectInput } from '../core/layers/project';
import type { InstalledModules } from '../core/rules/framework';
import { configFiltered, type LoadedConfig } from '../node/config';
import type { DiscoveredProject } from '../node/discover';
import { readSourceFile } from '../node/read-source';
import type { FailOn } from './args';
import { presentProject, type KeyedDiagnostic } from './diagnostics';
import { projectJson, type JsonProject } from './output-json';
import type { Redactor } from '../core/secrets';

export interface ProjectJob {
  readonly root: string;
  readonly options: Options;
  readonly failOn: FailOn;
  /** The configuration file nearest to the project's settings file, if any. */
  readonly config: LoadedConfig | undefined;
  readonly input: Omit<ProjectInput, 'readFile'>;
  readonly horizonVersionHint: DiscoveredProject['horizonVersionHint'];
  readonly versionFiles: readonly { path: string; text: string }[];
  readonly installedModules: InstalledModules | undefined;
}

/** Reads settings files relative to the working directory, once each; remembers why a read failed. */
export class DiskReader {
  private readonly texts = new Map<string, string | undefined>();
  readonly failures = new Map<string, string>();

  constructor(private readonly cwd: string) {}

  /** The text of `file` is this (stdin, or a text another thread read), whatever the disk holds. */
  provide(file: string, text: string): void {
    this.texts.set(file, text);
  }

  read(file: string): string | undefined {
    if (!this.texts.has(file)) {
      const read = readSourceFile(path.resolve(this.cwd, file));
      if ('error' in read) this.failures.set(file, read.error);
      this.texts.set(file, 'text' in read ? read.text : undefined);
    }
    return this.texts.get(file);
  }
}

/**
 * What a run's output does with the findings' fixes: `verified` shows or applies them (each fix re-analysed
 * with it applied first, core/fixes.ts verifyFixes), `none` shows none (GitLab's report, --show-projects): no
 * fix is verified, and every finding loses its fix, so none unverified can reach any output.
 */
export type FixUse = 'verified' | 'none';

export function analyzeProject(
  job: ProjectJob,
  readFile: (file: string) => string | undefined,
  cache?: ParseCache,
  fixes: FixUse = 'verified',
): Analysis {
  const a = analyze({
    project: { ...job.input, readFile },
    options: job.options,
    versionFiles: job.versionFiles,
    horizonVersionHint: job.horizonVersionHint,
    installedModules: job.installedModules,
    ...(cache !== undefined ? { cache } : {}),
    verifyFixes: fixes === 'verified',
    // The CLI shows the findings and the session settings alone: only what the rules read is evaluated.
    demand: true,
  });
  if (fixes === 'verified' || !a.findings.some((f) => f.fix)) return a;
  return { ...a, findings: a.findings.map((f) => (f.fix ? { ...f, fix: undefined } : f)) };
}

/** The analysis the report uses: the configuration file's per-file ignores and excludes applied. */
export function analyzeForReport(
  job: ProjectJob,
  readFile: (file: string) => string | undefined,
  cache: ParseCache | undefined,
  cwd: string,
  named: ReadonlySet<string>,
  fixes: FixUse = 'verified',
): Analysis {
  return configFiltered(
    analyzeProject(job, readFile, cache, fixes),
    job.config,
    (f) => path.resolve(cwd, f),
    named,
  );
}

/** What the report needs of one analysed project, masked with the redactor that knows every project's secrets. */
export interface ProjectOutcome {
  readonly presented: readonly KeyedDiagnostic[];
  /** Its entry of JSON's `projects`, when the format is JSON. */
  readonly json?: JsonProject;
}

export function projectOutcome(analysis: Analysis, redactor: Redactor, json: boolean): ProjectOutcome {
  const presented = presentProject(analysis, redactor);
  return json ? { presented, json: projectJson({ analysis, redactor }) } : { presented };
}
