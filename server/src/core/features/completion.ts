/**
 * Completion for settings files from the knowledge data: SESSION_ENGINE and SESSION_SERIALIZER values, cache
 * BACKEND values for the target Django, database ENGINE values, CACHES/DATABASES entry keys and the OPTIONS
 * keys of the chosen backend. Works on text being typed (the scanner tolerates unfinished code). Pure.
 */
import {
  CACHE_BACKENDS,
  CACHE_ENTRY_KEYS,
  CACHES,
  DATABASE_ENGINES,
  DATABASE_ENTRY_KEYS,
  DATABASE_TEST_KEYS,
  DATABASES,
  SESSION_ENGINE,
  SESSION_ENGINES,
  SESSION_SERIALIZER,
  SESSION_SERIALIZERS,
  cacheBackendAvailability,
  databaseOptionsKeys,
  findCacheBackend,
  type KeyDoc,
  type TradeoffCard,
} from '../knowledge';
import type { Version } from '../knowledge/versions';
import type { UrlDialect } from '../knowledge/url-helpers';
import { urlSchemeExamples } from '../evaluate/url-helpers';
import { cursorContext, type CursorContext } from './cursor-context';
import { cardMarkdown } from './markdown';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: 'value' | 'key';
  readonly detail?: string | undefined;
  /** Markdown documentation. */
  readonly documentation?: string | undefined;
  /** Replaces `replace` (a whole string literal, quotes included) or is inserted at the cursor. */
  readonly newText: string;
  readonly replace: { readonly from: number; readonly to: number };
  readonly deprecated?: boolean | undefined;
  readonly sortText?: string | undefined;
}

export interface CompletionEnv {
  readonly django?: Version | undefined;
  /** The BACKEND / ENGINE of an entry, when known from the last analysis (for OPTIONS keys). */
  readonly entryField?: ((setting: string, alias: string, key: string) => string | undefined) | undefined;
}

function literal(value: string, quote: string | undefined): string {
  const q = quote && quote.length === 1 ? quote : "'";
  return q + value.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), '\\' + q) + q;
}

function keyDocMarkdown(k: KeyDoc): string {
  const parts = [k.description];
  if (k.type) parts.push(`Type: \`${k.type}\``);
  if (k.default) parts.push(`Default: \`${k.default}\``);
  if (k.djangoAdded) parts.push(`Django ≥ ${k.djangoAdded}`);
  return parts.join('\n\n');
}

