/** DSL116: a FileBasedCache LOCATION that is relative (caches.W003) or equal to, inside or containing STATIC_ROOT, MEDIA_ROOT or STATICFILES_DIRS (caches.W002). */
import {
  CACHES,
  CACHE_KEY_LOCATION,
  CHECK_CACHES_W002,
  CHECK_CACHES_W003,
  FILEBASED,
  MEDIA_ROOT,
  STATICFILES_DIRS,
  STATIC_ROOT,
  SUGGESTED_FILEBASED_CACHE_DIR,
} from '../knowledge';
import { possibilities } from '../evaluate/values';
import type { RelatedLocation, Severity, Value } from '../types';
import { defineRule, ifUnsetSuffix, judgeAll, type RuleContext } from './framework';
import { backendIsOneOf, cacheEntries, locationOf } from '../queries/session-storage';
import { aliasLabel } from '../queries/entries';
import { isAbsolutePath, normalizePath, pathRelation, type NormalPath } from './cache-aliases';

interface Exposure {
  readonly setting: string;
  readonly relation: 'matches' | 'is inside' | 'contains';
  readonly root: string;
  readonly ifUnset?: string | undefined;
  readonly when?: string | undefined;
  readonly source: Value;
}

/** A root path Django would compare (it skips falsy settings), or undefined; Windows forms are not compared. */
function comparable(p: string): NormalPath | undefined {
  if (p === '' || p.includes('\\') || /^[A-Za-z]:/.test(p)) return undefined;
  return normalizePath(p);
}

/** MEDIA_ROOT / STATIC_ROOT: exposed when every possibility of the root relates to the location. */
function exposureBySingleRoot(ctx: RuleContext, name: string, location: NormalPath): Exposure | undefined {
  const setting = ctx.effective(name);
  if (!setting) return undefined;
  const judged = judgeAll(setting.value, (k) =>
    k.kind === 'str' ? k.value : k.kind === 'none' ? '' : undefined,
  );
  if (!judged) return undefined;
  let first: Exposure | undefined;
  for (const j of judged) {
    const root = comparable(j.value);
    const relation = root ? pathRelation(location, root) : undefined;
    if (!relation) return undefined;
    first ??= { setting: name, relation, root: j.value, ifUnset: j.ifUnset, when: j.when, source: j.source };
  }
  return first;
}

/** STATICFILES_DIRS: entries are paths or (prefix, path) pairs; exposed when every possibility has a related entry. */
function exposureByStaticfilesDirs(ctx: RuleContext, location: NormalPath): Exposure | undefined {
  const setting = ctx.effective(STATICFILES_DIRS);
  if (!setting) return undefined;
  let first: Exposure | undefined;
  for (const p of possibilities(setting.value)) {
    if (p.kind !== 'list' && p.kind !== 'tuple') return undefined;
    let found: Exposure | undefined;
    for (const item of p.items) {
      const pathValue =
        item.kind === 'list' || item.kind === 'tuple'
          ? item.items.length === 2
            ? item.items[1]
            : undefined
          : item;
      if (pathValue?.kind !== 'str') continue;
      const root = comparable(pathValue.value);
      const relation = root ? pathRelation(location, root) : undefined;
      if (relation) {
        found = { setting: STATICFILES_DIRS, relation, root: pathValue.value, source: pathValue };
        break;
      }
    }
    if (!found) return undefined;
    first ??= found;
  }
  return first;
}

