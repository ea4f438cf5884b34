/**
 * Runs a connection plan: every endpoint in parallel, each bounded by the per-endpoint timeout, the whole
 * bounded by a hard cap; builds the report (secrets masked) that the CLI prints and the language server
 * returns. Contacts only the addresses in the plan.
 */
import type { Analysis } from '../core/analyze';
import { connectionPlan, type ConnectionPlan, type PlannedEndpoint } from '../core/connection-plan';
import type { Span } from '../core/types';
import { Redactor } from '../core/secrets';
import type { LoginResult } from './login';
import { probeEndpoint, type ProbeResult } from './probes';
import { addressText, type FailureCode } from './socket';

export const DEFAULT_TIMEOUT_MS = 3000;
/** Extra time the whole check may take beyond one endpoint's timeout before unfinished probes are abandoned. */
export const CAP_GRACE_MS = 500;

export type EndpointStatus = 'ok' | 'failed' | 'not-checked';

export interface WhereSet {
  readonly path: string;
  readonly line: number;
}

export interface EndpointReport {
  readonly status: EndpointStatus;
  readonly purposes: readonly string[];
  readonly setting: string;
  readonly setBy?: WhereSet;
  readonly protocol?: string;
  readonly backend?: string;
  /** `host:port` or a socket path (never a password); for Sentinel, the first sentinel. */
  readonly address?: string;
  /** Redis Sentinel: the master's service name and the sentinels asked for its address. */
  readonly sentinel?: { readonly service: string; readonly sentinels: readonly string[] };
  readonly tls?: boolean;
  readonly db?: number;
  /** The environment variable whose default gave the address ("if X is unset"). */
  readonly ifUnset?: string;
  readonly connectMs?: number;
  readonly rttMs?: number;
  readonly serverVersion?: string;
  readonly code?: FailureCode;
  readonly reason?: string;
  /** For not-checked endpoints: the variable to set. */
  readonly variable?: string;
  /** With `--login` (databases): `authenticated`, `authentication-failed` or `not-tried`, and why. */
  readonly login?: LoginResult;
  readonly notes: readonly string[];
}

export interface ProjectConnectionReport {
  readonly root: string;
  readonly engines: readonly string[];
  readonly endpoints: readonly EndpointReport[];
  readonly notes: readonly string[];
}

export interface CheckOptions {
  readonly timeoutMs: number;
  /** Log in to MySQL/MariaDB and PostgreSQL with DATABASES' USER/PASSWORD (only when the user asked). */
  readonly login?: boolean;
  /** Injected for tests of the cap; defaults to the real probe. */
  readonly probe?: (ep: PlannedEndpoint, timeoutMs: number, login: boolean) => Promise<ProbeResult>;
}

function capped(p: Promise<ProbeResult>, ms: number): Promise<ProbeResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cap = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          ok: false,
          code: 'timeout',
          message: `timed out: no result within ${ms} ms`,
          notes: [],
        }),
      ms,
    );
  });
  return Promise.race([p, cap]).finally(() => clearTimeout(timer));
}

/** Probes every endpoint of the plans at once; resolves within timeout + CAP_GRACE_MS. */
export async function runPlans(
  plans: readonly ConnectionPlan[],
  options: CheckOptions,
): Promise<ProbeResult[][]> {
  const probe = options.probe ?? probeEndpoint;
  const cap = options.timeoutMs + CAP_GRACE_MS;
  return Promise.all(
    plans.map((plan) =>
      Promise.all(
        plan.endpoints.map((ep) =>
          capped(
            probe(ep, options.timeoutMs, options.login === true).catch((e: unknown): ProbeResult => ({
              ok: false,
              code: 'error',
              message: e instanceof Error ? e.message : String(e),
              notes: [],
            })),
            cap,
          ),
        ),
      ),
    ),
  );
}

function round(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.round(ms * 10) / 10;
}

