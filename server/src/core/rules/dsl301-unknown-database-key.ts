/** DSL301: a key in a DATABASES entry that Django does not know and silently ignores. */
import {
  DATABASES,
  DATABASE_ENTRY_KEY_NAMES,
  DATABASE_KEY_CORRECTIONS,
  DB_ENGINE_PREFIX,
  DB_KEY_ENGINE,
  DB_KEY_OPTIONS,
  DB_KEY_TEST,
  type DatabaseKeyCorrection,
  MYSQL_CHARSET_OPTION,
  closestMatch,
  findDatabaseEngine,
  mysqlDefaultCharset,
} from '../knowledge';
import { dictLookup, keyString } from '../evaluate/values';
import { pythonStringLiteral } from '../python/strings';
import type { DictEntry, FixApplicability, TextEdit } from '../types';
import { defineRule, knownStrings, replaceString, type RuleContext } from './framework';
import { appendItem, removeItem, replaceItem } from '../edits/literal';
import { quoteOf } from '../edits/syntax';
import { settingEntries } from '../queries/session-storage';
import { entryPath, entryNamed, type SettingEntry } from '../queries/entries';

interface Repair {
  readonly title: string;
  readonly edits: TextEdit[];
  readonly applicability: FixApplicability;
}

/** Moves `item` into the entry's OPTIONS/TEST dict as `inner` (creating the dict in its place when absent). */
function moveInto(
  ctx: RuleContext,
  db: SettingEntry,
  item: DictEntry,
  container: string,
  inner: string,
  suggested: string | undefined,
): Repair | undefined {
  const vs = item.value.span;
  const text = vs ? ctx.text(vs.file) : undefined;
  if (!vs || text === undefined) return undefined;
  const q = quoteOf(ctx, item.key.span);
  const valueText = suggested !== undefined ? pythonStringLiteral(suggested, q) : text.slice(vs.from, vs.to);
  const newItem = `${q}${inner}${q}: ${valueText}`;
  // Test-database settings never touch the running site; connection options do.
  const applicability: FixApplicability = container === DB_KEY_TEST ? 'safe' : 'unsafe';
  const title = `Move it into ${container} as '${inner}'${suggested !== undefined ? ` = '${suggested}'` : ''}`;
  if (db.field(container) === undefined) {
    const edit = replaceItem(item, `${q}${container}${q}: {${newItem}}`);
    return edit ? { title, edits: [edit], applicability } : undefined;
  }
  const containerItem = db.itemOf(container);
  if (containerItem?.value.kind !== 'dict') return undefined;
  const remove = removeItem(ctx, db.entry, item);
  if (!remove) return undefined;
  const present = dictLookup(containerItem.value, { kind: 'str', value: inner }).found;
  if (present === 'maybe') return undefined;
  // The container already says it and wins today: dropping the ignored key changes nothing at run time.
  if (present === true)
    return {
      title: `Remove it (${container} already sets '${inner}')`,
      edits: [remove],
      applicability: 'safe',
    };
  const add = appendItem(ctx, containerItem.value, newItem);
  return add ? { title, edits: [remove, ...add], applicability } : undefined;
}

