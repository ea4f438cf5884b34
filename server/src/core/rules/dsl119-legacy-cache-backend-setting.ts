/** DSL119: the pre-Django-1.3 CACHE_BACKEND URI setting, which every supported Django ignores; the fix converts it into an equivalent CACHES. */
import {
  CACHES,
  CACHE_BACKEND,
  CACHE_BACKEND_REMOVED_IN,
  CACHE_KEY_BACKEND,
  CACHE_KEY_LOCATION,
  CACHE_KEY_OPTIONS,
  CACHE_KEY_TIMEOUT,
  DEFAULT_ALIAS,
  LEGACY_CACHE_URI_BACKENDS,
  LEGACY_CACHE_URI_CULL_FREQUENCY,
  LEGACY_CACHE_URI_MAX_ENTRIES,
  LEGACY_CACHE_URI_MEMCACHED,
  LEGACY_CACHE_URI_SERVER_SEPARATOR,
  LEGACY_CACHE_URI_TIMEOUT,
  LOCMEM,
  MEMCACHED_CACHE,
  OPTION_CULL_FREQUENCY,
  OPTION_MAX_ENTRIES,
  PYMEMCACHE,
  findCacheBackend,
  maskUrlPassword,
} from '../knowledge';
import { isAtLeastMinor } from '../knowledge/versions';
import { toPyData, type PyData } from '../evaluate/values';
import { pythonStringLiteral } from '../python/strings';
import type { RelatedLocation, TextEdit } from '../types';
import { defineRule, ifUnsetSuffix, knownStrings, type RuleContext } from './framework';
import { titleNaming } from './memcached-choice';
import { whereSet } from './cache-aliases';
import { lineStartOf } from '../edits/lines';
import { sessionStorage } from '../queries/session-storage';

interface LegacyUri {
  readonly scheme: string;
  readonly host: string;
  readonly params: readonly (readonly [string, string])[];
}

/** Django 1.2's `parse_backend_uri`: `scheme://host[/][?query]`. */
export function parseLegacyCacheUri(uri: string): LegacyUri | undefined {
  const colon = uri.indexOf(':');
  if (colon < 0) return undefined;
  const scheme = uri.slice(0, colon);
  const rest = uri.slice(colon + 1);
  if (!rest.startsWith('//')) return undefined;
  const q = rest.indexOf('?');
  let host = q >= 0 ? rest.slice(2, q) : rest.slice(2);
  const params =
    q >= 0 ? [...new URLSearchParams(rest.slice(q + 1)).entries()].filter(([, v]) => v !== '') : [];
  if (host.endsWith('/')) host = host.slice(0, -1);
  return { scheme, host, params };
}

type Entry = Record<string, PyData>;

/**
 * The CACHES entry equivalent to a CACHE_BACKEND URI, or undefined when it cannot be converted faithfully
 * (unknown scheme, unknown or non-numeric parameter, a file/db URI without a path or table).
 */
