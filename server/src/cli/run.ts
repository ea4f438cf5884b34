/** The CLI run: arguments → discovery → analysis (and fixes) per project → text/JSON/SARIF → exit code; all I/O goes through the given streams, the file system and nothing else. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { codeEnabled, readsVersionFiles, type Analysis } from '../core/analyze';
import { suppressionEdit } from '../core/features/diagnostics';
import { fixAll } from '../core/fixes';
import type { Options } from '../core/options';
import { ParseCache } from '../core/layers/project';
import type { Finding } from '../core/types';
import { findRule, RULES } from '../core/rules';
import { ConfigFinder, formatProblem, mergedOptions, withFindings, type LoadedConfig } from '../node/config';
import { HELP_TEXT, parseCliArgs, UsageError, type LintCommand } from './args';
import { checkConnectionCommand } from './check-connection';
import { countDiagnostics, mergePresented, SEVERITY_RANK, type PresentedDiagnostic } from './diagnostics';
import type { DiscoveredProject } from '../node/discover';
import { discoverGroups, notExcluded, pathsByConfig } from './discovery';
import { explainJson, explainMarkdown } from './explain';
import { renderJsonDocument, type Stats } from './output-json';
import { renderGithub } from './output-github';
import { renderGitlab } from './output-gitlab';
import { renderProjectsJson, renderProjectsText } from './output-projects';
import { renderSarif } from './output-sarif';
import { renderSummary, renderText, visible, type TextStyle } from './output-text';
import { describeFsError } from '../node/file-errors';
import { displayPath } from '../node/paths';
import { Redactor } from '../core/secrets';
import { renderSettingsJson, renderSettingsText, resolveSettings } from './show-settings';
import { TOOL_NAME, TOOL_VERSION } from '../node/version';
import { VersionFileFinder } from '../node/version-files';
import { Progress, progressAfter } from './progress';
import { analyzeInParallel, threadCount } from './parallel';
import {
  analyzeForReport,
  analyzeProject,
  DiskReader,
  projectOutcome,
  type FixUse,
  type ProjectJob,
  type ProjectOutcome,
} from './project-job';
import { installedModulesFor } from '../node/site-packages';
import { preserveLineEndings, unifiedDiff, writeAtomically, writeProblem } from './write-fixes';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** Whether stdout is a terminal (colour is used only there). */
  readonly isTTY: boolean;
  /** Whether stderr is a terminal (a progress line is shown there during long runs). */
  readonly stderrIsTTY?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The whole of standard input (the path `-`). */
  readonly readStdin?: () => Promise<string>;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

// One line each, whatever a file name holds: control characters (ESC, BEL, newline) are shown escaped.
function errorLine(io: CliIo, message: string): void {
  io.stderr(`${TOOL_NAME}: error: ${visible(message)}\n`);
}

function warningLine(io: CliIo, message: string): void {
  io.stderr(`${TOOL_NAME}: warning: ${visible(message)}\n`);
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
    case 'check-connection':
      return checkConnectionCommand(command, io);
  }
}

interface Timings {
  parseMs: number;
  evaluateMs: number;
  rulesMs: number;
}

/** A path discovery reported on (an error or a warning), shown relative to the working directory. */
interface PathMessage {
  readonly path: string;
  readonly message: string;
}

/** What discovery found for the paths named (stdin standing in for its file), before anything is read. */
interface FoundProjects {
  /** Every project found, before `exclude` (the one for stdin text alone, when discovery cannot see its file). */
  readonly discovered: readonly DiscoveredProject[];
  /** The projects `exclude` keeps, each with the configuration that applies to it. */
  readonly kept: readonly { project: DiscoveredProject; config: LoadedConfig | undefined }[];
  /** Discovery's errors, paths as discovery gave them. */
  readonly errors: readonly PathMessage[];
  readonly warnings: readonly PathMessage[];
  /** The paths to look at: the command line's, or the one stdin stands for. */
  readonly paths: readonly string[];
  /** The named paths, absolute: `exclude` never leaves these out. */
  readonly named: ReadonlySet<string>;
}

/** The fixes of a --fix or --add-noqa run, not yet written. */
interface PlannedFixes {
  /** The texts every later read sees: fixed files' new texts by display path, else the file on disk. */
  readonly read: (file: string) => string | undefined;
  /** Fixed files whose text differs from the disk, by display path in path order. */
  readonly changedFiles: readonly (readonly [string, string])[];
  /** Fixes applied, over all projects. */
  readonly applied: number;
}