export default defineRule({
  code: 'DSL301',
  name: 'unknown-database-key',
  title: 'Unknown key in a DATABASES entry (silently ignored)',
  severity: { production: 'warning', development: 'warning' },
  versionDependent: false,
  fix: 'unsafe',
  docs: {
    what: "A DATABASES entry has a top-level key Django does not read — `default-character-set`, `charset`, `CHARSET`, `OPTION`, `HOSTNAME` and so on. Judged only for Django's own database engines (`django.db.backends.…`) or an entry without ENGINE; third-party engines may read their own keys.",
    why: "Django never validates the keys of a DATABASES entry: it fills in defaults and passes only NAME/USER/PASSWORD/HOST/PORT and OPTIONS to the driver (DJ52 db/backends/mysql/base.py get_connection_params; db/utils.py configure_settings). Horizon's session-storage guide puts `'default-character-set': 'utf8'` at the top of the entry; `manage.py check` reports no issue and the key is ignored (reproduced on Django 3.2 and 5.2). `default-character-set` is a my.cnf option; the settings equivalent is `OPTIONS: {'charset': 'utf8mb4'}`.",
    example:
      "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.mysql',\n        'NAME': 'dash',\n        'default-character-set': 'utf8',\n    }\n}",
    useInstead:
      "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.mysql',\n        'NAME': 'dash',\n        'OPTIONS': {'charset': 'utf8mb4'},\n    }\n}",
    fixSafety:
      "MySQL charset keys move into OPTIONS as `'charset': 'utf8mb4'`; test-database keys (CHARSET, COLLATION, TEST_NAME…) move into TEST; anything else is renamed to the closest valid key when one is close. Moving into TEST, or dropping a key whose target is already set, is safe (nothing changes for the running site). The rest is unsafe: the ignored value starts to apply, which changes the connection (its charset, server, credentials or options).",
  },
  check(ctx) {
    for (const db of settingEntries(ctx, DATABASES)) {
      // Keys are listed from one literal: a DATABASES that differs between branches is not judged key by key.
      if (db.branches !== 1) continue;
      const engineValue = db.field(DB_KEY_ENGINE);
      let engine: string | undefined;
      if (engineValue !== undefined) {
        const judged = knownStrings(engineValue);
        // A third-party engine may read keys of its own; an unknown ENGINE is not ours to judge.
        if (!judged || !judged.every((j) => j.value.trim().startsWith(DB_ENGINE_PREFIX))) continue;
        engine = judged.length === 1 ? judged[0]?.value.trim() : undefined;
      }
      for (const item of db.entry.entries) {
        const key = keyString(item);
        if (key === undefined || DATABASE_ENTRY_KEY_NAMES.includes(key) || entryNamed(db.entry, key) !== item)
          continue;
        const keySpan = item.keySpan ?? item.key.span;
        if (!keySpan) continue;
        const known: DatabaseKeyCorrection | undefined = DATABASE_KEY_CORRECTIONS.find(
          (c) => c.key === key && (c.onlyFor === undefined || c.onlyFor === engine),
        );
        const renameTo =
          known?.action === 'rename'
            ? known.to
            : known
              ? undefined
              : closestMatch(key, DATABASE_ENTRY_KEY_NAMES);

        let advice: string;
        let fix: Repair | undefined;
        if (known && known.action !== 'rename') {
          const container = known.action === 'into-options' ? DB_KEY_OPTIONS : DB_KEY_TEST;
          const vendor = engine ? (findDatabaseEngine(engine)?.vendor ?? 'driver') : 'driver';
          const suggested = known.suggestedValue;
          advice =
            container === DB_KEY_OPTIONS
              ? `${vendor} connection options go in OPTIONS: {'${known.to}': ${suggested !== undefined ? `'${suggested}'` : '…'}}`
              : `it configures the test database and belongs in TEST as '${known.to}'`;
          if (known.to === MYSQL_CHARSET_OPTION) {
            const dflt = mysqlDefaultCharset(ctx.django);
            advice = `the connection keeps Django's default charset (${dflt ?? 'utf8, i.e. utf8mb3, before Django 5.2; utf8mb4 from 5.2'}); ${advice}`;
          }
          fix = moveInto(ctx, db, item, container, known.to, suggested);
        } else if (renameTo !== undefined) {
          advice = `did you mean '${renameTo}'?`;
          const edit = db.field(renameTo) === undefined ? replaceString(ctx, item.key, renameTo) : undefined;
          fix = edit
            ? { title: `Rename to '${renameTo}'`, edits: [edit], applicability: 'unsafe' }
            : undefined;
        } else {
          advice =
            'remove it or move it where it belongs (OPTIONS for driver options, TEST for the test database)';
        }
        ctx.report({
          at: keySpan,
          message: `${entryPath(DATABASES, db.alias)} has the key '${key}', which Django does not know and silently ignores: ${advice}${advice.endsWith('?') ? '' : '.'}`,
          settings: [DATABASES],
          fix,
        });
      }
    }
  },
});
