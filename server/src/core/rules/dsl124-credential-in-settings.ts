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
    const report = (
      setting: string,
      judged: Judged<string>[],
      what: string,
      secretKind: string,
      variable: string,
      shown?: string,
    ): void => {
      const wholeUrl = shown !== undefined;
      const j = judged[0];
      if (!j) return;
      // A lookup's default read from an environment file (.env, decouple's settings.ini) is not written in
      // the settings file: the secret itself must appear in the text the default comes from.
      const span = j.source.span;
      const secret = wholeUrl ? (cacheServers(j.value).find((srv) => srv.password)?.password ?? '') : j.value;
      const text = span ? ctx.text(span.file)?.slice(span.from, span.to) : undefined;
      if (j.ifUnset && secret.length >= 4 && text !== undefined && !text.includes(secret)) return;
      const fix = environFix(ctx, judged, variable);
      ctx.report({
        at: j.source.span ? j.source : undefined,
        message: `${what}${shown ? ` '${shown}'` : ''} is written in the settings file${ifUnsetSuffix(j)}: anyone who can read the file, its backups or its history learns the ${secretKind}; set ${variable} in the web server's environment${wholeUrl ? ' to the whole URL' : ''} and read it with os.environ.`,
        settings: [setting],
        fix: fix ? { ...fix, applicability: 'unsafe' } : undefined,
      });
    };

    /** The password keys of an entry's OPTIONS dict that hold a credential written in the file. */
    const optionPasswords = (
      setting: string,
      entry: SettingEntry,
      optionsKey: string,
      keys: readonly string[],
      secretKind: string,
      variable: string,
    ): void => {
      const options = optionsDict(entry, optionsKey);
      for (const key of options ? keys : []) {
        const opt = credential(options ? lookupEverywhere(options, key) : undefined);
        if (opt) report(setting, opt, entryPath(setting, entry.alias, optionsKey, key), secretKind, variable);
      }
    };

    for (const db of settingEntries(ctx, DATABASES)) {
      const variable = databaseEnvVar(db.alias, 'PASSWORD');
      const pw = credential(db.field(DB_KEY_PASSWORD));
      if (pw)
        report(DATABASES, pw, entryPath(DATABASES, db.alias, DB_KEY_PASSWORD), 'database password', variable);
      optionPasswords(DATABASES, db, DB_KEY_OPTIONS, DB_OPTIONS_PASSWORD_KEYS, 'database password', variable);
    }

    for (const cache of settingEntries(ctx, CACHES)) {
      const location = cache.field(CACHE_KEY_LOCATION);
      const opts = location ? possibilities(location) : [];
      const only = opts.length === 1 ? opts[0] : undefined;
      const items =
        (only?.kind === 'list' || only?.kind === 'tuple') && !only.open
          ? only.items
          : location
            ? [location]
            : [];
      items.forEach((item, i) => {
        const hasPassword = (s: string): boolean =>
          cacheServers(s).some((srv) => srv.password !== undefined && srv.password !== '');
        const judged = credential(item, hasPassword);
        const first = judged?.[0];
        if (!judged || !first) return;
        const variable = cacheEnvVar(cache.alias, 'LOCATION', items.length > 1 ? i + 1 : undefined);
        report(
          CACHES,
          judged,
          entryPath(CACHES, cache.alias, CACHE_KEY_LOCATION),
          'cache password',
          variable,
          maskUrlPassword(first.value),
        );
      });
      optionPasswords(
        CACHES,
        cache,
        CACHE_KEY_OPTIONS,
        CACHE_OPTIONS_PASSWORD_KEYS,
        'cache password',
        cacheEnvVar(cache.alias, 'PASSWORD'),
      );
    }
  },
});
