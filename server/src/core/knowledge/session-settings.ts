/** Facts about the session settings beyond the engine table: fallbacks, types, the sessions app, what DSL404 watches, SIMULTANEOUS_SESSIONS. */
import { CACHES, DATABASES, SESSIONS_APP, type SIMULTANEOUS_SESSIONS_VALUES } from './names';

/** Where Django's file session engine falls back to when SESSION_FILE_PATH is unset (DJ52 file.py). */
export const SESSION_FILE_PATH_FALLBACK = 'tempfile.gettempdir()';

/**
 * SESSION_FILE_PATH values that are explicit yet exactly the temporary directory's problems (DSL115): the
 * system temp directories (world-writable, shared with every local user, emptied by systemd's PrivateTmp on
 * every restart and by tmpfiles cleaning) and RAM-backed /dev/shm. Compared after removing trailing slashes.
 */
export const TEMPORARY_DIRECTORIES: readonly string[] = ['/tmp', '/var/tmp', '/dev/shm', '/run/shm'];

/**
 * Settings whose value must be a number, and the rule that judges them: an environment lookup without a cast
 * (`os.environ.get('X', 3600)`) is a str whenever the variable is set, so the lookup itself is the finding.
 */
export const NUMERIC_SETTINGS: Readonly<Record<string, { readonly rule: string; readonly cast: 'int' }>> = {
  SESSION_TIMEOUT: { rule: 'DSL405', cast: 'int' },
  SESSION_COOKIE_AGE: { rule: 'DSL507', cast: 'int' },
};

/** The AppConfig path of the sessions app: listing it in INSTALLED_APPS counts as listing the app. */
export const SESSIONS_APP_CONFIG = `${SESSIONS_APP}.apps.SessionsConfig`;

/**
 * The earliest Django whose cached_db engine logs cache errors instead of raising them (PR #17220, #34806).
 * The exact release is unverified; the PR postdates 4.2, so 5.0 is the earliest it can be, and
 * rules treat targets from here on as tolerant (the less alarming reading).
 */
export const CACHED_DB_TOLERATES_CACHE_ERRORS_FROM = '5.0';

/** DSL404 watches every SESSION_* setting (Django's and Horizon's) … */
export const SESSION_SETTING_PREFIX = 'SESSION_';
/** … and these, whose override by a snippet silently changes where sessions live. */
export const SNIPPET_OVERRIDE_WATCHED: readonly string[] = [CACHES, DATABASES];

/** The value of SIMULTANEOUS_SESSIONS that Horizon acts on; every other value behaves as `allow`. */
export const SIMULTANEOUS_SESSIONS_ALLOW: (typeof SIMULTANEOUS_SESSIONS_VALUES)[number] = 'allow';
export const SIMULTANEOUS_SESSIONS_DISCONNECT: (typeof SIMULTANEOUS_SESSIONS_VALUES)[number] = 'disconnect';