export function convertLegacyUri(uri: LegacyUri, ctx: Pick<RuleContext, 'django'>): Entry | undefined {
  const target = LEGACY_CACHE_URI_BACKENDS[uri.scheme];
  if (!target) return undefined;
  const memcached = uri.scheme === LEGACY_CACHE_URI_MEMCACHED;
  // Django's memcached bindings: python-memcached (MemcachedCache) before 3.2, pymemcache from 3.2 on.
  const added = findCacheBackend(PYMEMCACHE)?.djangoAdded;
  const backend = memcached
    ? ctx.django && added && !isAtLeastMinor(ctx.django, added)
      ? MEMCACHED_CACHE
      : PYMEMCACHE
    : target;
  const entry: Entry = { [CACHE_KEY_BACKEND]: backend };
  if (memcached) {
    const servers = uri.host.split(LEGACY_CACHE_URI_SERVER_SEPARATOR).filter((s) => s !== '');
    if (servers.length === 0) return undefined;
    entry[CACHE_KEY_LOCATION] = servers.length === 1 ? (servers[0] as string) : servers;
  } else if (target === LEGACY_CACHE_URI_BACKENDS['file'] || target === LEGACY_CACHE_URI_BACKENDS['db']) {
    if (uri.host === '') return undefined;
    entry[CACHE_KEY_LOCATION] = uri.host;
  } else if (target === LOCMEM && uri.host !== '') {
    entry[CACHE_KEY_LOCATION] = uri.host;
  }
  const options: Entry = {};
  for (const [name, raw] of uri.params) {
    if (!/^-?\d+$/.test(raw)) return undefined;
    const n = Number(raw);
    if (name === LEGACY_CACHE_URI_TIMEOUT) entry[CACHE_KEY_TIMEOUT] = n;
    else if (name === LEGACY_CACHE_URI_MAX_ENTRIES || name === LEGACY_CACHE_URI_CULL_FREQUENCY) {
      // Only the culling backends ever read these; memcached and dummy ignored them, and would now pass them to a client.
      if (
        target !== LOCMEM &&
        target !== LEGACY_CACHE_URI_BACKENDS['file'] &&
        target !== LEGACY_CACHE_URI_BACKENDS['db']
      )
        continue;
      options[name === LEGACY_CACHE_URI_MAX_ENTRIES ? OPTION_MAX_ENTRIES : OPTION_CULL_FREQUENCY] = n;
    } else return undefined;
  }
  if (Object.keys(options).length > 0) entry[CACHE_KEY_OPTIONS] = options;
  return entry;
}

/** Python source for JSON-like data (single line). */
function pySource(d: PyData): string {
  if (d === null) return 'None';
  if (typeof d === 'boolean') return d ? 'True' : 'False';
  if (typeof d === 'number') return String(d);
  if (typeof d === 'string') return pythonStringLiteral(d);
  if (Array.isArray(d)) return `[${(d as readonly PyData[]).map(pySource).join(', ')}]`;
  const o = d as { readonly [k: string]: PyData };
  return `{${Object.keys(o)
    .map((k) => `${pythonStringLiteral(k)}: ${pySource(o[k] as PyData)}`)
    .join(', ')}}`;
}

function sameData(a: PyData | undefined, b: PyData | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x: PyData, i: number) => sameData(x, (b as readonly PyData[])[i]));
  }
  const ao = a as { readonly [k: string]: PyData };
  const bo = b as { readonly [k: string]: PyData };
  const ak = Object.keys(ao).sort();
  const bk = Object.keys(bo).sort();
  return ak.length === bk.length && ak.every((k, i) => k === bk[i] && sameData(ao[k], bo[k]));
}

