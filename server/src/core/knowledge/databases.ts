/** DATABASES knowledge: engines, entry/TEST/OPTIONS keys, key corrections and MySQL charset facts as validated data; no rule logic. */
import { z } from 'zod';

import {
  DB_DUMMY,
  DB_ENGINE_PREFIX,
  DB_MYSQL,
  DB_ORACLE,
  DB_POSTGRESQL,
  DB_POSTGRESQL_PSYCOPG2,
  DB_SQLITE3,
} from './names';
import {
  KeyDocSchema,
  MinorVersionSchema,
  TradeoffCardSchema,
  assertUnique,
  validateData,
  type KeyDoc,
} from './schema';
import { compareMinor, version, type Version } from './versions';

export const DatabaseEngineSchema = z
  .strictObject({
    /** Exact ENGINE module path. */
    path: z.string().startsWith(DB_ENGINE_PREFIX),
    shortName: z.string().regex(/^[a-z0-9_]+$/),
    vendor: z.string().min(2),
    /** pip packages providing the driver (alternatives joined by " or "); empty for stdlib/none. */
    driverPackages: z.array(z.string()),
    /** Driver facts per Django version (display text). */
    driverText: z.string().min(2),
    /** Oldest server version Django 5.2 accepts (display text), when Django enforces one. */
    minServer: z.string().optional(),
    /** Django minor where the module disappeared (the path then fails at startup). */
    djangoRemoved: MinorVersionSchema.optional(),
    replacement: z.string().optional(),
    /** False for the dummy engine Django uses when DATABASES is empty: it stores nothing. */
    storesData: z.boolean(),
    /** SQLite: one writer at a time → "database is locked" under concurrent session writes (DSL306). */
    lowConcurrency: z.boolean(),
    card: TradeoffCardSchema,
  })
  .refine((e) => e.djangoRemoved === undefined || e.replacement !== undefined, {
    message: 'a removed engine needs a replacement',
  });
export type DatabaseEngine = z.infer<typeof DatabaseEngineSchema>;

const DB_DOCS = 'https://docs.djangoproject.com/en/stable/ref/databases/';