/** The `lint` command: discovery → jobs → fixes (written or shown as a diff) → analysis → report → exit code. */
async function lint(cmd: LintCommand, io: CliIo): Promise<number> {
  const started = performance.now();
  if (cmd.showSettings !== undefined) return showSettings(cmd, io);
  const disk = new DiskReader(io.cwd);
  warnUnmatchedCodes(cmd, io);
  const found = await findProjects(cmd, io, disk);
  if (typeof found === 'number') return found;
  const { errors, failed: discoveryFailed } = reportDiscovery(cmd, io, found);
  const jobs = await projectJobs(cmd, io.cwd, found.kept);
  let failed = reportUnreadableLayers(io, jobs, disk) || discoveryFailed;

  const timings: Timings = { parseMs: 0, evaluateMs: 0, rulesMs: 0 };
  if (cmd.showProjects) {
    // The listing shows no finding: no fix is verified.
    const analyses = jobs.map((job) => analyzeProject(job, (f) => disk.read(f), undefined, 'none'));
    io.stdout(cmd.format === 'json' ? renderProjectsJson(analyses, errors) : renderProjectsText(analyses));
    return failed ? EXIT_ERROR : EXIT_OK;
  }
  const cache = new ParseCache();
  const analyzeJob = (
    job: ProjectJob,
    readFile: (file: string) => string | undefined,
    fixes: FixUse = 'verified',
  ): Analysis => {
    const a = analyzeForReport(job, readFile, cache, io.cwd, found.named, fixes);
    addTimings(timings, a.timings);
    return a;
  };
  const progress = new Progress(
    io.stderr,
    io.stderrIsTTY === true && !cmd.quiet,
    started,
    () => performance.now(),
    progressAfter(io.env),
  );
  const redactor = new Redactor();
  const fixes = planFixes(cmd, io, jobs, disk, { analyzeJob, progress, redactor });
  if (cmd.diff) {
    showDiff(cmd, io, fixes, disk);
    writeStats(cmd, io, timings, countFiles(jobs), started);
    return failed ? EXIT_ERROR : fixes.changedFiles.length > 0 ? EXIT_FINDINGS : EXIT_OK;
  }
  const write = writeFixes(io, fixes.changedFiles, disk);
  failed ||= write.failed;

  const outcomes = await analyzeJobs(cmd, io, jobs, {
    read: fixes.read,
    disk,
    named: found.named,
    analyzeJob,
    timings,
    progress,
    redactor,
  });
  const diagnostics = mergePresented(outcomes.map((o) => o.presented));
  const files = countFiles(jobs);
  const stats: Stats = { files, ...timings, totalMs: performance.now() - started };
  reportFixCount(cmd, io, fixes.applied, write.written);
  writeReport(cmd, io, { outcomes, diagnostics, errors, stats, failed, noJobs: jobs.length === 0 });
  if (cmd.format !== 'json') writeStats(cmd, io, timings, files, started);
  if (failed) return EXIT_ERROR;
  // Each project fails by its own --fail-on (its configuration file may set it).
  const fails = outcomes.some((o, i) => {
    const job = jobs[i];
    return job !== undefined && failsOn(mergePresented([o.presented]), job.failOn);
  });
  return fails ? EXIT_FINDINGS : EXIT_OK;
}

function addTimings(total: Timings, more: Timings): void {
  total.parseMs += more.parseMs;
  total.evaluateMs += more.evaluateMs;
  total.rulesMs += more.rulesMs;
}

/** A warning for each --select/--ignore code that matches no rule (a typo would otherwise select nothing). */
function warnUnmatchedCodes(cmd: LintCommand, io: CliIo): void {
  for (const [flag, codes] of [
    ['--select', cmd.options.select],
    ['--ignore', cmd.options.ignore],
  ] as const) {
    for (const code of codes) {
      if (!RULES.some((r) => codeEnabled(r.code, [code], [])))
        warningLine(io, `${flag} ${code} matches no rule`);
    }
  }
}

/**
 * The projects under the paths named (or the one stdin stands for, whose text the disk reader is given), with
 * their configurations; a configuration file's problems end the run (exit 2) before anything is analysed.
 */
