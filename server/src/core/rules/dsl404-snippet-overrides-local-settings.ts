/** DSL404: a SESSION_…, CACHES or DATABASES value set in local_settings.py is replaced later by a local_settings.d snippet; reported on both sides. */
import * as path from 'node:path';
import {
  DEBIAN_CACHE_SNIPPET,
  LOCAL_SETTINGS_DIR,
  SESSION_SETTING_PREFIX,
  SNIPPET_OVERRIDE_WATCHED,
} from '../knowledge';
import type { AssignmentEvent } from '../evaluate/evaluate';
import { dictLookup, possibilities } from '../evaluate/values';
import { MAX_WALK_DEPTH } from '../evaluate/value-depth';
import type { Span, Value } from '../types';
import { defineRule, type RuleContext } from './framework';
import { messagePath, where } from './setting-helpers';

type Event = AssignmentEvent & { readonly role: string };

/** One value local_settings.py left at a key path (dicts are walked, anything else is a leaf). */
interface Leaf {
  readonly path: readonly string[];
  readonly value: Value;
}

function watched(name: string): boolean {
  return name.startsWith(SESSION_SETTING_PREFIX) || SNIPPET_OVERRIDE_WATCHED.includes(name);
}

function leavesOf(v: Value, at: readonly string[], out: Leaf[]): void {
  const keyed = v.kind === 'dict' ? v.entries.filter((e) => e.key.kind === 'str') : [];
  // Past MAX_WALK_DEPTH a dict is compared as a whole (a leaf).
  if (v.kind !== 'dict' || keyed.length === 0 || at.length >= MAX_WALK_DEPTH) {
    out.push({ path: at, value: v });
    return;
  }
  for (const e of keyed) if (e.key.kind === 'str') leavesOf(e.value, [...at, e.key.value], out);
}

function sameSpan(a: Span | undefined, b: Span | undefined): boolean {
  return a !== undefined && b !== undefined && a.file === b.file && a.from === b.from && a.to === b.to;
}

/** The same value object, or the same expression (values are copied when containers are rebuilt). */
function sameOrigin(a: Value, b: Value): boolean {
  return a === b || (a.kind === b.kind && sameSpan(a.span, b.span));
}

/**
 * Whether the final namespace certainly no longer holds `leaf` at its key path: every possibility either
 * lacks the key, holds another value, or was replaced by a snippet with something the analyser cannot read.
 * False when that cannot be decided (unknown values are never judged).
 */
function replaced(
  final: Value | undefined,
  leaf: Leaf,
  bySnippet: (span: Span | undefined) => boolean,
  depth = 0,
): boolean {
  if (final === undefined) return true;
  return possibilities(final).every((opt) => {
    if (depth === leaf.path.length) return !sameOrigin(opt, leaf.value);
    if (opt.kind !== 'dict')
      return opt.kind === 'unknown' ? bySnippet(opt.span) : !sameOrigin(opt, leaf.value);
    const found = dictLookup(opt, { kind: 'str', value: leaf.path[depth] as string });
    if (found.found === true) return replaced(found.entry.value, leaf, bySnippet, depth + 1);
    return found.found === false;
  });
}

function compatible(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function lastWhere(events: readonly Event[], test: (e: Event) => boolean): Event | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as Event;
    if (test(e)) return e;
  }
  return undefined;
}

function show(name: string, keys: readonly string[]): string {
  return name + keys.map((k) => `['${k}']`).join('');
}