/** Calls whose string argument is a settings URL, by the text before the string, and their dialect. */
const URL_CALL_BEFORE: readonly [RegExp, UrlDialect][] = [
  [/\.(?:cache|cache_url)\(\s*(?:['"][A-Za-z_]\w*['"]\s*,\s*)?(?:default\s*=\s*)?$/, 'environ-cache'],
  [/\.(?:db|db_url)\(\s*(?:['"][A-Za-z_]\w*['"]\s*,\s*)?(?:default\s*=\s*)?$/, 'environ-db'],
  [/dj_database_url\.(?:config\([^()]*default\s*=\s*|parse\(\s*)$/, 'dj-database-url'],
  [/django_cache_url\.(?:config\([^()]*default\s*=\s*|parse\(\s*)$/, 'django-cache-url'],
];

/** Scheme completions inside the URL string of `env.cache(...)`, `dj_database_url.config(default=...)` … */
function urlCompletions(
  text: string,
  s: { from: number; to: number; quote: string; closed: boolean },
  offset: number,
): CompletionEntry[] | undefined {
  const before = text.slice(Math.max(0, s.from - 200), s.from);
  const dialect = URL_CALL_BEFORE.find(([re]) => re.test(before))?.[1];
  if (!dialect) return undefined;
  const replace = { from: s.from, to: s.closed ? s.to : offset };
  return urlSchemeExamples(dialect).map(([url, what], i) => ({
    label: url,
    kind: 'value',
    detail: what,
    newText: literal(url, s.quote),
    replace,
    sortText: String(i).padStart(3, '0'),
  }));
}

/** Completion entries at `offset` in `text`. */
export function complete(text: string, offset: number, env: CompletionEnv = {}): CompletionEntry[] {
  let ctx: CursorContext;
  try {
    ctx = cursorContext(text, offset);
  } catch {
    return [];
  }
  if (!ctx.setting) return [];
  const s = ctx.string;
  const helperUrls = s ? urlCompletions(text, s, offset) : undefined;
  if (helperUrls) return helperUrls;
  const at: Insertion = {
    replace: s ? { from: s.from, to: s.closed ? s.to : offset } : { from: offset, to: offset },
    quote: s?.quote,
  };
  return settingCompletions(ctx, env, at);
}

/** Where an entry goes (the string literal around the cursor, replaced whole, or the cursor) and its quote. */
interface Insertion {
  readonly replace: { readonly from: number; readonly to: number };
  readonly quote: string | undefined;
}

/** A value to offer: the string itself, its one-line summary, its documentation and tradeoff card. */
interface ValueItem {
  label: string;
  detail?: string;
  doc?: string;
  deprecated?: boolean;
  card?: TradeoffCard;
}

function valueEntries(items: readonly ValueItem[], at: Insertion): CompletionEntry[] {
  return items.map((it, i) => ({
    label: it.label,
    kind: 'value',
    detail: it.detail,
    documentation:
      [it.doc, it.card ? cardMarkdown(it.card) : undefined].filter(Boolean).join('\n\n') || undefined,
    newText: literal(it.label, at.quote),
    replace: at.replace,
    deprecated: it.deprecated,
    sortText: String(i).padStart(3, '0'),
  }));
}

function keyEntries(docs: readonly KeyDoc[], at: Insertion): CompletionEntry[] {
  return docs.map((k, i) => ({
    label: k.name,
    kind: 'key',
    detail: k.type,
    documentation: keyDocMarkdown(k),
    newText: literal(k.name, at.quote),
    replace: at.replace,
    sortText: String(i).padStart(3, '0'),
  }));
}

/** The entries for the setting the cursor is in, by where in its value the cursor is. */
function settingCompletions(ctx: CursorContext, env: CompletionEnv, at: Insertion): CompletionEntry[] {
  const topLevelValue = ctx.path.length === 0 && ctx.position === 'value';
  if (ctx.setting === SESSION_ENGINE && topLevelValue) return valueEntries(sessionEngineItems(), at);
  if (ctx.setting === SESSION_SERIALIZER && topLevelValue) return valueEntries(serializerItems(), at);
  if (ctx.setting === CACHES) return cachesCompletions(ctx, env, at);
  if (ctx.setting === DATABASES) return databasesCompletions(ctx, env, at);
  return [];
}

/** In a CACHES entry: BACKEND values, the entry's keys, and the OPTIONS keys of its backend. */
function cachesCompletions(ctx: CursorContext, env: CompletionEnv, at: Insertion): CompletionEntry[] {
  const inEntry = ctx.path.length === 1;
  if (inEntry && ctx.position === 'value' && ctx.key === 'BACKEND')
    return valueEntries(cacheBackendItems(env.django), at);
  if (inEntry && ctx.position === 'key') return keyEntries(CACHE_ENTRY_KEYS, at);
  if (ctx.path.length === 2 && ctx.path[1] === 'OPTIONS' && ctx.position === 'key') {
    const backend = env.entryField?.(CACHES, ctx.path[0] ?? '', 'BACKEND');
    const b = backend ? findCacheBackend(backend) : undefined;
    return b ? keyEntries(b.optionsKeys, at) : [];
  }
  return [];
}

/** In a DATABASES entry: ENGINE values, the entry's keys, and the keys of its TEST and OPTIONS dicts. */
function databasesCompletions(ctx: CursorContext, env: CompletionEnv, at: Insertion): CompletionEntry[] {
  const inEntry = ctx.path.length === 1;
  if (inEntry && ctx.position === 'value' && ctx.key === 'ENGINE')
    return valueEntries(databaseEngineItems(), at);
  if (inEntry && ctx.position === 'key') return keyEntries(DATABASE_ENTRY_KEYS, at);
  const dictKey = ctx.path.length === 2 && ctx.position === 'key' ? ctx.path[1] : undefined;
  if (dictKey === 'TEST') return keyEntries(DATABASE_TEST_KEYS, at);
  if (dictKey === 'OPTIONS') {
    const engine = env.entryField?.(DATABASES, ctx.path[0] ?? '', 'ENGINE');
    return keyEntries((engine ? databaseOptionsKeys(engine) : undefined) ?? [], at);
  }
  return [];
}

function sessionEngineItems(): ValueItem[] {
  return SESSION_ENGINES.map((e) => ({
    label: e.id,
    detail: e.card.summary,
    doc: `Stores: ${e.stores}`,
    card: e.card,
  }));
}

function serializerItems(): ValueItem[] {
  return SESSION_SERIALIZERS.map((z) => ({
    label: z.path,
    detail: z.format,
    doc: z.description,
    deprecated: z.djangoDeprecated !== undefined,
  }));
}

/** The cache backends `django` has: maintained built-ins first, then third-party, deprecated last. */
function cacheBackendItems(django: Version | undefined): ValueItem[] {
  const items = CACHE_BACKENDS.flatMap((b) => {
    const a = cacheBackendAvailability(b.path, django);
    if (a.status === 'removed' || a.status === 'not-yet-added') return [];
    return [
      {
        label: b.path,
        detail: b.card.summary,
        doc: a.note,
        deprecated: a.status === 'deprecated' || !b.maintained,
        card: b.card,
      },
    ];
  });
  items.sort((x, y) => Number(x.deprecated ?? false) - Number(y.deprecated ?? false));
  return items;
}

function databaseEngineItems(): ValueItem[] {
  return DATABASE_ENGINES.filter((e) => !e.djangoRemoved).map((e) => ({
    label: e.path,
    detail: e.card.summary,
    doc: e.driverText,
    card: e.card,
  }));
}