export const DATABASE_ENGINES: readonly DatabaseEngine[] = validateData(
  z.array(DatabaseEngineSchema),
  [
    {
      path: DB_POSTGRESQL,
      shortName: 'postgresql',
      vendor: 'PostgreSQL',
      driverPackages: ['psycopg or psycopg2'],
      driverText: 'psycopg (3) preferred with psycopg2 as fallback on Django 5.2; psycopg2 on Django 3.2.',
      minServer: 'PostgreSQL 14',
      storesData: true,
      lowConcurrency: false,
      card: {
        summary: 'PostgreSQL database backend.',
        persistence: 'Persistent.',
        sharedAcrossProcesses: 'Yes.',
        sharedAcrossHosts: 'Yes.',
        speed: 'A network round trip per query; CONN_MAX_AGE keeps connections open.',
        dependencies: 'psycopg (3) or psycopg2 and a PostgreSQL server.',
        security: 'Keep PASSWORD out of the file (environment or a passfile).',
        djangoVersions: 'All supported Django versions; Django 5.2 needs PostgreSQL 14 or later.',
        notes: ['For sessions, run `manage.py migrate` and `manage.py clearsessions` regularly.'],
        docsUrl: `${DB_DOCS}#postgresql-notes`,
      },
    },
    {
      path: DB_MYSQL,
      shortName: 'mysql',
      vendor: 'MySQL/MariaDB',
      driverPackages: ['mysqlclient'],
      driverText: 'mysqlclient (MySQLdb) ≥ 1.4.3 on Django 5.2, ≥ 1.4.0 on Django 3.2.',
      minServer: 'MySQL 8.0.11 / MariaDB 10.5',
      storesData: true,
      lowConcurrency: false,
      card: {
        summary: 'MySQL/MariaDB database backend.',
        persistence: 'Persistent.',
        sharedAcrossProcesses: 'Yes.',
        sharedAcrossHosts: 'Yes.',
        speed: 'A network round trip per query; CONN_MAX_AGE keeps connections open.',
        dependencies: 'mysqlclient and a MySQL or MariaDB server.',
        security: 'Keep PASSWORD out of the file (environment or read_default_file).',
        djangoVersions:
          'All supported Django versions; Django 4.2 needs MySQL 8, Django 5.2 MySQL 8.0.11 or MariaDB 10.5.',
        notes: [
          "Connection settings come only from NAME/USER/PASSWORD/HOST/PORT and OPTIONS; other keys such as 'default-character-set' are ignored.",
          "Set the connection charset with OPTIONS {'charset': 'utf8mb4'}; Django's default is utf8 before 5.2 and utf8mb4 from 5.2.",
          'A HOST starting with / is a unix socket path.',
          'On MySQL 8, create the user with CREATE USER … IDENTIFIED BY …, then GRANT.',
        ],
        docsUrl: `${DB_DOCS}#mysql-notes`,
      },
    },
    {
      path: DB_SQLITE3,
      shortName: 'sqlite3',
      vendor: 'SQLite',
      driverPackages: [],
      driverText: "Python's standard sqlite3 module.",
      minServer: 'SQLite 3.31',
      storesData: true,
      lowConcurrency: true,
      card: {
        summary: 'SQLite file database.',
        persistence: 'Persistent (a file on this host).',
        sharedAcrossProcesses: 'Yes, but only one writer at a time.',
        sharedAcrossHosts: 'No.',
        speed: 'Fast for one process; concurrent writes wait for the lock.',
        dependencies: "None (Python's sqlite3).",
        security: 'Protect the database file from other users.',
        djangoVersions: 'All supported Django versions; Django 5.2 needs SQLite 3.31 or later.',
        notes: [
          "Django's docs: SQLite can't support a high level of concurrency; expect 'database is locked' errors.",
          'Session writes on every authenticated Horizon request make this worse.',
        ],
        docsUrl: `${DB_DOCS}#sqlite-notes`,
      },
    },
    {
      path: DB_ORACLE,
      shortName: 'oracle',
      vendor: 'Oracle',
      driverPackages: ['oracledb'],
      driverText: 'oracledb (falls back to cx_Oracle) on Django 5.2; cx_Oracle on Django 3.2.',
      storesData: true,
      lowConcurrency: false,
      card: {
        summary: 'Oracle database backend.',
        persistence: 'Persistent.',
        sharedAcrossProcesses: 'Yes.',
        sharedAcrossHosts: 'Yes.',
        speed: 'A network round trip per query.',
        dependencies: 'oracledb (or cx_Oracle) and an Oracle server.',
        security: 'Keep PASSWORD out of the file.',
        djangoVersions: 'All supported Django versions.',
        notes: ['Several TEST keys (TBLSPACE, DATAFILE…) only apply to Oracle.'],
        docsUrl: `${DB_DOCS}#oracle-notes`,
      },
    },
    {
      path: DB_DUMMY,
      shortName: 'dummy',
      vendor: 'none',
      driverPackages: [],
      driverText: 'No driver: every query raises ImproperlyConfigured.',
      storesData: false,
      lowConcurrency: false,
      card: {
        summary: 'Placeholder engine used when DATABASES is empty.',
        persistence: 'Nothing is stored.',
        sharedAcrossProcesses: 'Not applicable.',
        sharedAcrossHosts: 'Not applicable.',
        speed: 'Every query fails.',
        dependencies: 'None.',
        security: 'Nothing stored.',
        djangoVersions: 'All supported Django versions.',
        notes: [
          "Horizon never defines DATABASES, so database sessions fail with 'settings.DATABASES is improperly configured'.",
        ],
        docsUrl: 'https://docs.djangoproject.com/en/stable/ref/settings/#std-setting-DATABASES',
      },
    },
    {
      path: DB_POSTGRESQL_PSYCOPG2,
      shortName: 'postgresql_psycopg2',
      vendor: 'PostgreSQL',
      driverPackages: ['psycopg2'],
      driverText: 'Old alias of the postgresql backend.',
      // Django 2.0 deprecated the alias and 3.0 removed it (release notes); verified absent in 3.2 and 5.2.
      djangoRemoved: '3.0',
      replacement: DB_POSTGRESQL,
      storesData: true,
      lowConcurrency: false,
      card: {
        summary: 'Removed alias of django.db.backends.postgresql.',
        persistence: 'Not applicable: the module no longer exists.',
        sharedAcrossProcesses: 'Not applicable.',
        sharedAcrossHosts: 'Not applicable.',
        speed: 'Not applicable.',
        dependencies: 'Not applicable.',
        security: 'Not applicable.',
        djangoVersions: 'Removed in Django 3.0; absent from 3.2 and 5.2.',
        notes: ['Use django.db.backends.postgresql; the settings are otherwise the same.'],
        docsUrl: `${DB_DOCS}#postgresql-notes`,
      },
    },
  ],
  'database engines',
);
assertUnique(
  DATABASE_ENGINES.map((e) => e.path),
  'database engines',
);