async function findProjects(cmd: LintCommand, io: CliIo, disk: DiskReader): Promise<FoundProjects | number> {
  const { cwd } = io;
  const configs = new ConfigFinder();
  const stdinName = cmd.stdinFilename;
  const stdinText = stdinName !== undefined ? await (io.readStdin?.() ?? Promise.resolve('')) : undefined;
  const paths = stdinName !== undefined ? [stdinName] : cmd.paths;
  const configProblems = new Set<string>();
  const checkConfig = (config: LoadedConfig | undefined): void => {
    for (const p of config?.problems ?? [])
      configProblems.add(formatProblem({ ...p, file: displayPath(p.file, cwd) }));
  };

  // Discovery options come from the configuration found for each command-line path.
  const groups = pathsByConfig(configs, paths, cwd);
  for (const config of groups.keys()) checkConfig(config);
  if (configProblems.size > 0) return reportConfigProblems(io, configProblems);
  const found = await discoverGroups(cmd, groups, cwd);
  const discovered = [...found.projects];
  const errors = [...found.errors];
  if (stdinName !== undefined) {
    // The text stands for a file that may not exist: then it is a project of its own, named like it.
    const abs = path.resolve(cwd, stdinName);
    const has = discovered.some((p) => p.layers.some((l) => path.resolve(cwd, l.path) === abs));
    errors.splice(0, errors.length);
    if (!has) discovered.splice(0, discovered.length, standaloneProject(stdinName));
    for (const p of discovered)
      for (const l of p.layers) if (path.resolve(cwd, l.path) === abs) disk.provide(l.path, stdinText ?? '');
  }
  // `exclude` leaves out a project whose settings file it matches, unless that file was named explicitly.
  const named = new Set(paths.map((p) => path.resolve(cwd, p)));
  const kept = notExcluded(discovered, configs, named, cwd, checkConfig);
  if (configProblems.size > 0) return reportConfigProblems(io, configProblems);
  return { discovered, kept, errors, warnings: found.warnings, paths, named };
}

/**
 * Discovery's errors and warnings on stderr, and an error for an empty run or a named path that yields nothing;
 * the errors with display paths (for the report), and whether any error was written (exit 2).
 */
function reportDiscovery(
  cmd: LintCommand,
  io: CliIo,
  found: FoundProjects,
): { errors: readonly PathMessage[]; failed: boolean } {
  const { cwd } = io;
  let failed = false;
  const errors = found.errors.map((e) => ({ path: displayPath(e.path, cwd), message: e.message }));
  for (const e of errors) {
    errorLine(io, `${e.path}: ${e.message}`);
    failed = true;
  }
  for (const w of found.warnings) warningLine(io, `${displayPath(w.path, cwd)}: ${w.message}`);
  if (found.kept.length === 0 && found.errors.length === 0) {
    // The user named paths and nothing there can be analysed: a CI job must not pass on an empty run.
    errorLine(io, `no Django settings files found in ${cmd.paths.join(', ')}`);
    failed = true;
  } else if (cmd.stdinFilename === undefined) {
    // Each path named must yield something (a project, or an error saying why not), or it is named here.
    for (const arg of found.paths) {
      if (yieldsNothing(arg, cwd, found.discovered, found.errors)) {
        errorLine(io, `no Django settings files found in ${arg}`);
        failed = true;
      }
    }
  }
  return { errors, failed };
}

/** One job per project: display paths, options and --fail-on merged with its configuration, version hints. */
async function projectJobs(
  cmd: LintCommand,
  cwd: string,
  kept: FoundProjects['kept'],
): Promise<ProjectJob[]> {
  const finder = new VersionFileFinder(cwd);
  const jobs: ProjectJob[] = [];
  for (const { project: p, config } of kept) {
    const root = displayPath(p.root, cwd);
    const options = mergeOptions(cmd, config);
    jobs.push({
      root,
      config,
      options,
      failOn: cmd.given.includes('--fail-on') ? cmd.failOn : (config?.values['fail-on'] ?? cmd.failOn),
      input: {
        root,
        kind: p.kind,
        layers: p.layers.map((l) => ({ path: displayPath(l.path, cwd), role: l.role })),
      },
      horizonVersionHint: p.horizonVersionHint,
      // Found on disk only when the options leave a version to infer from them.
      versionFiles: readsVersionFiles(options, p.kind) ? finder.filesFor(root) : [],
      installedModules: await installedModulesFor(p, cwd),
    });
  }
  return jobs;
}

