/** DSL124: a database or cache password written literally in a settings file. */
import {
  CACHES,
  CACHE_KEY_LOCATION,
  CACHE_KEY_OPTIONS,
  CACHE_OPTIONS_PASSWORD_KEYS,
  DATABASES,
  DB_KEY_OPTIONS,
  DB_KEY_PASSWORD,
  DB_OPTIONS_PASSWORD_KEYS,
  cacheEnvVar,
  cacheServers,
  databaseEnvVar,
  maskUrlPassword,
} from '../knowledge';
import { possibilities } from '../evaluate/values';
import type { TextEdit, Value } from '../types';
import {
  defineRule,
  ifUnsetSuffix,
  knownStrings,
  replaceValue,
  type Judged,
  type RuleContext,
} from './framework';
import { environLookup, osImport } from '../edits/statements';
import { quoteOf } from '../edits/syntax';
import { settingEntries } from '../queries/session-storage';
import { entryPath, lookupEverywhere, type SettingEntry } from '../queries/entries';

/** Every possibility is a non-empty known string passing `test`; the judged possibilities, else undefined. */
function credential(
  v: Value | undefined,
  test: (s: string) => boolean = () => true,
): Judged<string>[] | undefined {
  const judged = knownStrings(v);
  return judged && judged.every((j) => j.value !== '' && test(j.value)) ? judged : undefined;
}

/** Replaces the literal with `os.environ["VAR"]` (adding `import os` when needed); undefined when that is not safe to write. */
function environFix(
  ctx: RuleContext,
  judged: Judged<string>[],
  variable: string,
): { title: string; edits: TextEdit[] } | undefined {
  const j = judged[0];
  const span = j?.source.span;
  if (!j || judged.length !== 1 || j.ifUnset || !span) return undefined;
  // Only in the workspace's settings layers: an imported module may be shared with other projects.
  if (!ctx.project.files.some((f) => f.path === span.file)) return undefined;
  const replace = replaceValue(j.source, environLookup(variable, quoteOf(ctx, j.source.span)));
  const imp = osImport(ctx, span.file, span.from);
  if (!replace || !imp) return undefined;
  return {
    title: `Read it from the environment variable ${variable}`,
    edits: imp.edit ? [imp.edit, replace] : [replace],
  };
}

function optionsDict(entry: SettingEntry, key: string): Extract<Value, { kind: 'dict' }> | undefined {
  const v = entry.field(key);
  const opts = v ? possibilities(v) : [];
  const only = opts.length === 1 ? opts[0] : undefined;
  return only?.kind === 'dict' ? only : undefined;
}

/** A password written in a settings file, and how the finding names it. */
interface Credential {
  readonly setting: typeof DATABASES | typeof CACHES;
  readonly judged: Judged<string>[];
  /** Where it is: `DATABASES['default']['PASSWORD']`. */
  readonly what: string;
  /** The environment variable to read it from instead. */
  readonly variable: string;
  /** The whole LOCATION URL (password masked) when the password is part of one. */
  readonly shown?: string;
}

/** Where each setting keeps passwords besides its own keys, and what the message calls them. */
const STORES = {
  [DATABASES]: {
    optionsKey: DB_KEY_OPTIONS,
    passwordKeys: DB_OPTIONS_PASSWORD_KEYS,
    secretKind: 'database password',
  },
  [CACHES]: {
    optionsKey: CACHE_KEY_OPTIONS,
    passwordKeys: CACHE_OPTIONS_PASSWORD_KEYS,
    secretKind: 'cache password',
  },
} as const;

/** A DATABASES entry's PASSWORD and the password keys of its OPTIONS. */
function databaseCredentials(db: SettingEntry): Credential[] {
  const variable = databaseEnvVar(db.alias, 'PASSWORD');
  const pw = credential(db.field(DB_KEY_PASSWORD));
  const what = entryPath(DATABASES, db.alias, DB_KEY_PASSWORD);
  const own: Credential[] = pw ? [{ setting: DATABASES, judged: pw, what, variable }] : [];
  return [...own, ...optionCredentials(DATABASES, db, variable)];
}

/** Passwords in a CACHES entry's LOCATION URLs (one variable per server when there are several) and OPTIONS. */
function cacheCredentials(cache: SettingEntry): Credential[] {
  const servers = locationServers(cache.field(CACHE_KEY_LOCATION));
  const what = entryPath(CACHES, cache.alias, CACHE_KEY_LOCATION);
  const inLocation = servers.flatMap((server, i): Credential[] => {
    const judged = credential(server, hasPassword);
    const first = judged?.[0];
    if (!judged || !first) return [];
    const variable = cacheEnvVar(cache.alias, 'LOCATION', servers.length > 1 ? i + 1 : undefined);
    return [{ setting: CACHES, judged, what, variable, shown: maskUrlPassword(first.value) }];
  });
  return [...inLocation, ...optionCredentials(CACHES, cache, cacheEnvVar(cache.alias, 'PASSWORD'))];
}

