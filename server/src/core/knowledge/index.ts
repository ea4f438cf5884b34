/** The knowledge layer's one entry point: re-exports every table and checks the tables against each other at load; holds no data of its own. */
import {
  CACHE_BACKENDS,
  CACHE_ENTRY_KEY_NAMES,
  CACHE_KEY_CORRECTIONS,
  CULLING_OPTION_NAMES,
  findCacheBackend,
} from './cache-backends';
import {
  DATABASE_ENGINES,
  DATABASE_ENTRY_KEY_NAMES,
  DATABASE_KEY_CORRECTIONS,
  DATABASE_TEST_KEYS,
  MYSQL_OPTIONS_KEYS,
  POSTGRESQL_OPTIONS_KEYS,
  findDatabaseEngine,
} from './databases';
import { DJANGO_DEFAULTS } from './django-defaults';
import { HORIZON_ONLY_SETTINGS, HORIZON_RELEASES } from './horizon-releases';
import { CACHES, DEFAULT_ALIAS, SESSION_ENGINE, SESSION_SERIALIZER } from './names';
import type { PyData } from './py-data';
import { assertUnique } from './schema';
import { findSessionSerializer } from './serializers';
import { INVALID_SESSION_ENGINES, findSessionEngine, isSessionEngine } from './session-engines';
import { SETTING_DOCS } from './setting-docs';

export * from './cache-backends';
export * from './databases';
export * from './django-defaults';
export * from './horizon-releases';
export * from './names';
export * from './placeholders';
export * from './py-data';
export * from './schema';
export * from './serializers';
export * from './session-engines';
export * from './setting-docs';
export * from './string-distance';
export * from './url-helpers';
export * from './versions';

function fail(message: string): never {
  throw new Error(`knowledge tables are inconsistent: ${message}`);
}

function cacheBackendsOf(caches: PyData | undefined): string[] {
  if (caches === undefined || caches === null || typeof caches !== 'object' || Array.isArray(caches))
    return [];
  const out: string[] = [];
  for (const entry of Object.values(caches)) {
    if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
      const backend = entry['BACKEND'];
      if (typeof backend === 'string') out.push(backend);
    }
  }
  return out;
}

function checkSessionDefaults(defaults: Readonly<Record<string, PyData>>, where: string): void {
  const engine = defaults[SESSION_ENGINE];
  if (engine !== undefined && (typeof engine !== 'string' || !isSessionEngine(engine))) {
    fail(`${where}: SESSION_ENGINE ${JSON.stringify(engine)} is not a known engine`);
  }
  const serializer = defaults[SESSION_SERIALIZER];
  if (serializer !== undefined && (typeof serializer !== 'string' || !findSessionSerializer(serializer))) {
    fail(`${where}: SESSION_SERIALIZER ${JSON.stringify(serializer)} is not a known serializer`);
  }
  const caches = defaults[CACHES];
  if (caches !== undefined) {
    const backends = cacheBackendsOf(caches);
    if (
      backends.length === 0 ||
      typeof caches !== 'object' ||
      caches === null ||
      !(DEFAULT_ALIAS in caches)
    ) {
      fail(`${where}: CACHES needs a '${DEFAULT_ALIAS}' alias with a BACKEND`);
    }
    for (const b of backends)
      if (!findCacheBackend(b)) fail(`${where}: CACHES backend ${b} is not in the cache table`);
  }
}

/**
 * Cross-table invariants zod cannot see within one table (every default names a known engine/backend,
 * every replacement exists, every correction points at a real key). Runs at load; exported for tests.
 */
export function assertKnowledgeConsistent(): void {
  checkSessionDefaults(DJANGO_DEFAULTS, 'Django defaults');
  for (const r of HORIZON_RELEASES)
    checkSessionDefaults(r.defaults, `Horizon ${r.series} (${r.firstVersion ?? 'pre-stein'})`);

  for (const b of CACHE_BACKENDS) {
    if (b.replacement === undefined) continue;
    const r = findCacheBackend(b.replacement);
    if (!r) fail(`cache backend ${b.path}: replacement ${b.replacement} is not in the table`);
    if (!r.maintained || r.djangoRemoved !== undefined)
      fail(`cache backend ${b.path}: replacement ${r.path} is itself outdated`);
  }
  for (const e of DATABASE_ENGINES) {
    if (e.replacement !== undefined && findDatabaseEngine(e.replacement)?.djangoRemoved !== undefined) {
      fail(`database engine ${e.path}: replacement ${e.replacement} is missing or removed`);
    }
    if (e.replacement !== undefined && !findDatabaseEngine(e.replacement))
      fail(`database engine ${e.path}: unknown replacement`);
  }
  for (const e of INVALID_SESSION_ENGINES) {
    if (isSessionEngine(e.value)) fail(`${e.value} is listed as invalid but is a real engine`);
    if (!findSessionEngine(e.nearest)) fail(`${e.value}: nearest ${e.nearest} is not an engine`);
  }

  for (const s of HORIZON_ONLY_SETTINGS) {
    if (Object.prototype.hasOwnProperty.call(DJANGO_DEFAULTS, s.name))
      fail(`${s.name} is both Django and Horizon-only`);
  }
  assertUnique(
    SETTING_DOCS.map((d) => d.name),
    'setting docs',
  );
  const documented = new Set(SETTING_DOCS.map((d) => d.name));
  for (const name of Object.keys(DJANGO_DEFAULTS))
    if (!documented.has(name)) fail(`Django setting ${name} has no setting doc`);

  for (const c of CACHE_KEY_CORRECTIONS) {
    if (CACHE_ENTRY_KEY_NAMES.includes(c.key)) fail(`cache key correction for valid key ${c.key}`);
    if (c.action === 'rename' && !CACHE_ENTRY_KEY_NAMES.includes(c.to))
      fail(`cache key correction ${c.key} → unknown ${c.to}`);
    if (c.action === 'into-options' && !CULLING_OPTION_NAMES.includes(c.to))
      fail(`cache key correction ${c.key} → unknown option ${c.to}`);
  }
  const testKeys = DATABASE_TEST_KEYS.map((k) => k.name);
  const optionKeys = [...MYSQL_OPTIONS_KEYS, ...POSTGRESQL_OPTIONS_KEYS].map((k) => k.name);
  for (const c of DATABASE_KEY_CORRECTIONS) {
    if (DATABASE_ENTRY_KEY_NAMES.includes(c.key)) fail(`database key correction for valid key ${c.key}`);
    const targets =
      c.action === 'rename' ? DATABASE_ENTRY_KEY_NAMES : c.action === 'into-test' ? testKeys : optionKeys;
    if (!targets.includes(c.to)) fail(`database key correction ${c.key} → unknown ${c.to}`);
  }
}

assertKnowledgeConsistent();
export * from './cache-entries';
export * from './cache-servers';
export * from './csrf';
export * from './database-entries';
export * from './fix-defaults';
export * from './legacy-cache-backend';
export * from './session-settings';
