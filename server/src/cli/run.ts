/** The CLI run: arguments → discovery → analysis (and fixes) per project → text/JSON/SARIF → exit code; all I/O goes through the given streams, the file system and nothing else. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyze, codeEnabled, type Analysis } from '../core/analyze';
import { fixAll } from '../core/fixes';
import { ParseCache, type ProjectInput } from '../core/layers/project';
import { findRule, RULES } from '../core/rules';
import { HELP_TEXT, parseCliArgs, UsageError, type LintCommand } from './args';
import { countDiagnostics, presentDiagnostics, SEVERITY_RANK, type PresentedDiagnostic } from './diagnostics';
import { discoverProjects, type DiscoveredProject } from '../node/discover';
import { explainJson, explainMarkdown } from './explain';
import { renderJson, type Stats } from './output-json';
import { renderGithub } from './output-github';
import { renderGitlab } from './output-gitlab';
import { renderProjectsJson, renderProjectsText } from './output-projects';
import { renderSarif } from './output-sarif';
import { renderSummary, renderText, type TextStyle } from './output-text';
import { displayPath } from '../node/paths';
import { Redactor } from './secrets';
import { TOOL_NAME, TOOL_VERSION } from './version';
import { VersionFileFinder } from '../node/version-files';
import { preserveLineEndings, unifiedDiff, writeAtomically, writeProblem } from './write-fixes';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** Whether stdout is a terminal (colour is used only there). */
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

function errorLine(io: CliIo, message: string): void {
  io.stderr(`${TOOL_NAME}: error: ${message}\n`);
}

function warningLine(io: CliIo, message: string): void {
  io.stderr(`${TOOL_NAME}: warning: ${message}\n`);
}

/** Runs the CLI; never throws for user mistakes (exit 2 with one line); internal errors propagate to main. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let command;
  try {
    command = parseCliArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    errorLine(io, e.hint ? `${e.message} (see --help)` : e.message);
    return EXIT_ERROR;
  }
  switch (command.command) {
    case 'help':
      io.stdout(HELP_TEXT);
      return EXIT_OK;
    case 'version':
      io.stdout(`${TOOL_NAME} ${TOOL_VERSION}\n`);
      return EXIT_OK;
    case 'explain': {
      const rule = /^DSL\d{3}$/.test(command.code) ? findRule(command.code) : undefined;
      if (!rule) {
        errorLine(io, `unknown rule code '${command.code}' (codes look like DSL104)`);
        return EXIT_ERROR;
      }
      io.stdout(command.format === 'json' ? explainJson(rule) : explainMarkdown(rule));
      return EXIT_OK;
    }
    case 'lint':
      return lint(command, io);
  }
}

/** Reads settings files relative to the working directory, once each; remembers why a read failed. */
class DiskReader {
  private readonly texts = new Map<string, string | undefined>();
  readonly failures = new Map<string, string>();

  constructor(private readonly cwd: string) {}

  read(file: string): string | undefined {
    if (!this.texts.has(file)) {
      let text: string | undefined;
      try {
        text = fs.readFileSync(path.resolve(this.cwd, file), 'utf8');
      } catch (e) {
        text = undefined;
        this.failures.set(file, describeFsError(e));
      }
      this.texts.set(file, text);
    }
    return this.texts.get(file);
  }
}

function describeFsError(e: unknown): string {
  const code =
    typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'is a directory',
    ENOTDIR: 'not a directory',
  };
  return known[code] ?? (e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e));
}

interface Timings {
  parseMs: number;
  evaluateMs: number;
  rulesMs: number;
}

interface ProjectJob {
  readonly root: string;
  readonly input: Omit<ProjectInput, 'readFile'>;
  readonly horizonVersionHint: DiscoveredProject['horizonVersionHint'];
  readonly versionFiles: readonly { path: string; text: string }[];
}