/** The report of one project: endpoints in plan order (checked first, then not checked), every text masked. */
export function projectReport(
  root: string,
  analysis: Analysis,
  plan: ConnectionPlan,
  results: readonly ProbeResult[],
  redactor: Redactor,
): ProjectConnectionReport {
  for (const ep of plan.endpoints) {
    if (ep.password !== undefined) redactor.add(ep.password);
    if (ep.sentinel?.password !== undefined) redactor.add(ep.sentinel.password);
  }
  const m = (s: string): string => redactor.text(s);
  const setBy = (span: Span | undefined): WhereSet | undefined =>
    span ? { path: span.file, line: analysis.lineOf(span) } : undefined;
  const endpoints: EndpointReport[] = [];
  for (const [i, ep] of plan.endpoints.entries()) {
    const r = results[i] ?? { ok: false, code: 'error' as const, message: 'not run', notes: [] };
    const where = setBy(ep.span);
    const connectMs = round(r.connectMs);
    const rttMs = round(r.rttMs);
    endpoints.push({
      status: r.ok ? 'ok' : 'failed',
      purposes: ep.purposes,
      setting: m(ep.setting),
      ...(where ? { setBy: where } : {}),
      protocol: ep.protocol,
      backend: m(ep.backend),
      address: m(addressText(ep.address)),
      ...(ep.sentinel
        ? {
            sentinel: {
              service: m(ep.sentinel.service),
              sentinels: ep.sentinel.sentinels.map((a) => m(addressText(a))),
            },
          }
        : {}),
      ...(ep.tls ? { tls: true } : {}),
      ...(ep.db !== undefined ? { db: ep.db } : {}),
      ...(ep.ifUnset ? { ifUnset: ep.ifUnset } : {}),
      ...(connectMs !== undefined ? { connectMs } : {}),
      ...(rttMs !== undefined ? { rttMs } : {}),
      ...(r.serverVersion ? { serverVersion: m(r.serverVersion) } : {}),
      ...(r.code ? { code: r.code } : {}),
      ...(r.message ? { reason: m(r.message) } : {}),
      ...(r.login
        ? {
            login: {
              result: r.login.result,
              ...(r.login.user !== undefined ? { user: m(r.login.user) } : {}),
              ...(r.login.method ? { method: r.login.method } : {}),
              detail: m(r.login.detail),
            },
          }
        : {}),
      notes: r.notes.map(m),
    });
  }
  for (const u of plan.unchecked) {
    const where = setBy(u.span);
    endpoints.push({
      status: 'not-checked',
      purposes: u.purposes,
      setting: m(u.setting),
      ...(where ? { setBy: where } : {}),
      reason: m(u.reason),
      ...(u.variable ? { variable: u.variable } : {}),
      notes: [],
    });
  }
  return { root, engines: plan.engines.map(m), endpoints, notes: plan.notes.map(m) };
}

/** Plans, probes and reports a set of analysed projects. */
export async function checkConnections(
  projects: readonly { root: string; analysis: Analysis }[],
  options: CheckOptions,
  redactor: Redactor = new Redactor(),
): Promise<ProjectConnectionReport[]> {
  for (const p of projects) redactor.addAnalysis(p.analysis);
  const plans = projects.map((p) => connectionPlan(p.analysis));
  const results = await runPlans(plans, options);
  return projects.map((p, i) =>
    projectReport(p.root, p.analysis, plans[i] ?? emptyPlan(), results[i] ?? [], redactor),
  );
}

function emptyPlan(): ConnectionPlan {
  return { engines: [], endpoints: [], unchecked: [], notes: [] };
}

export interface ConnectionSummary {
  readonly ok: number;
  readonly failed: number;
  readonly notChecked: number;
}

/** Reachable databases whose login was asked for but could not be tried or finished. */
export function loginsNotTried(reports: readonly ProjectConnectionReport[]): number {
  return reports.reduce(
    (n, r) => n + r.endpoints.filter((e) => e.status === 'ok' && e.login?.result === 'not-tried').length,
    0,
  );
}

export function summarize(reports: readonly ProjectConnectionReport[]): ConnectionSummary {
  let ok = 0;
  let failed = 0;
  let notChecked = 0;
  for (const r of reports)
    for (const e of r.endpoints) {
      if (e.status === 'ok') ok++;
      else if (e.status === 'failed') failed++;
      else notChecked++;
    }
  return { ok, failed, notChecked };
}

// ------------------------------------------------------------------ rendering

function ms(n: number | undefined): string {
  return n === undefined ? '' : `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`;
}

