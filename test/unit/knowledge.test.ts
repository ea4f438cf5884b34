/** Unit tests of the knowledge tables: load-time validation, cross-table facts, lookups, availability, masking. */
import * as assert from 'node:assert/strict';

import { z } from 'zod';

import {
  CACHE_BACKENDS,
  CACHE_ENTRY_KEY_NAMES,
  CacheBackendSchema,
  DATABASE_ENTRY_KEY_NAMES,
  DATABASE_KEY_CORRECTIONS,
  DB_MYSQL,
  DB_POSTGRESQL,
  DB_POSTGRESQL_PSYCOPG2,
  DJANGO_DEFAULTS,
  DJANGO_REDIS,
  DJANGO_REDIS_BUILTIN,
  ENGINE_CACHE,
  ENGINE_CACHED_DB,
  ENGINE_DB,
  ENGINE_FILE,
  ENGINE_SIGNED_COOKIES,
  HORIZON_ONLY_SETTING_NAMES,
  HORIZON_RELEASES,
  HORIZON_SERIALIZER,
  HorizonReleaseSchema,
  LEGACY_REDIS_CACHE,
  LOCMEM,
  MEMCACHED_CACHE,
  NEWEST_HORIZON_RELEASE,
  PICKLE_SERIALIZER,
  PYMEMCACHE,
  REDIS_CACHE_SEBLEIER,
  SESSION_ENGINES,
  SessionEngineSchema,
  assertKnowledgeConsistent,
  cacheBackendAvailability,
  closestMatch,
  compareVersions,
  djangoDefault,
  djangoRangeForHorizon,
  djangoVersionForHorizon,
  findCacheBackend,
  findDatabaseEngine,
  findHorizonRelease,
  findSessionEngine,
  formatMinor,
  formatPyData,
  horizonDefault,
  isDeprecatedMysqlCharset,
  isPlaceholder,
  maskSecret,
  maskUrlPassword,
  mysqlDefaultCharset,
  nearestSessionEngine,
  parseVersion,
  placeholderInLocation,
  pyDataToValue,
  serializerStatus,
  validateData,
  type HorizonRelease,
  type PyData,
  type Version,
} from '../../server/src/core/knowledge';

const v = (s: string): Version => {
  const parsed = parseVersion(s);
  assert.ok(parsed, `test version ${s}`);
  return parsed;
};

function release(input: string): HorizonRelease {
  const r = findHorizonRelease(input);
  assert.ok(r, `no Horizon release for ${input}`);
  return r;
}

function backendsOf(caches: PyData | undefined): string[] {
  assert.ok(caches !== null && typeof caches === 'object' && !Array.isArray(caches), 'CACHES must be a dict');
  return Object.values(caches).map((entry) => {
    assert.ok(entry !== null && typeof entry === 'object' && !Array.isArray(entry), 'alias must be a dict');
    const backend = entry['BACKEND'];
    assert.equal(typeof backend, 'string');
    return backend as string;
  });
}

