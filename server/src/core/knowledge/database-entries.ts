/** Keys and OPTIONS of one DATABASES entry that rules read by name (facts, no rule logic). */

// Keys of one DATABASES entry that rules read by name (the full list is DATABASE_ENTRY_KEYS).
export const DB_KEY_ENGINE = 'ENGINE';
export const DB_KEY_NAME = 'NAME';
export const DB_KEY_USER = 'USER';
export const DB_KEY_PASSWORD = 'PASSWORD';
export const DB_KEY_HOST = 'HOST';
export const DB_KEY_PORT = 'PORT';
export const DB_KEY_OPTIONS = 'OPTIONS';
export const DB_KEY_TEST = 'TEST';
/** DATABASES keys that a documentation placeholder is often left in (DSL123). */
export const DB_PLACEHOLDER_KEYS: readonly string[] = [
  DB_KEY_NAME,
  DB_KEY_USER,
  DB_KEY_PASSWORD,
  DB_KEY_HOST,
];
/** Of those, the ones whose value is a secret and must be masked in messages. */
export const DB_SECRET_KEYS: readonly string[] = [DB_KEY_PASSWORD];

export const DB_OPTIONS_PASSWORD_KEYS: readonly string[] = ['password', 'passwd'];

/** MySQL OPTIONS key for the connection character set (passed to MySQLdb.connect). */
export const MYSQL_CHARSET_OPTION = 'charset';

/** The database servers' own defaults: TCP ports, and where Debian's clients look for the local socket. */
export const DEFAULT_MYSQL_PORT = 3306;
export const DEFAULT_POSTGRESQL_PORT = 5432;
/** Where Debian's mysqlclient (libmariadb) looks when HOST is '' or 'localhost'. */
export const DEFAULT_MYSQL_SOCKET = '/run/mysqld/mysqld.sock';
/** libpq's default socket directory on Debian (HOST ''). */
export const DEFAULT_POSTGRESQL_SOCKET_DIR = '/var/run/postgresql';