function endpointLine(e: EndpointReport): string {
  const what = e.sentinel
    ? `${e.protocol ?? ''} master '${e.sentinel.service}' via sentinel ${e.sentinel.sentinels.join(', ')}`
    : `${e.protocol ?? ''} ${e.address ?? ''}`.trim();
  const via = `${e.setting}${e.setBy ? `, ${e.setBy.path}:${e.setBy.line}` : ''}${e.ifUnset ? `, if ${e.ifUnset} is unset` : ''}`;
  const extras = [e.tls ? 'TLS' : '', e.db !== undefined && e.db !== 0 ? `db ${e.db}` : ''].filter(Boolean);
  const head = `${what}${extras.length ? ` (${extras.join(', ')})` : ''}`;
  const login = e.login && e.status === 'ok' ? `${e.login.detail}, ` : '';
  if (e.status === 'ok')
    return `ok           ${head}: ${e.serverVersion ? `version ${e.serverVersion}, ` : ''}${login}round trip ${ms(e.rttMs)} (connect ${ms(e.connectMs)}) — ${e.purposes.join(', ')}; ${via}`;
  if (e.status === 'failed')
    return `FAILED       ${head}: ${e.reason ?? 'failed'} — ${e.purposes.join(', ')}; ${via}`;
  return `not checked  ${e.setting}: ${e.reason ?? ''}${e.variable ? ` (set ${e.variable} to check it)` : ''} — ${e.purposes.join(', ')}`;
}

/** Plain text: one line per endpoint, notes indented, a summary line. */
export function renderConnectionText(reports: readonly ProjectConnectionReport[], quiet = false): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`${r.root}: SESSION_ENGINE ${r.engines.length ? r.engines.join(' or ') : 'unknown'}`);
    for (const e of r.endpoints) {
      out.push(`  ${endpointLine(e)}`);
      for (const n of e.notes) out.push(`               note: ${n}`);
    }
    for (const n of r.notes) out.push(`  note: ${n}`);
    if (r.endpoints.length === 0) out.push('  nothing to contact');
  }
  if (!quiet) {
    const s = summarize(reports);
    out.push(`${s.ok} reachable, ${s.failed} failed, ${s.notChecked} not checked`);
  }
  return out.join('\n') + '\n';
}

/** Markdown for the editor: a table per project. */
export function renderConnectionMarkdown(reports: readonly ProjectConnectionReport[]): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const out: string[] = ['# Session storage connection check', ''];
  for (const r of reports) {
    out.push(
      `**${cell(r.root)}** — SESSION_ENGINE ${r.engines.length ? r.engines.map((e) => `\`${e}\``).join(' or ') : 'unknown'}`,
      '',
    );
    if (r.endpoints.length > 0) {
      out.push('| Result | Server | Version | Round trip | Why | Setting |', '|---|---|---|---|---|---|');
      for (const e of r.endpoints) {
        const result =
          e.status === 'ok' ? '✅ reachable' : e.status === 'failed' ? '❌ failed' : '➖ not checked';
        const server = e.sentinel
          ? `${e.protocol ?? ''} master \`${cell(e.sentinel.service)}\` via sentinel ${e.sentinel.sentinels.map((a) => `\`${cell(a)}\``).join(', ')}`
          : e.address
            ? `${e.protocol ?? ''} \`${cell(e.address)}\`${e.tls ? ' (TLS)' : ''}`
            : '—';
        const why = [
          e.status === 'ok' ? (e.login?.detail ?? '') : (e.reason ?? ''),
          e.variable ? `set ${e.variable} to check it` : '',
          ...e.notes,
        ].filter(Boolean);
        const setting = `${e.setting}${e.setBy ? ` (${e.setBy.path}:${e.setBy.line})` : ''}${e.ifUnset ? `, if ${e.ifUnset} is unset` : ''}; for ${e.purposes.join(', ')}`;
        out.push(
          `| ${result} | ${server} | ${cell(e.serverVersion ?? '')} | ${ms(e.rttMs)} | ${cell(why.join('; '))} | ${cell(setting)} |`,
        );
      }
      out.push('');
    }
    for (const n of r.notes) out.push(`- ${cell(n)}`);
    if (r.notes.length > 0) out.push('');
  }
  const s = summarize(reports);
  out.push(`${s.ok} reachable, ${s.failed} failed, ${s.notChecked} not checked.`, '');
  return out.join('\n');
}