const ENGINE_BY_PATH = new Map(DATABASE_ENGINES.map((e) => [e.path, e] as const));

/** The record for an exact ENGINE path, or undefined (third-party engine or typo). */
export function findDatabaseEngine(path: string): DatabaseEngine | undefined {
  return ENGINE_BY_PATH.get(path.trim());
}

/** ENGINE paths that exist in every Django the linter targets (DSL307's valid set). */
export const VALID_DATABASE_ENGINE_PATHS: readonly string[] = DATABASE_ENGINES.filter(
  (e) => e.djangoRemoved === undefined,
).map((e) => e.path);

// ---------------------------------------------------------------------------------------------------------
// Keys.
// ---------------------------------------------------------------------------------------------------------

export const DATABASE_ENTRY_KEYS: readonly KeyDoc[] = validateData(
  z.array(KeyDocSchema),
  [
    { name: 'ENGINE', description: 'Dotted path of the database backend module.', type: 'str' },
    {
      name: 'NAME',
      description: 'Database name (SQLite: path of the database file).',
      type: 'str',
      default: "''",
    },
    { name: 'USER', description: 'User name for the connection.', type: 'str', default: "''" },
    {
      name: 'PASSWORD',
      description: 'Password for the connection; prefer reading it from the environment.',
      type: 'str',
      default: "''",
    },
    {
      name: 'HOST',
      description:
        "Server host; empty means localhost. For MySQL a value starting with '/' is a unix socket path.",
      type: 'str',
      default: "''",
    },
    { name: 'PORT', description: 'Server port; empty means the default port.', type: 'str', default: "''" },
    {
      name: 'OPTIONS',
      description: 'Extra parameters passed to the database driver (e.g. MySQL charset).',
      type: 'dict',
      default: '{}',
    },
    {
      name: 'ATOMIC_REQUESTS',
      description: 'Wrap each view in a transaction.',
      type: 'bool',
      default: 'False',
    },
    {
      name: 'AUTOCOMMIT',
      description: "Set False to disable Django's transaction management.",
      type: 'bool',
      default: 'True',
    },
    {
      name: 'CONN_MAX_AGE',
      description:
        'Lifetime of a persistent connection in seconds (0 = close after each request, None = unlimited).',
      type: 'int',
      default: '0',
    },
    {
      name: 'CONN_HEALTH_CHECKS',
      description: 'Check persistent connections before reusing them.',
      type: 'bool',
      default: 'False',
      // Verified only "absent in 3.2, present in 5.2"; 4.1 is from the Django 4.1 release notes.
      djangoAdded: '4.1',
    },
    {
      name: 'TIME_ZONE',
      description: 'Time zone of datetimes stored in this database when it lacks time zone support.',
      type: 'str',
      default: 'None',
    },
    {
      name: 'DISABLE_SERVER_SIDE_CURSORS',
      description: 'PostgreSQL: disable server-side cursors (needed behind transaction-pooling proxies).',
      type: 'bool',
      default: 'False',
    },
    {
      name: 'TEST',
      description: 'Settings for the test database (CHARSET, COLLATION, NAME, MIRROR…).',
      type: 'dict',
      default: '{}',
    },
  ],
  'DATABASES entry keys',
);
export const DATABASE_ENTRY_KEY_NAMES: readonly string[] = DATABASE_ENTRY_KEYS.map((k) => k.name);