/** A settings file that exists but cannot be read is an error (exit 2), not a silently empty layer. */
function reportUnreadableLayers(io: CliIo, jobs: readonly ProjectJob[], disk: DiskReader): boolean {
  let failed = false;
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
  return failed;
}

/** How a run analyses a job (adding to its timings) and what the steps after discovery share. */
interface Analyzer {
  readonly analyzeJob: (
    job: ProjectJob,
    readFile: (file: string) => string | undefined,
    fixes?: FixUse,
  ) => Analysis;
  readonly progress: Progress;
  readonly redactor: Redactor;
}

/** --fix / --add-noqa: each project's fixes, on the texts earlier projects' fixes left; nothing written yet. */
function planFixes(
  cmd: LintCommand,
  io: CliIo,
  jobs: readonly ProjectJob[],
  disk: DiskReader,
  { analyzeJob, progress, redactor }: Analyzer,
): PlannedFixes {
  // New texts of fixed files, by display path; every later read (other projects, the final report) sees them.
  const fixed = new Map<string, string>();
  const read = (file: string): string | undefined => fixed.get(file) ?? disk.read(file);
  let applied = 0;
  if (cmd.fix || cmd.addNoqa) {
    for (const [i, job] of jobs.entries()) {
      progress.update(i, jobs.length, 'projects (fixing)');
      const analyzeOverlay = (overlay: ReadonlyMap<string, string>, fixes?: FixUse): Analysis =>
        analyzeJob(job, (f) => overlay.get(f) ?? read(f), fixes);
      // --add-noqa is a fix-all whose only fixes are suppression comments: it re-analyses until none is left.
      // Each finding's own fix is replaced there, so none is verified.
      const result = cmd.addNoqa
        ? fixAll((overlay) => withSuppressionFixes(analyzeOverlay(overlay, 'none'), ownFiles(job)), read, {
            unsafe: false,
          })
        : fixAll(analyzeOverlay, read, { unsafe: job.options.unsafeFixes });
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
  progress.clear();
  const changedFiles = [...fixed]
    .filter(([file, text]) => disk.read(file) !== text)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { read, changedFiles, applied };
}

/** --diff: the fixes as a unified diff on stdout, a count on stderr; nothing is written. */
function showDiff(cmd: LintCommand, io: CliIo, fixes: PlannedFixes, disk: DiskReader): void {
  const { changedFiles, applied } = fixes;
  // Diffs show the user's own files; see unifiedDiff for why they are not masked.
  for (const [file, text] of changedFiles) io.stdout(unifiedDiff(file, disk.read(file) ?? '', text));
  if (!cmd.quiet) {
    io.stderr(
      changedFiles.length > 0
        ? `Would apply ${plural(applied, 'fix', 'fixes')} to ${plural(changedFiles.length, 'file', 'files')}.\n`
        : 'No fixes available.\n',
    );
  }
}

/** Writes each fixed file once (atomically, keeping owner and mode); how many were written, and whether any failed. */
function writeFixes(
  io: CliIo,
  changedFiles: PlannedFixes['changedFiles'],
  disk: DiskReader,
): { written: number; failed: boolean } {
  let written = 0;
  let failed = false;
  const writtenReal = new Map<string, string>();
  for (const [file, text] of changedFiles) {
    const abs = path.resolve(io.cwd, file);
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
  return { written, failed };
}

/**
 * What remains: each project analysed on the texts as they are now on disk (or would be, for files that failed
 * to write). Many projects are analysed on worker threads too (./parallel.ts); the outcomes are the same plain
 * data either way.
 */
async function analyzeJobs(
  cmd: LintCommand,
  io: CliIo,
  jobs: readonly ProjectJob[],
  run: Analyzer & {
    readonly read: (file: string) => string | undefined;
    readonly disk: DiskReader;
    readonly named: ReadonlySet<string>;
    readonly timings: Timings;
  },
): Promise<readonly ProjectOutcome[]> {
  const { read, analyzeJob, progress, redactor } = run;
  const json = cmd.format === 'json';
  const fixes = reportFixUse(cmd);
  const threads =
    cmd.fix || cmd.addNoqa || cmd.debug
      ? 1
      : threadCount(
          cmd.threads,
          jobs.length,
          layerChars(jobs, (f) => run.disk.read(f)),
        );
  if (threads > 1) {
    const result = await analyzeInParallel({
      jobs,
      threads,
      cwd: io.cwd,
      named: run.named,
      json,
      fixes,
      text: read,
      analyzeHere: (job) => analyzeJob(job, read, fixes),
      progress: (done) => progress.update(done, jobs.length, 'projects'),
    });
    addTimings(run.timings, result.workerTimings);
    progress.clear();
    return result.outcomes;
  }
  const analyses = jobs.map((job, i) => {
    progress.update(i, jobs.length, 'projects');
    return analyzeJob(job, read, fixes);
  });
  progress.clear();
  if (cmd.debug) io.stderr(renderProjectsText(analyses));
  for (const a of analyses) redactor.addAnalysis(a);
  return analyses.map((a) => projectOutcome(a, redactor, json));
}

/**
 * What the report does with fixes: GitLab's code-quality report has no place for them, so they are not
 * verified; every other format shows each one (text and GitHub a help line and the fixable count, JSON and
 * SARIF the edits). Exit codes never depend on them; --fix plans with verified fixes whatever the format.
 */
function reportFixUse(cmd: LintCommand): FixUse {
  return cmd.format === 'gitlab' ? 'none' : 'verified';
}

/** "Applied N fixes to M files." (or the --add-noqa wording): on stdout in text format, else on stderr. */
function reportFixCount(cmd: LintCommand, io: CliIo, applied: number, written: number): void {
  if ((cmd.fix || cmd.addNoqa) && !cmd.quiet && (applied > 0 || cmd.format === 'text')) {
    const line = cmd.addNoqa
      ? `Added ${plural(applied, 'suppression comment', 'suppression comments')} to ${plural(written, 'file', 'files')}.\n`
      : `Applied ${plural(applied, 'fix', 'fixes')} to ${plural(written, 'file', 'files')}.\n`;
    if (cmd.format === 'text') io.stdout(line);
    else io.stderr(line);
  }
}

/** The report on stdout, in the format asked for. */
function writeReport(
  cmd: LintCommand,
  io: CliIo,
  report: {
    readonly outcomes: readonly ProjectOutcome[];
    readonly diagnostics: ReturnType<typeof mergePresented>;
    readonly errors: readonly PathMessage[];
    readonly stats: Stats;
    /** Whether an error line was written (a summary is then left out when no project was analysed). */
    readonly failed: boolean;
    readonly noJobs: boolean;
  },
): void {
  const { diagnostics } = report;
  switch (cmd.format) {
    case 'json':
      io.stdout(
        renderJsonDocument(
          report.outcomes.map((o) => o.json).filter((p) => p !== undefined),
          diagnostics,
          cmd.stats ? report.stats : undefined,
        ),
      );
      break;
    case 'sarif':
      io.stdout(renderSarif({ diagnostics, rules: RULES, cwd: io.cwd, errors: report.errors }));
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
      if (!cmd.quiet && !(report.failed && report.noJobs))
        io.stdout(
          renderSummary(countDiagnostics(diagnostics, cmd.options.unsafeFixes), report.stats.files, style),
        );
      break;
    }
  }
}

/** `--show-settings PATH`: the resolved configuration, masked like every other output. */
function showSettings(cmd: LintCommand, io: CliIo): number {
  const { resolved, problems } = resolveSettings(cmd, io.cwd);
  if (problems.length > 0) return reportConfigProblems(io, new Set(problems));
  const redactor = new Redactor();
  io.stdout(
    redactor.text(cmd.format === 'json' ? renderSettingsJson(resolved) : renderSettingsText(resolved)),
  );
  return EXIT_OK;
}

function reportConfigProblems(io: CliIo, problems: ReadonlySet<string>): number {
  for (const p of problems) errorLine(io, p);
  return EXIT_ERROR;
}

/** A project for text that stands for a file discovery cannot see: the file alone, kind by its name. */
function standaloneProject(name: string): DiscoveredProject {
  const horizon =
    /^local_settings(\.py)?$/.test(path.basename(name)) || name.split(/[\\/]/).includes('local_settings.d');
  const role = horizon
    ? path.basename(name).startsWith('local_settings')
      ? 'local_settings'
      : 'local_settings.d'
    : 'settings';
  return {
    root: path.dirname(name),
    kind: horizon ? 'horizon' : 'django',
    layers: [{ path: name, role, realPath: name }],
  };
}

/** Defaults ← configuration file ← flags given on the command line. */
function mergeOptions(cmd: LintCommand, config: LoadedConfig | undefined): Options {
  return mergedOptions(cmd.options, cmd.given, config);
}

/** The files --add-noqa may write: the project's own layers, never Horizon's own settings.py. */
function ownFiles(job: ProjectJob): ReadonlySet<string> {
  return new Set(
    job.input.layers.filter((l) => job.input.kind !== 'horizon' || l.role !== 'settings').map((l) => l.path),
  );
}

/** Each finding's fix replaced by the suppression comment for its first line (one per line and round). */
function withSuppressionFixes(a: Analysis, own: ReadonlySet<string>): Analysis {
  const taken = new Set<string>();
  const findings = a.findings.map((f): Finding => {
    const { fix: _fix, ...rest } = f;
    const lines = a.lines(f.span.file);
    if (!own.has(f.span.file) || !lines) return rest;
    const line = lines.positionAt(f.span.from).line;
    const key = `${f.span.file}\0${line}`;
    if (taken.has(key)) return rest;
    const edit = suppressionEdit(a, f.span.file, line, f.code);
    if (!edit) return rest;
    taken.add(key);
    return { ...rest, fix: { title: `ignore ${f.code}`, applicability: 'safe', edits: [edit] } };
  });
  return withFindings(a, findings);
}

/** `--fail-on`: any diagnostic at or above the threshold; `never` never fails; hints never fail. */
export function failsOn(diagnostics: readonly PresentedDiagnostic[], failOn: LintCommand['failOn']): boolean {
  if (failOn === 'never') return false;
  const threshold = SEVERITY_RANK[failOn];
  return diagnostics.some((d) => SEVERITY_RANK[d.severity] <= threshold);
}

/** FORCE_COLOR values that mean colour, as node's own colour detection (util.styleText, tty) reads them. */
const FORCE_COLOR_ON = new Set(['', '1', 'true', '2', '3']);

export function useColor(cmd: Pick<LintCommand, 'noColor'>, io: Pick<CliIo, 'isTTY' | 'env'>): boolean {
  if (cmd.noColor) return false;
  // As in node: a set FORCE_COLOR decides, whatever NO_COLOR and the terminal say; 0, false or any other
  // value turns colour off.
  const force = io.env['FORCE_COLOR'];
  if (force !== undefined) return FORCE_COLOR_ON.has(force);
  // https://no-color.org: any non-empty NO_COLOR turns colour off; so does a dumb terminal.
  return io.isTTY && !io.env['NO_COLOR'] && io.env['TERM'] !== 'dumb';
}

/**
 * Whether a path the user named led to no project and no reported problem: no layer, project root or error
 * lies inside it, and it lies inside no project (a file analysed through its importer counts as found).
 */
function yieldsNothing(
  arg: string,
  cwd: string,
  projects: readonly DiscoveredProject[],
  errors: readonly { path: string }[],
): boolean {
  const abs = path.resolve(cwd, arg);
  let real = abs;
  try {
    real = fs.realpathSync(abs);
  } catch {
    // Missing paths are reported by discovery.
  }
  const inside = (p: string, dir: string): boolean =>
    p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
  const under = (p: string): boolean =>
    inside(path.resolve(cwd, p), abs) || inside(path.resolve(cwd, p), real);
  for (const project of projects) {
    const root = path.resolve(cwd, project.root);
    if (under(project.root) || inside(abs, root) || inside(real, root)) return false;
    for (const l of project.layers) if (under(l.path) || under(l.realPath)) return false;
  }
  return !errors.some((e) => under(e.path));
}

/** Characters of the projects' layer files (each file once): the work a run has before it. */
function layerChars(jobs: readonly ProjectJob[], read: (file: string) => string | undefined): number {
  let chars = 0;
  for (const file of new Set(jobs.flatMap((j) => j.input.layers.map((l) => l.path))))
    chars += read(file)?.length ?? 0;
  return chars;
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