async function lint(cmd: LintCommand, io: CliIo): Promise<number> {
  const started = performance.now();
  const { cwd } = io;
  let failed = false;
  for (const [flag, codes] of [
    ['--select', cmd.options.select],
    ['--ignore', cmd.options.ignore],
  ] as const) {
    for (const code of codes) {
      if (!RULES.some((r) => codeEnabled(r.code, [code], [])))
        warningLine(io, `${flag} ${code} matches no rule`);
    }
  }

  const discovery = await discoverProjects(cmd.paths, {
    ...(cmd.horizonSettings !== undefined ? { horizonSettings: cmd.horizonSettings } : {}),
    forceHorizon: cmd.options.horizonRelease !== '' || cmd.horizonSettings !== undefined,
    cwd,
  });
  const errors = discovery.errors.map((e) => ({ path: displayPath(e.path, cwd), message: e.message }));
  for (const e of errors) {
    errorLine(io, `${e.path}: ${e.message}`);
    failed = true;
  }
  if (discovery.projects.length === 0 && discovery.errors.length === 0) {
    warningLine(io, `no Django settings files found in ${cmd.paths.join(', ')}`);
  }

  const disk = new DiskReader(cwd);
  const finder = new VersionFileFinder(cwd);
  const jobs: ProjectJob[] = discovery.projects.map((p) => {
    const root = displayPath(p.root, cwd);
    return {
      root,
      input: {
        root,
        kind: p.kind,
        layers: p.layers.map((l) => ({ path: displayPath(l.path, cwd), role: l.role })),
      },
      horizonVersionHint: p.horizonVersionHint,
      versionFiles: finder.filesFor(root),
    };
  });
  // A settings file that exists but cannot be read is an error (exit 2), not a silently empty layer.
  const reported = new Set<string>();
  for (const job of jobs) {
    for (const layer of job.input.layers) {
      if (disk.read(layer.path) === undefined && !reported.has(layer.path)) {
        reported.add(layer.path);
        errorLine(io, `${layer.path}: ${disk.failures.get(layer.path) ?? 'cannot be read'}`);
        failed = true;
      }
    }
  }

  const timings: Timings = { parseMs: 0, evaluateMs: 0, rulesMs: 0 };
  if (cmd.showProjects) {
    const found = jobs.map((job) => analyzeProject(job, cmd, (f) => disk.read(f)));
    io.stdout(cmd.format === 'json' ? renderProjectsJson(found, errors) : renderProjectsText(found));
    return failed ? EXIT_ERROR : EXIT_OK;
  }
  const cache = new ParseCache();
  const analyzeJob = (job: ProjectJob, readFile: (file: string) => string | undefined): Analysis => {
    const a = analyzeProject(job, cmd, readFile, cache);
    timings.parseMs += a.timings.parseMs;
    timings.evaluateMs += a.timings.evaluateMs;
    timings.rulesMs += a.timings.rulesMs;
    return a;
  };

  const redactor = new Redactor();
  // New texts of fixed files, by display path; every later read (other projects, the final report) sees them.
  const fixed = new Map<string, string>();
  const read = (file: string): string | undefined => fixed.get(file) ?? disk.read(file);
  let applied = 0;
  if (cmd.fix) {
    for (const job of jobs) {
      const result = fixAll((overlay) => analyzeJob(job, (f) => overlay.get(f) ?? read(f)), read, {
        unsafe: cmd.options.unsafeFixes,
      });
      redactor.addAnalysis(result.analysis);
      for (const [file, text] of result.changed) {
        const original = disk.read(file);
        if (original !== undefined) fixed.set(file, preserveLineEndings(original, text));
      }
      applied += result.applied;
      if (result.diverged)
        warningLine(
          io,
          `fixes in ${job.root} kept changing the files after several rounds; please report this`,
        );
    }
  }
  const changedFiles = [...fixed]
    .filter(([file, text]) => disk.read(file) !== text)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  if (cmd.diff) {
    // Diffs show the user's own files; see unifiedDiff for why they are not masked.
    for (const [file, text] of changedFiles) io.stdout(unifiedDiff(file, disk.read(file) ?? '', text));
    if (!cmd.quiet) {
      io.stderr(
        changedFiles.length > 0
          ? `Would apply ${plural(applied, 'fix', 'fixes')} to ${plural(changedFiles.length, 'file', 'files')}.\n`
          : 'No fixes available.\n',
      );
    }
    writeStats(cmd, io, timings, countFiles(jobs), started);
    return failed ? EXIT_ERROR : changedFiles.length > 0 ? EXIT_FINDINGS : EXIT_OK;
  }

  let written = 0;
  const writtenReal = new Map<string, string>();
  for (const [file, text] of changedFiles) {
    const abs = path.resolve(cwd, file);
    const problem = writeProblem(abs, disk.read(file) ?? '');
    let real = abs;
    try {
      real = fs.realpathSync(abs);
    } catch {
      // writeProblem has reported it.
    }
    if (problem) {
      errorLine(io, `${file}: ${problem}`);
      failed = true;
      continue;
    }
    const before = writtenReal.get(real);
    if (before !== undefined) {
      // The same file reached through two paths: it was written once already, from the first one.
      if (before !== text) {
        errorLine(io, `${file}: same file as another fixed path, with different fixes; left as fixed there`);
        failed = true;
      }
      continue;
    }
    try {
      writeAtomically(abs, text);
      writtenReal.set(real, text);
      written++;
    } catch (e) {
      errorLine(io, `${file}: cannot write: ${describeFsError(e)}`);
      failed = true;
    }
  }

  // What remains: the texts as they are now on disk (or would be, for files that failed to write).
  const analyses = jobs.map((job) => analyzeJob(job, read));
  if (cmd.debug) io.stderr(renderProjectsText(analyses));
  for (const a of analyses) redactor.addAnalysis(a);
  const diagnostics = presentDiagnostics(analyses, redactor);
  const files = countFiles(jobs);
  const stats: Stats = { files, ...timings, totalMs: performance.now() - started };

  if (cmd.fix && !cmd.quiet && (applied > 0 || cmd.format === 'text')) {
    const line = `Applied ${plural(applied, 'fix', 'fixes')} to ${plural(written, 'file', 'files')}.\n`;
    if (cmd.format === 'text') io.stdout(line);
    else io.stderr(line);
  }
  switch (cmd.format) {
    case 'json':
      io.stdout(
        renderJson(
          analyses.map((analysis) => ({ analysis, redactor })),
          diagnostics,
          cmd.stats ? stats : undefined,
        ),
      );
      break;
    case 'sarif':
      io.stdout(renderSarif({ diagnostics, rules: RULES, cwd, errors }));
      break;
    case 'github':
      io.stdout(renderGithub(diagnostics));
      break;
    case 'gitlab':
      io.stdout(renderGitlab(diagnostics, RULES));
      break;
    case 'text': {
      const style: TextStyle = { color: useColor(cmd, io) };
      const body = renderText(diagnostics, style);
      if (body !== '') io.stdout(body + (cmd.quiet ? '' : '\n'));
      // Every path failed (the error lines say so): a "0 files" summary would only add noise.
      if (!cmd.quiet && !(failed && jobs.length === 0))
        io.stdout(renderSummary(countDiagnostics(diagnostics, cmd.options.unsafeFixes), files, style));
      break;
    }
  }
  if (cmd.format !== 'json') writeStats(cmd, io, timings, files, started);
  if (failed) return EXIT_ERROR;
  return failsOn(diagnostics, cmd.failOn) ? EXIT_FINDINGS : EXIT_OK;
}