export const DATABASE_TEST_KEYS: readonly KeyDoc[] = validateData(
  z.array(KeyDocSchema),
  [
    { name: 'CHARSET', description: 'Character set of the test database.', type: 'str' },
    { name: 'COLLATION', description: 'Collation of the test database (MySQL).', type: 'str' },
    {
      name: 'MIGRATE',
      description: 'Run migrations when creating the test database.',
      type: 'bool',
      default: 'True',
    },
    {
      name: 'MIRROR',
      description: 'Alias this database mirrors during tests (replica setups).',
      type: 'str',
    },
    { name: 'NAME', description: "Name of the test database (default 'test_' + NAME).", type: 'str' },
    {
      name: 'DEPENDENCIES',
      description: 'Aliases whose test databases must be created first.',
      type: 'list',
    },
    { name: 'CREATE_DB', description: 'Oracle: create the test tablespace/user.', type: 'bool' },
    { name: 'CREATE_USER', description: 'Oracle: create the test user.', type: 'bool' },
    { name: 'USER', description: 'Oracle: test user name.', type: 'str' },
    { name: 'PASSWORD', description: 'Oracle: test user password.', type: 'str' },
    { name: 'TBLSPACE', description: 'Oracle: test tablespace name.', type: 'str' },
    { name: 'TBLSPACE_TMP', description: 'Oracle: temporary test tablespace name.', type: 'str' },
    { name: 'DATAFILE', description: 'Oracle: datafile of TBLSPACE.', type: 'str' },
    { name: 'DATAFILE_TMP', description: 'Oracle: datafile of TBLSPACE_TMP.', type: 'str' },
    { name: 'DATAFILE_MAXSIZE', description: 'Oracle: maximum size of DATAFILE.', type: 'str' },
    { name: 'DATAFILE_TMP_MAXSIZE', description: 'Oracle: maximum size of DATAFILE_TMP.', type: 'str' },
    { name: 'DATAFILE_SIZE', description: 'Oracle: initial size of DATAFILE.', type: 'str' },
    { name: 'DATAFILE_TMP_SIZE', description: 'Oracle: initial size of DATAFILE_TMP.', type: 'str' },
    { name: 'DATAFILE_EXTSIZE', description: 'Oracle: extension size of DATAFILE.', type: 'str' },
    { name: 'DATAFILE_TMP_EXTSIZE', description: 'Oracle: extension size of DATAFILE_TMP.', type: 'str' },
    {
      name: 'ORACLE_MANAGED_FILES',
      description: 'Oracle: use Oracle Managed Files for the test tablespaces.',
      type: 'bool',
    },
    {
      name: 'SERIALIZE',
      description: 'Serialize the test database state (read by Django 3.2 only).',
      type: 'bool',
    },
  ],
  'DATABASES TEST keys',
);