export default defineRule({
  code: 'DSL116',
  name: 'filebased-cache-location',
  title: 'FileBasedCache location exposed or relative',
  severity: { production: 'error', development: 'warning' },
  versionDependent: false,
  fix: 'none',
  docs: {
    what: "A CACHES alias with BACKEND `django.core.cache.backends.filebased.FileBasedCache` whose LOCATION is relative (or missing) — a warning, Django's caches.W003 — or is the same directory as, inside, or contains MEDIA_ROOT, STATIC_ROOT or an entry of STATICFILES_DIRS — an error in production, Django's caches.W002. Paths are compared after collapsing `.`, `..` and repeated slashes, as pathlib's `resolve()` does; symbolic links cannot be followed statically, and a relative path is compared only with another relative one.",
    why: 'FileBasedCache stores one pickled file per key. Inside a directory the web server publishes, or one users upload to, cache entries can be read, falsified, or replaced with a pickle that runs code when Django loads it (Django docs, topics/cache "Filesystem caching" warning); `collectstatic` and media clean-ups may also delete the cache. Django only reports W002 with `check --deploy`. A relative LOCATION resolves against the server process\' working directory, which depends on how the server is started (DJ52 `core/checks/caches.py`).',
    example:
      "STATIC_ROOT = '/srv/www/static'\nCACHES = {'default': {\n    'BACKEND': 'django.core.cache.backends.filebased.FileBasedCache',\n    'LOCATION': '/srv/www/static/cache',\n}}",
    useInstead:
      "STATIC_ROOT = '/srv/www/static'\nCACHES = {'default': {\n    'BACKEND': 'django.core.cache.backends.filebased.FileBasedCache',\n    'LOCATION': '/var/tmp/django_cache',\n}}",
    fixSafety:
      'No automatic fix: moving the cache directory needs a directory that exists and is writable by the web server user.',
    djangoCheck: `${CHECK_CACHES_W002}, ${CHECK_CACHES_W003}`,
  },
  check(ctx) {
    for (const entry of cacheEntries(ctx)) {
      const backend = backendIsOneOf(entry, [FILEBASED]);
      if (!backend) continue;
      const location = locationOf(entry);
      if (location === undefined) {
        ctx.report({
          at: backend.value.span ? backend.value : entry.setting,
          message: `${aliasLabel(entry)} FileBasedCache has no ${CACHE_KEY_LOCATION}: Django writes the cache files into the server process' working directory (like a relative path, ${CHECK_CACHES_W003}); set an absolute directory such as '${SUGGESTED_FILEBASED_CACHE_DIR}'.`,
          settings: [CACHES],
          severity: 'warning',
        });
        continue;
      }
      const judged = judgeAll(location, (k) => (k.kind === 'str' ? k.value : undefined));
      if (!judged) continue;
      type Finding = {
        at: Value;
        message: string;
        severity: Severity;
        related: RelatedLocation[];
        settings: string[];
      };
      const findings: Finding[] = [];
      let somePossibilityFine = false;
      for (const j of judged) {
        const loc = j.value;
        const windows = loc.includes('\\') || /^[A-Za-z]:/.test(loc);
        const relative = !isAbsolutePath(loc);
        const norm = windows ? undefined : normalizePath(loc);
        const exposures = norm
          ? [
              exposureBySingleRoot(ctx, MEDIA_ROOT, norm),
              exposureBySingleRoot(ctx, STATIC_ROOT, norm),
              exposureByStaticfilesDirs(ctx, norm),
            ].filter((e): e is Exposure => e !== undefined)
          : [];
        if (exposures.length > 0) {
          const what = exposures
            .map((e) => `${e.relation} ${e.setting} '${e.root}'${ifUnsetSuffix(e)}`)
            .join(' and ');
          const rel = exposures.flatMap((e) =>
            e.source.span ? [{ span: e.source.span, message: `${e.setting} set here` }] : [],
          );
          findings.push({
            at: j.source,
            message: `${aliasLabel(entry)} FileBasedCache ${CACHE_KEY_LOCATION} '${loc}'${ifUnsetSuffix(j)} ${what}: its pickled cache files share a tree the site serves or accepts uploads into, so they can be read or replaced (code execution when Django loads them); use a private directory such as '${SUGGESTED_FILEBASED_CACHE_DIR}' (${CHECK_CACHES_W002}).`,
            severity: ctx.profile === 'development' ? 'warning' : 'error',
            related: rel,
            settings: [CACHES, ...exposures.map((e) => e.setting)],
          });
        } else if (relative) {
          findings.push({
            at: j.source,
            message: `${aliasLabel(entry)} FileBasedCache ${CACHE_KEY_LOCATION} '${loc}'${ifUnsetSuffix(j)} is relative: it resolves against the server process' working directory, which depends on how the server is started; use an absolute path (${CHECK_CACHES_W003}).`,
            severity: 'warning',
            related: [],
            settings: [CACHES],
          });
        } else {
          somePossibilityFine = true;
        }
      }
      // Unknown values are never judged: a LOCATION that is fine in some branch of an undecidable condition is not judged.
      if (somePossibilityFine) continue;
      for (const f of findings) {
        ctx.report({
          at: f.at.span ? f.at : entry.setting,
          message: f.message,
          settings: f.settings,
          severity: f.severity,
          related: f.related,
        });
      }
    }
  },
});
