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
import { cursorContext } from './cursor-context';
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
  let ctx;
  try {
    ctx = cursorContext(text, offset);
  } catch {
    return [];
  }
  if (!ctx.setting) return [];
  const s = ctx.string;
  const helperUrls = s ? urlCompletions(text, s, offset) : undefined;
  if (helperUrls) return helperUrls;
  const replace = s ? { from: s.from, to: s.closed ? s.to : offset } : { from: offset, to: offset };
  const quote = s?.quote;
  const values = (
    items: { label: string; detail?: string; doc?: string; deprecated?: boolean; card?: TradeoffCard }[],
  ): CompletionEntry[] =>
    items.map((it, i) => ({
      label: it.label,
      kind: 'value',
      detail: it.detail,
      documentation:
        [it.doc, it.card ? cardMarkdown(it.card) : undefined].filter(Boolean).join('\n\n') || undefined,
      newText: literal(it.label, quote),
      replace,
      deprecated: it.deprecated,
      sortText: String(i).padStart(3, '0'),
    }));
  const keys = (docs: readonly KeyDoc[]): CompletionEntry[] =>
    docs.map((k, i) => ({
      label: k.name,
      kind: 'key',
      detail: k.type,
      documentation: keyDocMarkdown(k),
      newText: literal(k.name, quote),
      replace,
      sortText: String(i).padStart(3, '0'),
    }));

  if (ctx.setting === SESSION_ENGINE && ctx.path.length === 0 && ctx.position === 'value') {
    return values(
      SESSION_ENGINES.map((e) => ({
        label: e.id,
        detail: e.card.summary,
        doc: `Stores: ${e.stores}`,
        card: e.card,
      })),
    );
  }
  if (ctx.setting === SESSION_SERIALIZER && ctx.path.length === 0 && ctx.position === 'value') {
    return values(
      SESSION_SERIALIZERS.map((z) => ({
        label: z.path,
        detail: z.format,
        doc: z.description,
        deprecated: z.djangoDeprecated !== undefined,
      })),
    );
  }
  if (ctx.setting === CACHES) {
    if (ctx.path.length === 1 && ctx.position === 'value' && ctx.key === 'BACKEND') {
      const items = CACHE_BACKENDS.flatMap((b) => {
        const a = cacheBackendAvailability(b.path, env.django);
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
      // Maintained built-ins first, then third-party, deprecated last.
      items.sort((x, y) => Number(x.deprecated ?? false) - Number(y.deprecated ?? false));
      return values(items);
    }
    if (ctx.path.length === 1 && ctx.position === 'key') return keys(CACHE_ENTRY_KEYS);
    if (ctx.path.length === 2 && ctx.path[1] === 'OPTIONS' && ctx.position === 'key') {
      const backend = env.entryField?.(CACHES, ctx.path[0] ?? '', 'BACKEND');
      const b = backend ? findCacheBackend(backend) : undefined;
      return b ? keys(b.optionsKeys) : [];
    }
  }
  if (ctx.setting === DATABASES) {
    if (ctx.path.length === 1 && ctx.position === 'value' && ctx.key === 'ENGINE') {
      return values(
        DATABASE_ENGINES.filter((e) => !e.djangoRemoved).map((e) => ({
          label: e.path,
          detail: e.card.summary,
          doc: e.driverText,
          card: e.card,
        })),
      );
    }
    if (ctx.path.length === 1 && ctx.position === 'key') return keys(DATABASE_ENTRY_KEYS);
    if (ctx.path.length === 2 && ctx.path[1] === 'TEST' && ctx.position === 'key')
      return keys(DATABASE_TEST_KEYS);
    if (ctx.path.length === 2 && ctx.path[1] === 'OPTIONS' && ctx.position === 'key') {
      const engine = env.entryField?.(DATABASES, ctx.path[0] ?? '', 'ENGINE');
      return keys((engine ? databaseOptionsKeys(engine) : undefined) ?? []);
    }
  }
  return [];
}