export const MYSQL_OPTIONS_KEYS: readonly KeyDoc[] = validateData(
  z.array(KeyDocSchema),
  [
    {
      name: 'charset',
      description: "Connection character set; use 'utf8mb4' ('utf8' is the deprecated utf8mb3).",
      type: 'str',
    },
    {
      name: 'init_command',
      description: 'SQL run on every new connection, e.g. "SET sql_mode=\'STRICT_TRANS_TABLES\'".',
      type: 'str',
    },
    {
      name: 'sql_mode',
      description: 'Session sql_mode; strict mode avoids silent truncation (mysql.W002).',
      type: 'str',
    },
    {
      name: 'isolation_level',
      description:
        "Transaction isolation: 'read uncommitted', 'read committed', 'repeatable read' or 'serializable'.",
      type: 'str',
      default: "'read committed'",
    },
    {
      name: 'read_default_file',
      description:
        'Path of a my.cnf option file; its [client] options (e.g. default-character-set) apply with lower precedence.',
      type: 'str',
    },
    { name: 'ssl', description: 'TLS parameters for MySQLdb.connect (ca, cert, key…).', type: 'dict' },
  ],
  'MySQL OPTIONS keys',
);

export const POSTGRESQL_OPTIONS_KEYS: readonly KeyDoc[] = validateData(
  z.array(KeyDocSchema),
  [
    {
      name: 'isolation_level',
      description: 'psycopg isolation level constant (default: read committed).',
      type: 'any',
    },
    {
      name: 'service',
      description: 'Connection service name from pg_service.conf.',
      type: 'str',
      djangoAdded: '4.0',
    },
    {
      name: 'passfile',
      description: 'Path of a .pgpass file holding the password.',
      type: 'str',
      djangoAdded: '4.0',
    },
    {
      name: 'server_side_binding',
      description: 'psycopg 3: use server-side parameter binding.',
      type: 'bool',
      djangoAdded: '4.2',
    },
    {
      name: 'pool',
      description: 'psycopg 3: connection pool (True or pool keyword arguments).',
      type: 'any',
      djangoAdded: '5.1',
    },
    { name: 'sslmode', description: 'libpq TLS mode (disable, require, verify-full…).', type: 'str' },
    { name: 'sslrootcert', description: 'libpq: CA certificate file.', type: 'str' },
    { name: 'sslcert', description: 'libpq: client certificate file.', type: 'str' },
    { name: 'sslkey', description: 'libpq: client key file.', type: 'str' },
  ],
  'PostgreSQL OPTIONS keys',
);

export const SQLITE_OPTIONS_KEYS: readonly KeyDoc[] = validateData(
  z.array(KeyDocSchema),
  [
    {
      name: 'timeout',
      description: 'Seconds to wait for a lock before "database is locked".',
      type: 'number',
      default: '5',
    },
    {
      name: 'init_command',
      description: 'SQL run on every new connection (e.g. PRAGMA statements).',
      type: 'str',
      djangoAdded: '5.1',
    },
    {
      name: 'transaction_mode',
      description: 'DEFERRED, IMMEDIATE or EXCLUSIVE.',
      type: 'str',
      djangoAdded: '5.1',
    },
  ],
  'SQLite OPTIONS keys',
);