function analyzeProject(
  job: ProjectJob,
  cmd: LintCommand,
  readFile: (file: string) => string | undefined,
  cache?: ParseCache,
): Analysis {
  return analyze({
    project: { ...job.input, readFile },
    options: cmd.options,
    versionFiles: job.versionFiles,
    horizonVersionHint: job.horizonVersionHint,
    ...(cache !== undefined ? { cache } : {}),
  });
}

/** `--fail-on`: any diagnostic at or above the threshold; `never` never fails; hints never fail. */
export function failsOn(diagnostics: readonly PresentedDiagnostic[], failOn: LintCommand['failOn']): boolean {
  if (failOn === 'never') return false;
  const threshold = SEVERITY_RANK[failOn];
  return diagnostics.some((d) => SEVERITY_RANK[d.severity] <= threshold);
}

function useColor(cmd: LintCommand, io: CliIo): boolean {
  // https://no-color.org: any non-empty NO_COLOR turns colour off; so does a dumb terminal.
  return io.isTTY && !cmd.noColor && !io.env['NO_COLOR'] && io.env['TERM'] !== 'dumb';
}

/** Distinct settings files checked (layer files, not the modules they import). */
function countFiles(jobs: readonly ProjectJob[]): number {
  return new Set(jobs.flatMap((j) => j.input.layers.map((l) => l.path))).size;
}

/** `--stats` for text/SARIF (and --diff) goes to stderr, so stdout stays the report. */
function writeStats(cmd: LintCommand, io: CliIo, t: Timings, files: number, started: number): void {
  if (!cmd.stats) return;
  const ms = (n: number): string => `${n.toFixed(1)} ms`;
  io.stderr(
    `stats: ${plural(files, 'file', 'files')}; parse ${ms(t.parseMs)}, evaluate ${ms(t.evaluateMs)}, rules ${ms(t.rulesMs)}; total ${ms(performance.now() - started)}\n`,
  );
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