/** LOCATION's servers: the items of a complete list or tuple, else LOCATION itself. */
function locationServers(location: Value | undefined): readonly Value[] {
  const opts = location ? possibilities(location) : [];
  const only = opts.length === 1 ? opts[0] : undefined;
  if ((only?.kind === 'list' || only?.kind === 'tuple') && !only.open) return only.items;
  return location ? [location] : [];
}

function hasPassword(url: string): boolean {
  return cacheServers(url).some((srv) => srv.password !== undefined && srv.password !== '');
}

/** The password keys of an entry's OPTIONS dict that hold a credential written in the file. */
function optionCredentials(
  setting: typeof DATABASES | typeof CACHES,
  entry: SettingEntry,
  variable: string,
): Credential[] {
  const { optionsKey, passwordKeys } = STORES[setting];
  const options = optionsDict(entry, optionsKey);
  if (!options) return [];
  return passwordKeys.flatMap((key): Credential[] => {
    const judged = credential(lookupEverywhere(options, key));
    const what = entryPath(setting, entry.alias, optionsKey, key);
    return judged ? [{ setting, judged, what, variable }] : [];
  });
}

/**
 * Whether the secret itself appears in the text it comes from: a lookup's default read from an environment
 * file (.env, decouple's settings.ini) is not written in the settings file.
 */
function writtenInSettings(ctx: RuleContext, c: Credential, j: Judged<string>): boolean {
  const span = j.source.span;
  const secret =
    c.shown !== undefined ? (cacheServers(j.value).find((srv) => srv.password)?.password ?? '') : j.value;
  const text = span ? ctx.text(span.file)?.slice(span.from, span.to) : undefined;
  return !(j.ifUnset && secret.length >= 4 && text !== undefined && !text.includes(secret));
}

function reportCredential(ctx: RuleContext, c: Credential): void {
  const j = c.judged[0];
  if (!j || !writtenInSettings(ctx, c, j)) return;
  const fix = environFix(ctx, c.judged, c.variable);
  ctx.report({
    at: j.source.span ? j.source : undefined,
    message: `${c.what}${c.shown ? ` '${c.shown}'` : ''} is written in the settings file${ifUnsetSuffix(j)}: anyone who can read the file, its backups or its history learns the ${STORES[c.setting].secretKind}; set ${c.variable} in the web server's environment${c.shown !== undefined ? ' to the whole URL' : ''} and read it with os.environ.`,
    settings: [c.setting],
    fix: fix ? { ...fix, applicability: 'unsafe' } : undefined,
  });
}

export default defineRule({
  code: 'DSL124',
  name: 'credential-in-settings',
  title: 'Credential written in the settings file',
  severity: { production: 'information', development: 'off' },
  versionDependent: false,
  fix: 'unsafe',
  security: { severity: '5.5', cwe: 260 },
  docs: {
    what: "A password is written literally in a settings file: a DATABASES entry's PASSWORD (or `password`/`passwd` in its OPTIONS), a password inside a cache LOCATION URL (`redis://:secret@host:6379/0`), or a cache OPTIONS PASSWORD/password. A lookup's visible default (`os.environ.get('X', 'secret')`) counts too and is reported \"if X is unset\". Messages never show the password.",
    why: "local_settings.py is world-readable in many packages, copied into backups and configuration-management repositories, and pasted into bug reports; a password in it leaks with it. Reading it from the environment (or a file only the web server can read) keeps it out of the settings and lets each host have its own. Horizon's DATABASES example in the session-storage guide writes the password inline.",
    example:
      "DATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash', 'USER': 'dash',\n                         'PASSWORD': 's3cret-Pa55', 'HOST': 'db.internal'}}",
    useInstead:
      "import os\nDATABASES = {'default': {'ENGINE': 'django.db.backends.mysql', 'NAME': 'dash', 'USER': 'dash',\n                         'PASSWORD': os.environ['DJANGO_DB_PASSWORD'], 'HOST': 'db.internal'}}",
    fixSafety:
      'Unsafe: the fix replaces the literal with `os.environ["…"]` (adding `import os` when the file lacks it), so the site stops starting with a KeyError until that variable is set in the web server\'s environment — the message names it (DJANGO_DB_PASSWORD for the default database, DJANGO_DB_<ALIAS>_PASSWORD for others, DJANGO_CACHE_LOCATION / DJANGO_CACHE_PASSWORD for caches). No fix for a lookup\'s default.',
  },
  check(ctx) {
    const credentials = [
      ...settingEntries(ctx, DATABASES).flatMap(databaseCredentials),
      ...settingEntries(ctx, CACHES).flatMap(cacheCredentials),
    ];
    for (const c of credentials) reportCredential(ctx, c);
  },
});