describe('knowledge', () => {
  describe('versions', () => {
    it('parses minors, patches, Horizon versions and pre-release tags', () => {
      assert.deepEqual(parseVersion('4.2'), { major: 4, minor: 2 });
      assert.deepEqual(parseVersion('4.2.11'), { major: 4, minor: 2, patch: 11 });
      assert.deepEqual(parseVersion(' 23.4.0 '), { major: 23, minor: 4, patch: 0 });
      assert.deepEqual(parseVersion('15.0.0.0rc1'), { major: 15, minor: 0, patch: 0 });
      assert.deepEqual(parseVersion('5.0a1'), { major: 5, minor: 0 });
      assert.equal(parseVersion('four'), undefined);
      assert.equal(parseVersion('4'), undefined);
      assert.equal(parseVersion('4.2; rm -rf'), undefined);
    });

    it('compares with a missing patch counting as 0', () => {
      assert.equal(compareVersions(v('4.2'), v('4.2.0')), 0);
      assert.ok(compareVersions(v('4.2'), v('4.2.1')) < 0);
      assert.ok(compareVersions(v('23.4.0'), v('23.3.9')) > 0);
      assert.ok(compareVersions(v('3.2'), v('10.0')) < 0, 'numeric, not lexicographic');
      assert.equal(formatMinor(v('4.2.11')), '4.2');
    });
  });

  describe('load-time validation', () => {
    it('passes the cross-table checks', () => {
      assert.doesNotThrow(() => assertKnowledgeConsistent());
    });

    it('rejects a session engine record with a wrong field', () => {
      const good = SESSION_ENGINES[0];
      assert.ok(good);
      assert.ok(SessionEngineSchema.safeParse(good).success);
      assert.equal(
        SessionEngineSchema.safeParse({ ...good, id: 'django.core.cache.backends.db.DatabaseCache' }).success,
        false,
      );
      assert.equal(
        SessionEngineSchema.safeParse({ ...good, typo: true }).success,
        false,
        'unknown keys are rejected',
      );
    });

    it('rejects a cache backend record that breaks an invariant', () => {
      const locmem = findCacheBackend(LOCMEM);
      assert.ok(locmem);
      assert.ok(CacheBackendSchema.safeParse(locmem).success);
      // builtin must match the path prefix
      assert.equal(CacheBackendSchema.safeParse({ ...locmem, builtin: false }).success, false);
      // a removed backend needs a replacement
      const memcached = findCacheBackend(MEMCACHED_CACHE);
      assert.ok(memcached);
      assert.equal(CacheBackendSchema.safeParse({ ...memcached, replacement: undefined }).success, false);
      // versions are minors
      assert.equal(CacheBackendSchema.safeParse({ ...memcached, djangoRemoved: '4.1.0' }).success, false);
    });

    it('rejects a Horizon release without SESSION_ENGINE and throws with the table name', () => {
      const r = release('2024.1');
      const broken = { ...r, defaults: { ...r.defaults, SESSION_ENGINE: undefined } };
      assert.equal(HorizonReleaseSchema.safeParse(broken).success, false);
      assert.throws(
        () => validateData(z.array(HorizonReleaseSchema), [broken], 'Horizon releases'),
        /Horizon releases/,
      );
    });
  });

  describe('session engines', () => {
    it('has the five engines with the serializer/cache/database facts Django documents', () => {
      const facts = SESSION_ENGINES.map((e) => [
        e.shortName,
        e.usesSerializerForStorage,
        e.needsCache,
        e.needsDatabase,
      ]);
      assert.deepEqual(facts, [
        ['db', true, false, true],
        ['cached_db', true, true, true],
        ['cache', false, true, false],
        ['file', true, false, false],
        ['signed_cookies', true, false, false],
      ]);
      for (const e of SESSION_ENGINES) assert.match(e.card.docsUrl, /^https:\/\/docs\.djangoproject\.com\//);
    });

    it('maps invalid spellings to the nearest engine', () => {
      assert.equal(nearestSessionEngine('django.core.cache.backends.db.DatabaseCache'), ENGINE_DB);
      assert.equal(nearestSessionEngine('django.contrib.sessions.backends.cache.SessionStore'), ENGINE_CACHE);
      assert.equal(
        nearestSessionEngine('django.contrib.sessions.backends.cached_db.SessionStore'),
        ENGINE_CACHED_DB,
      );
      assert.equal(nearestSessionEngine('django.contrib.sessions.backends.redis'), ENGINE_CACHE);
      assert.equal(nearestSessionEngine('django.core.cache.backends.redis.RedisCache'), ENGINE_CACHE);
      assert.equal(nearestSessionEngine('django.core.cache.backends.filebased.FileBasedCache'), ENGINE_FILE);
      assert.equal(
        nearestSessionEngine('django.contrib.sessions.backends.signed_cookie'),
        ENGINE_SIGNED_COOKIES,
      );
      assert.equal(nearestSessionEngine('django.contrib.sessions.backends.cookies'), ENGINE_SIGNED_COOKIES);
      assert.equal(nearestSessionEngine('django.contrib.sessions.backends.cached-db'), ENGINE_CACHED_DB);
      assert.equal(nearestSessionEngine(DJANGO_REDIS), ENGINE_CACHE);
    });

    it('returns valid engines unchanged and leaves unrelated values alone', () => {
      assert.equal(nearestSessionEngine(ENGINE_FILE), ENGINE_FILE);
      assert.equal(nearestSessionEngine('redis_sessions.session'), undefined);
      assert.equal(nearestSessionEngine('django.contrib.sessions.backends.zzzzzzzzzz'), undefined);
      assert.equal(findSessionEngine('django.contrib.sessions.backends.redis'), undefined);
    });
  });

  describe('cache backends', () => {
    it('knows every cache backend Django and the common packages ship and marks the unmaintained ones', () => {
      for (const path of [
        MEMCACHED_CACHE,
        PYMEMCACHE,
        DJANGO_REDIS_BUILTIN,
        DJANGO_REDIS,
        LEGACY_REDIS_CACHE,
        REDIS_CACHE_SEBLEIER,
      ]) {
        assert.ok(findCacheBackend(path), path);
      }
      const unmaintained = CACHE_BACKENDS.filter((b) => !b.maintained).map((b) => b.path);
      assert.ok(unmaintained.includes(REDIS_CACHE_SEBLEIER));
      assert.ok(unmaintained.includes('django_pylibmc.memcached.PyLibMCCache'));
      assert.ok(!unmaintained.includes(DJANGO_REDIS));
      assert.deepEqual([...CACHE_ENTRY_KEY_NAMES].sort(), [
        'BACKEND',
        'KEY_FUNCTION',
        'KEY_PREFIX',
        'LOCATION',
        'OPTIONS',
        'TIMEOUT',
        'VERSION',
      ]);
    });

    it('separates django-redis (uppercase) from Django RedisCache (lowercase) OPTIONS', () => {
      const dr = findCacheBackend(DJANGO_REDIS);
      const builtin = findCacheBackend(DJANGO_REDIS_BUILTIN);
      assert.ok(dr && builtin);
      assert.ok(dr.optionsKeys.every((k) => k.name === k.name.toUpperCase()));
      assert.ok(dr.optionsKeys.some((k) => k.name === 'CLIENT_CLASS'));
      assert.ok(builtin.optionsKeys.every((k) => k.name === k.name.toLowerCase()));
      assert.ok(findCacheBackend(PYMEMCACHE)?.optionsKeys.some((k) => k.name === 'ignore_exc'));
    });

    it('implements the DSL108 availability table', () => {
      assert.equal(cacheBackendAvailability(MEMCACHED_CACHE, v('3.2')).status, 'deprecated');
      assert.equal(cacheBackendAvailability(MEMCACHED_CACHE, v('4.0')).status, 'deprecated');
      assert.equal(cacheBackendAvailability(MEMCACHED_CACHE, v('4.1')).status, 'removed');
      assert.equal(cacheBackendAvailability(MEMCACHED_CACHE, v('4.2.11')).status, 'removed');
      assert.equal(cacheBackendAvailability(MEMCACHED_CACHE, v('3.1')).status, 'available');
      assert.equal(cacheBackendAvailability(MEMCACHED_CACHE, v('4.1')).replacement, PYMEMCACHE);
      assert.equal(cacheBackendAvailability(PYMEMCACHE, v('3.1')).status, 'not-yet-added');
      assert.equal(cacheBackendAvailability(PYMEMCACHE, v('3.2')).status, 'available');
      assert.equal(cacheBackendAvailability(DJANGO_REDIS_BUILTIN, v('3.2')).status, 'not-yet-added');
      assert.equal(cacheBackendAvailability(DJANGO_REDIS_BUILTIN, v('4.0')).status, 'available');
      assert.equal(
        cacheBackendAvailability('django.core.cache.backends.foo.Bar', v('4.2')).status,
        'unknown-backend',
      );
      assert.equal(cacheBackendAvailability(DJANGO_REDIS, v('4.2')).status, 'third-party');
      assert.equal(cacheBackendAvailability('myapp.cache.Custom', v('4.2')).status, 'third-party');
    });

    it('says what it can when the Django version is unknown', () => {
      const unknown = cacheBackendAvailability(MEMCACHED_CACHE, undefined);
      assert.equal(unknown.status, 'deprecated');
      assert.equal(unknown.versionKnown, false);
      assert.equal(unknown.removedIn, '4.1');
      assert.match(unknown.note, /4\.1/);
      const redis = cacheBackendAvailability(DJANGO_REDIS_BUILTIN, undefined);
      assert.equal(redis.status, 'available');
      assert.match(redis.note, /4\.0/);
    });

    it('takes the least alarming status over a Django range that straddles a change', () => {
      const range = { min: v('3.2'), max: v('4.2') };
      const memcached = cacheBackendAvailability(MEMCACHED_CACHE, range);
      assert.equal(memcached.status, 'deprecated');
      assert.equal(memcached.versionKnown, false);
      assert.equal(cacheBackendAvailability(DJANGO_REDIS_BUILTIN, range).status, 'available');
      const open = cacheBackendAvailability(MEMCACHED_CACHE, { min: v('4.2') });
      assert.equal(open.status, 'removed');
      assert.equal(open.versionKnown, true);
      assert.equal(open.unverified, true, 'removal is only verified through 5.2');
    });
  });

  describe('databases', () => {
    it('knows the engines and the removed psycopg2 alias', () => {
      assert.equal(findDatabaseEngine(DB_MYSQL)?.shortName, 'mysql');
      assert.equal(findDatabaseEngine(DB_POSTGRESQL_PSYCOPG2)?.replacement, DB_POSTGRESQL);
      assert.ok(findDatabaseEngine('django.db.backends.sqlite3')?.lowConcurrency);
      for (const k of ['CONN_HEALTH_CHECKS', 'DISABLE_SERVER_SIDE_CURSORS', 'TEST', 'OPTIONS']) {
        assert.ok(DATABASE_ENTRY_KEY_NAMES.includes(k), k);
      }
      assert.ok(!DATABASE_ENTRY_KEY_NAMES.includes('default-character-set'));
    });

    it("moves the seed's default-character-set into OPTIONS.charset", () => {
      const c = DATABASE_KEY_CORRECTIONS.find((x) => x.key === 'default-character-set');
      assert.deepEqual(c && { action: c.action, to: c.to, value: c.suggestedValue }, {
        action: 'into-options',
        to: 'charset',
        value: 'utf8mb4',
      });
    });

    it('knows the MySQL charset facts', () => {
      assert.ok(isDeprecatedMysqlCharset('UTF8'));
      assert.ok(isDeprecatedMysqlCharset('utf8mb3'));
      assert.ok(!isDeprecatedMysqlCharset('utf8mb4'));
      assert.equal(mysqlDefaultCharset(v('5.1')), 'utf8');
      assert.equal(mysqlDefaultCharset(v('5.2')), 'utf8mb4');
      assert.equal(mysqlDefaultCharset(undefined), undefined);
    });
  });

  describe('Django defaults', () => {
    it('has the global_settings values the rules read', () => {
      assert.equal(DJANGO_DEFAULTS['SESSION_ENGINE'], ENGINE_DB);
      assert.deepEqual(DJANGO_DEFAULTS['CACHES'], { default: { BACKEND: LOCMEM } });
      assert.deepEqual(DJANGO_DEFAULTS['DATABASES'], {});
      assert.equal(DJANGO_DEFAULTS['SESSION_COOKIE_AGE'], 1209600);
      assert.equal(DJANGO_DEFAULTS['STATIC_ROOT'], null);
      assert.equal(DJANGO_DEFAULTS['CONN_MAX_AGE'], undefined, 'not a module-level setting');
      assert.deepEqual(djangoDefault('SECRET_KEY_FALLBACKS', v('4.2')), []);
      assert.equal(djangoDefault('SECRET_KEY_FALLBACKS', v('3.2')), undefined, 'added in 4.1');
    });

    it('converts and renders PyData', () => {
      assert.deepEqual(pyDataToValue({ a: [1, 1.5, null, true] }), {
        kind: 'dict',
        entries: [
          {
            key: { kind: 'str', value: 'a' },
            value: {
              kind: 'list',
              items: [
                { kind: 'int', value: 1 },
                { kind: 'float', value: 1.5 },
                { kind: 'none' },
                { kind: 'bool', value: true },
              ],
            },
          },
        ],
      });
      assert.equal(
        formatPyData({ default: { BACKEND: LOCMEM, TIMEOUT: null } }),
        `{'default': {'BACKEND': '${LOCMEM}', 'TIMEOUT': None}}`,
      );
      assert.equal(formatPyData("it's"), "'it\\'s'");
    });

    it('knows the serializer lifecycle', () => {
      assert.equal(serializerStatus(PICKLE_SERIALIZER, v('3.2')), 'available');
      assert.equal(serializerStatus(PICKLE_SERIALIZER, v('4.2')), 'deprecated');
      assert.equal(serializerStatus(PICKLE_SERIALIZER, v('5.0')), 'removed');
    });
  });

  describe('Horizon releases', () => {
    it('uses a default CACHES backend that exists in the cache table in every release', () => {
      for (const r of HORIZON_RELEASES) {
        const caches = horizonDefault(r, 'CACHES');
        if (r.series === 'pre-stein') {
          assert.equal(caches, undefined, 'Horizon did not set CACHES before Stein');
          continue;
        }
        for (const b of backendsOf(caches)) assert.ok(findCacheBackend(b), `${r.series}: ${b}`);
      }
    });

    it('finds releases by version, series and codename', () => {
      assert.equal(release('23.4.0').series, '2024.1');
      assert.equal(release('25.6.0').series, '2026.1');
      assert.equal(release('25.6.1').series, '2026.1');
      assert.equal(release('2023.1').codename, 'Antelope');
      assert.equal(release('antelope').series, '2023.1');
      assert.equal(release('ANTELOPE').series, '2023.1');
      assert.equal(release('stable/2024.2').codename, 'Dalmatian');
      assert.equal(release('15.0.0.0rc1').series, 'stein');
      assert.equal(release('14.0.2').series, 'pre-stein');
      assert.equal(release('queens').series, 'pre-stein');
      assert.equal(release('30.0.0'), NEWEST_HORIZON_RELEASE, 'newer than every band → newest');
      assert.equal(findHorizonRelease('2030.1'), undefined);
      assert.equal(findHorizonRelease('not-a-release'), undefined);
      assert.equal(NEWEST_HORIZON_RELEASE.series, '2026.1');
    });

    it('resolves 2024.1 to its stable branch but 23.4.0 to the pre-branch band', () => {
      assert.equal(release('2024.1').firstVersion, '24.0.0');
      assert.equal(release('23.4.0').firstVersion, '23.4.0');
      assert.deepEqual(djangoVersionForHorizon(release('2024.1')), { major: 4, minor: 2 });
    });

    it('infers a single Django minor only when the pin allows one', () => {
      assert.deepEqual(djangoVersionForHorizon(release('2023.1')), { major: 3, minor: 2 });
      assert.deepEqual(djangoVersionForHorizon(release('23.3.0')), { major: 3, minor: 2 });
      assert.deepEqual(djangoVersionForHorizon(release('2025.2')), { major: 4, minor: 2 });
      assert.equal(djangoVersionForHorizon(release('23.4.0')), undefined, '3.2–4.2');
      assert.equal(djangoVersionForHorizon(release('2026.1')), undefined, '≥ 4.2, no cap');
      assert.equal(djangoVersionForHorizon(release('stein')), undefined, 'pin not recorded');
      assert.deepEqual(djangoRangeForHorizon(release('23.4.0')), {
        min: { major: 3, minor: 2 },
        max: { major: 4, minor: 2 },
      });
      assert.deepEqual(djangoRangeForHorizon(release('25.6.0')), {
        min: { major: 4, minor: 2 },
        max: undefined,
      });
    });

    it('records the session defaults per release', () => {
      const old = release('14.0.0');
      assert.equal(horizonDefault(old, 'SESSION_ENGINE'), ENGINE_SIGNED_COOKIES);
      assert.equal(horizonDefault(old, 'SESSION_REFRESH'), undefined, 'Stein+');
      assert.deepEqual(backendsOf(horizonDefault(release('2023.2'), 'CACHES')), [MEMCACHED_CACHE]);
      assert.deepEqual(backendsOf(horizonDefault(release('23.4.0'), 'CACHES')), [PYMEMCACHE]);
      assert.equal(horizonDefault(release('2025.2'), 'SESSION_SERIALIZER'), PICKLE_SERIALIZER);
      assert.equal(horizonDefault(release('2026.1'), 'SESSION_SERIALIZER'), HORIZON_SERIALIZER);
      assert.equal(horizonDefault(release('xena'), 'SIMULTANEOUS_SESSIONS'), undefined, 'added in 21.1.0');
      assert.equal(horizonDefault(release('yoga'), 'SIMULTANEOUS_SESSIONS'), 'allow');
      const newest = NEWEST_HORIZON_RELEASE;
      assert.equal(horizonDefault(newest, 'SESSION_TIMEOUT'), 3600);
      assert.equal(horizonDefault(newest, 'SESSION_COOKIE_MAX_SIZE'), 4093);
      assert.equal(horizonDefault(newest, 'SESSION_COOKIE_HTTPONLY'), true);
      assert.equal(horizonDefault(newest, 'SESSION_COOKIE_SECURE'), false);
      assert.equal(horizonDefault(newest, 'DATABASES'), undefined, 'Horizon never defines DATABASES');
      assert.ok((horizonDefault(newest, 'INSTALLED_APPS') as PyData[]).includes('django.contrib.sessions'));
      assert.ok(HORIZON_ONLY_SETTING_NAMES.includes('OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT'));
    });
  });

  describe('placeholders and masking', () => {
    it('recognises documentation placeholders', () => {
      for (const p of [
        'my_memcached_host',
        'DASH_DBPASS',
        'CHANGEME',
        'changeme',
        'password',
        'secret',
        'your-secret-key',
        'XXX',
        '<password>',
        'REPLACE_ME',
        'KEYSTONE_DBPASS',
      ]) {
        assert.ok(isPlaceholder(p), p);
      }
      for (const real of [
        'dash',
        'db.internal.lan',
        '10.0.0.11',
        'Zq8#kLm2!vR9pW',
        'horizon',
        'localhost',
        'Dash_dbpass2024x',
      ]) {
        assert.ok(!isPlaceholder(real), real);
      }
    });

    it('finds placeholders inside a LOCATION', () => {
      assert.deepEqual(placeholderInLocation('my_memcached_host:11211'), {
        part: 'host',
        value: 'my_memcached_host',
      });
      assert.deepEqual(placeholderInLocation('redis://:CHANGEME@10.0.0.5:6379/1'), {
        part: 'password',
        value: 'CHANGEME',
      });
      assert.deepEqual(placeholderInLocation('10.0.0.1:11211;memcached.example.com:11211'), {
        part: 'host',
        value: 'memcached.example.com',
      });
      assert.equal(placeholderInLocation('127.0.0.1:11211'), undefined);
      assert.equal(placeholderInLocation('[fd00::11]:11211'), undefined);
      assert.equal(placeholderInLocation('unix:/tmp/memcached.sock'), undefined);
    });

    it('never shows a whole secret', () => {
      for (const secret of ['a', 'ab', 'abc', 'abcd', 'hunter2', 'S3cr3t-Pa55w0rd!', 'x'.repeat(64)]) {
        const masked = maskSecret(secret);
        assert.ok(masked.endsWith('***'), masked);
        assert.ok(!masked.includes(secret), `${masked} contains ${secret}`);
        assert.ok(masked.length - 3 <= 2, 'at most two characters shown');
      }
      assert.equal(maskSecret('S3cr3t-Pa55w0rd!'), 'S3***');
    });

    it('masks URL passwords', () => {
      assert.equal(maskUrlPassword('redis://:pw@host:6379/0'), 'redis://:***@host:6379/0');
      assert.equal(
        maskUrlPassword('rediss://user:s3cret@redis.lan:6380/1'),
        'rediss://user:***@redis.lan:6380/1',
      );
      assert.equal(maskUrlPassword('user:pw@host'), 'user:***@host');
      assert.equal(maskUrlPassword('redis://127.0.0.1:6379/1'), 'redis://127.0.0.1:6379/1');
      assert.equal(maskUrlPassword('redis://user@host'), 'redis://user@host');
      const two = maskUrlPassword('redis://:one@h1:6379/0,redis://:two@h2:6379/0');
      assert.equal(two, 'redis://:***@h1:6379/0,redis://:***@h2:6379/0');
      const tricky = maskUrlPassword('redis://:p@ss/w:rd@host:6379');
      assert.ok(!tricky.includes('ss/w') && tricky.endsWith('@host:6379'), tricky);
    });
  });

  describe('string distance', () => {
    it('suggests close names only', () => {
      assert.equal(closestMatch('LOCATIONS', CACHE_ENTRY_KEY_NAMES), 'LOCATION');
      assert.equal(closestMatch('OPTION', CACHE_ENTRY_KEY_NAMES), 'OPTIONS');
      assert.equal(closestMatch('FOO', CACHE_ENTRY_KEY_NAMES), undefined);
    });
  });
});