export default defineRule({
  code: 'DSL404',
  name: 'snippet-overrides-local-settings',
  title: 'Setting overridden by a local_settings.d snippet',
  severity: { production: 'warning', development: 'warning' },
  versionDependent: false,
  horizonOnly: true,
  fix: 'none',
  docs: {
    what: "A SESSION_* setting, CACHES or DATABASES that local_settings.py sets is set again by a snippet in local_settings.d, which Horizon runs afterwards. Both places are reported, each pointing at the other. A snippet that changes part of a dict (`CACHES['default']['LOCATION'] = …`, `.update(…)`) counts only for the keys local_settings.py had set; adding keys is not an override. The classic case is Debian's `_0006_debian_cache.py`, which puts CACHES back to LocMemCache.",
    why: 'Horizon star-imports local_settings.py and then exec()s every `local_settings.d/**/*.py` in sorted order into the same namespace, so the snippet wins and the value in local_settings.py is silently ignored (verified on Debian 12: a memcached CACHES in local_settings.py is overridden back to LocMemCache). Operators edit local_settings.py, restart, and nothing changes.',
    example:
      "# local_settings.py\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.11:11211'}}\n\n# local_settings.d/_0006_debian_cache.py\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'}}",
    useInstead:
      "# keep the setting in one place: remove (or comment out) the snippet's CACHES,\n# or move the local_settings.py value into a snippet that sorts later, e.g. local_settings.d/_9000_site_cache.py",
    fixSafety: "No automatic fix: which of the two values is the intended one is the operator's decision.",
  },
  check(ctx) {
    const local = ctx.project.files.find((f) => f.role === 'local_settings');
    if (!local) return;
    const events = ctx.project.events as readonly Event[];
    const bySnippet = (span: Span | undefined): boolean =>
      span !== undefined && ctx.project.roleOf(span.file) === 'local_settings.d';
    const isChange = (e: Event): boolean => e.kind === 'assign' || e.kind === 'mutate' || e.kind === 'delete';
    // The local and snippet writes of each watched name, in order: one pass over the events (a long file has
    // thousands), not one per name.
    const localWrites = new Map<string, Event[]>();
    const snippetWrites = new Map<string, Event[]>();
    for (const e of events) {
      if (!watched(e.name)) continue;
      const into =
        e.role === 'local_settings' &&
        e.span.file === local.path &&
        (e.kind === 'assign' || e.kind === 'mutate')
          ? localWrites
          : e.role === 'local_settings.d' && isChange(e)
            ? snippetWrites
            : undefined;
      if (!into) continue;
      const list = into.get(e.name);
      if (list) list.push(e);
      else into.set(e.name, [e]);
    }
    for (const name of local.evaluation.env.keys()) {
      if (!watched(name)) continue;
      const localEvents = localWrites.get(name) ?? [];
      const snippetEvents = snippetWrites.get(name) ?? [];
      const binding = local.evaluation.env.get(name);
      if (localEvents.length === 0 || snippetEvents.length === 0 || !binding) continue;
      const leaves: Leaf[] = [];
      leavesOf(binding.value, [], leaves);
      const final = ctx.project.env.get(name)?.value;
      // Pair each overridden leaf with the local statement that set it and the last snippet statement that touched it.
      const pairs = new Map<string, { local: Event; snippet: Event; leaves: Leaf[] }>();
      for (const leaf of leaves) {
        if (!replaced(final, leaf, bySnippet)) continue;
        const snippet = lastWhere(snippetEvents, (e) => compatible(e.path, leaf.path));
        const setter = lastWhere(localEvents, (e) => compatible(e.path, leaf.path));
        if (!snippet || !setter) continue;
        const key = `${setter.span.from}|${snippet.span.file}|${snippet.span.from}`;
        const pair = pairs.get(key) ?? { local: setter, snippet, leaves: [] };
        pair.leaves.push(leaf);
        pairs.set(key, pair);
      }
      for (const pair of pairs.values()) reportPair(ctx, name, pair, leaves);
    }
  },
});

function reportPair(
  ctx: RuleContext,
  name: string,
  pair: { local: Event; snippet: Event; leaves: Leaf[] },
  all: readonly Leaf[],
): void {
  const { local, snippet } = pair;
  // Name what was lost: the narrower of the two targets when everything under it went, else the key paths.
  const under =
    (p: readonly string[]) =>
    (l: Leaf): boolean =>
      l.path.length >= p.length && compatible(p, l.path);
  const target = snippet.path.length > local.path.length ? snippet.path : local.path;
  const ofTarget = all.filter(under(local.path)).filter(under(target));
  const whole = pair.leaves.length === ofTarget.length && pair.leaves.every(under(target));
  const lost = whole
    ? show(name, target)
    : pair.leaves
        .map((l) => show(name, l.path))
        .slice(0, 3)
        .join(', ') + (pair.leaves.length > 3 ? ` and ${pair.leaves.length - 3} more` : '');
  const snippetFile = messagePath(ctx, snippet.span.file);
  const localFile = messagePath(ctx, local.span.file);
  const debian =
    path.basename(snippet.span.file) === DEBIAN_CACHE_SNIPPET
      ? " (Debian's packaged snippet: comment out its block to use local_settings.py's)"
      : '';
  const how = snippet.kind === 'delete' ? 'deletes' : 'replaces';
  ctx.report({
    at: local.target,
    message: `${lost} set here is overridden by ${where(ctx, snippet.span)}${debian}: Horizon runs ${LOCAL_SETTINGS_DIR} snippets after ${localFile}, so this value never takes effect; remove one of the two or move this one into a later snippet.`,
    settings: [name],
    related: [{ span: snippet.target, message: `${snippetFile} ${how} ${lost} here` }],
  });
  ctx.report({
    at: snippet.target,
    message: `This ${how} ${lost} set in ${where(ctx, local.span)}: Horizon runs ${LOCAL_SETTINGS_DIR} snippets after ${localFile}, so the value there is silently ignored; keep the setting in one place.`,
    settings: [name],
    related: [{ span: local.target, message: `${lost} set here in ${localFile} (overridden)` }],
  });
}