export default defineRule({
  code: 'DSL119',
  name: 'legacy-cache-backend-setting',
  title: 'Legacy CACHE_BACKEND setting',
  severity: { production: 'error', development: 'error' },
  versionDependent: false,
  fix: 'unsafe',
  docs: {
    what: "A settings file assigns `CACHE_BACKEND` (the URI form such as `'memcached://127.0.0.1:11211/'` or `'locmem://'`), which Django replaced by CACHES in 1.3 and stopped reading in 1.5.",
    why: "Every supported Django ignores CACHE_BACKEND without a warning, so the project silently runs on whatever CACHES says — Django's per-process LocMemCache when CACHES is unset, or Horizon's default memcached on 127.0.0.1:11211 — while the file suggests another cache. With cache sessions that decides whether logins survive across workers and hosts.",
    example: "CACHE_BACKEND = 'memcached://10.0.0.11:11211/'",
    useInstead:
      "CACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.11:11211'}}",
    fixSafety:
      "The fix replaces the assignment with the equivalent CACHES (`locmem://`, `memcached://h:p/` (several servers separated by ';'), `file:///path`, `db://table`, `dummy://`, with `timeout`, `max_entries` and `cull_frequency` parameters). It is safe only when the result equals the CACHES already in effect — then nothing changes but the spelling. Otherwise it is unsafe: it changes which cache the project really uses (and memcached needs pymemcache, or python-memcached before Django 3.2). When a file already sets CACHES, the fix instead removes the ignored line, which is safe. No fix for other schemes or parameters, for assignments inside conditions, or for values read from the environment.",
  },
  check(ctx) {
    const setting = ctx.effective(CACHE_BACKEND);
    if (!setting || setting.origin.kind !== 'file') return;
    // Unknown values are never judged: judged only when every possibility is a known string (or a visible default); a branch that
    // leaves CACHE_BACKEND unset makes the whole value undecidable.
    const all = knownStrings(setting.value);
    const judged = all?.[0];
    if (!all || !judged) return;
    const uri = all.map((j) => j.value).join("' / '");
    const stmt = setting.origin.span;
    const event = ctx.project.events.find(
      (e) => e.name === CACHE_BACKEND && e.span.file === stmt.file && e.span.from === stmt.from,
    );
    const text = ctx.text(stmt.file);
    const stmtText = text?.slice(stmt.from, stmt.to) ?? '';
    const head = /^CACHE_BACKEND\s*=\s*/.exec(stmtText);
    // Only a plain, unconditional `CACHE_BACKEND = <value>` statement is rewritten.
    const plain =
      all.length === 1 &&
      event !== undefined &&
      !event.conditional &&
      event.kind === 'assign' &&
      head !== null &&
      judged.source.span?.from === stmt.from + head[0].length &&
      judged.source.span.to === stmt.to;

    const caches = sessionStorage(ctx).cachesSetting;
    const related: RelatedLocation[] = [];
    let inEffect: string;
    let fix: { title: string; edits: TextEdit[]; applicability: 'safe' | 'unsafe' } | undefined;
    if (caches?.origin.kind === 'file') {
      inEffect = `the CACHES set in ${whereSet(ctx, caches.origin.span)}`;
      related.push({ span: caches.origin.span, message: 'CACHES in effect set here' });
      const lineStart = text !== undefined ? lineStartOf(text, stmt.from) : 0;
      const rest = text !== undefined ? /^[ \t]*(#[^\n]*)?(\n|$)/.exec(text.slice(stmt.to)) : null;
      if (plain && lineStart === stmt.from && rest && !judged.ifUnset) {
        fix = {
          title: 'Remove the ignored CACHE_BACKEND',
          edits: [{ file: stmt.file, from: stmt.from, to: stmt.to + rest[0].length, newText: '' }],
          applicability: 'safe',
        };
      }
    } else {
      inEffect =
        caches?.origin.kind === 'default' && caches.origin.by === 'horizon'
          ? "Horizon's default CACHES"
          : "Django's default CACHES (LocMemCache)";
      const parsed = parseLegacyCacheUri(uri);
      const entry = parsed && all.length === 1 ? convertLegacyUri(parsed, ctx) : undefined;
      if (entry && plain && !judged.ifUnset) {
        const generated: PyData = { [DEFAULT_ALIAS]: entry };
        const safe = caches !== undefined && sameData(generated, toPyData(caches.value));
        fix = {
          title: titleNaming(
            ctx,
            `Convert to CACHES (${entry[CACHE_KEY_BACKEND] as string})`,
            entry[CACHE_KEY_BACKEND] as string,
          ),
          edits: [
            { file: stmt.file, from: stmt.from, to: stmt.to, newText: `${CACHES} = ${pySource(generated)}` },
          ],
          applicability: safe ? 'safe' : 'unsafe',
        };
      }
    }
    ctx.report({
      at: setting,
      message: `CACHE_BACKEND '${maskUrlPassword(uri)}'${ifUnsetSuffix(judged)} is ignored since Django ${CACHE_BACKEND_REMOVED_IN} (replaced by CACHES): the project silently uses ${inEffect} instead.`,
      settings: [CACHE_BACKEND, CACHES],
      related,
      fix,
    });
  },
});