/** Documented OPTIONS keys for an ENGINE path; undefined when the engine passes arbitrary driver kwargs we do not list. */
export function databaseOptionsKeys(enginePath: string): readonly KeyDoc[] | undefined {
  switch (enginePath.trim()) {
    case DB_MYSQL:
      return MYSQL_OPTIONS_KEYS;
    case DB_POSTGRESQL:
      return POSTGRESQL_OPTIONS_KEYS;
    case DB_SQLITE3:
      return SQLITE_OPTIONS_KEYS;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Corrections for keys Django silently ignores (DSL301's fix).
// ---------------------------------------------------------------------------------------------------------

const DatabaseKeyCorrectionSchema = z.strictObject({
  key: z.string().min(1),
  /** `rename`: same level; `into-options` / `into-test`: move under OPTIONS / TEST as `to`. */
  action: z.enum(['rename', 'into-options', 'into-test']),
  to: z.string().min(1),
  /** A value to write instead of the old one (charset aliases → utf8mb4). */
  suggestedValue: z.string().optional(),
  /** Only meaningful for this vendor's ENGINE. */
  onlyFor: z.string().optional(),
});
export type DatabaseKeyCorrection = z.infer<typeof DatabaseKeyCorrectionSchema>;

/** Known misplaced DATABASES entry keys and where they belong; looked up before edit distance. */
export const DATABASE_KEY_CORRECTIONS: readonly DatabaseKeyCorrection[] = validateData(
  z.array(DatabaseKeyCorrectionSchema),
  [
    // The seed page's key: a my.cnf option, never read from settings.
    {
      key: 'default-character-set',
      action: 'into-options',
      to: 'charset',
      suggestedValue: 'utf8mb4',
      onlyFor: DB_MYSQL,
    },
    {
      key: 'default_character_set',
      action: 'into-options',
      to: 'charset',
      suggestedValue: 'utf8mb4',
      onlyFor: DB_MYSQL,
    },
    { key: 'charset', action: 'into-options', to: 'charset', suggestedValue: 'utf8mb4', onlyFor: DB_MYSQL },
    { key: 'init_command', action: 'into-options', to: 'init_command', onlyFor: DB_MYSQL },
    { key: 'sql_mode', action: 'into-options', to: 'sql_mode', onlyFor: DB_MYSQL },
    { key: 'read_default_file', action: 'into-options', to: 'read_default_file', onlyFor: DB_MYSQL },
    { key: 'isolation_level', action: 'into-options', to: 'isolation_level' },
    { key: 'ssl', action: 'into-options', to: 'ssl', onlyFor: DB_MYSQL },
    { key: 'sslmode', action: 'into-options', to: 'sslmode', onlyFor: DB_POSTGRESQL },
    { key: 'CHARSET', action: 'into-test', to: 'CHARSET' },
    { key: 'COLLATION', action: 'into-test', to: 'COLLATION' },
    // Pre-Django-1.7 spellings of TEST settings.
    { key: 'TEST_NAME', action: 'into-test', to: 'NAME' },
    { key: 'TEST_CHARSET', action: 'into-test', to: 'CHARSET' },
    { key: 'TEST_COLLATION', action: 'into-test', to: 'COLLATION' },
    { key: 'TEST_MIRROR', action: 'into-test', to: 'MIRROR' },
    { key: 'OPTION', action: 'rename', to: 'OPTIONS' },
    { key: 'DATABASE', action: 'rename', to: 'NAME' },
    { key: 'USERNAME', action: 'rename', to: 'USER' },
    { key: 'PASS', action: 'rename', to: 'PASSWORD' },
    { key: 'HOSTNAME', action: 'rename', to: 'HOST' },
  ],
  'DATABASES key corrections',
);
assertUnique(
  DATABASE_KEY_CORRECTIONS.map((c) => c.key),
  'DATABASES key corrections',
);

// ---------------------------------------------------------------------------------------------------------
// MySQL charset facts (DSL305).
// ---------------------------------------------------------------------------------------------------------

/** In MySQL `utf8` is an alias of the deprecated 3-byte `utf8mb3`. */
export const MYSQL_DEPRECATED_CHARSETS = ['utf8', 'utf8mb3'] as const;
export const MYSQL_RECOMMENDED_CHARSET = 'utf8mb4';
/** First Django minor whose MySQL backend connects with utf8mb4 by default (django/django PR #18689). */
export const MYSQL_UTF8MB4_DEFAULT_SINCE = '5.2';

/** True for charset values MySQL treats as the deprecated utf8mb3 (case-insensitive like MySQL). */
export function isDeprecatedMysqlCharset(charset: string): boolean {
  return (MYSQL_DEPRECATED_CHARSETS as readonly string[]).includes(charset.trim().toLowerCase());
}

/** The charset Django's MySQL backend uses when OPTIONS has none: 'utf8' before 5.2, 'utf8mb4' from 5.2. */
export function mysqlDefaultCharset(django: Version | undefined): 'utf8' | 'utf8mb4' | undefined {
  if (django === undefined) return undefined;
  return compareMinor(django, version(MYSQL_UTF8MB4_DEFAULT_SINCE)) >= 0 ? 'utf8mb4' : 'utf8';
}
