/** DSL403: SIMULTANEOUS_SESSIONS has a value Horizon ignores, or 'disconnect' over a caches['default'] that cannot enforce it. */
import {
  DEFAULT_ALIAS,
  DUMMY,
  LOCMEM,
  SIMULTANEOUS_SESSIONS,
  SIMULTANEOUS_SESSIONS_ALLOW,
  SIMULTANEOUS_SESSIONS_DISCONNECT,
  SIMULTANEOUS_SESSIONS_VALUES,
  closestMatch,
  horizonDefault,
} from '../knowledge';
import { describe } from '../evaluate/values';
import type { EffectiveSetting } from '../layers/project';
import type { FixApplicability, RelatedLocation, TextEdit, Value } from '../types';
import { defineRule, ifUnsetSuffix, judgeAll, type Judged, type RuleContext } from './framework';
import { reportAt, setSettingEdit, whoSet } from './setting-helpers';
import { backendOf, cacheEntry } from '../queries/session-storage';

export default defineRule({
  code: 'DSL403',
  name: 'simultaneous-sessions-misconfigured',
  title: 'SIMULTANEOUS_SESSIONS misconfigured',
  severity: { production: 'warning', development: 'information' },
  versionDependent: true,
  horizonOnly: true,
  fix: 'safe',
  docs: {
    what: "Horizon's SIMULTANEOUS_SESSIONS (21.1.0 Yoga and later) is neither `'allow'` nor `'disconnect'`, or it is `'disconnect'` while `caches['default']` — not SESSION_CACHE_ALIAS: Horizon's middleware hard-codes the default alias — is LocMemCache or DummyCache. Silent for Horizon releases that do not have the setting.",
    why: "Horizon's SimultaneousSessionsMiddleware compares the value with `'disconnect'`; anything else (a typo, `'Disconnect'`, `True`) silently allows several sessions per user. With `'disconnect'` it remembers each user's latest session in `caches['default']`: in LocMemCache that memory is per worker process, so an older session survives whenever its requests reach another process (Horizon runs cpu_count()+1 of them); in DummyCache it is never remembered, so nobody is ever disconnected.",
    example: "SIMULTANEOUS_SESSIONS = 'Disconnect'",
    useInstead:
      "SIMULTANEOUS_SESSIONS = 'disconnect'\nCACHES = {'default': {'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache', 'LOCATION': '10.0.0.11:11211'}}",
    fixSafety:
      "For an unknown value: safe when it writes `'allow'` (what Horizon does with the value today: only case or spaces differ, or nothing is close to `'disconnect'`); unsafe when it writes `'disconnect'` for a near miss such as `'Disconnect'` or `'disconect'`, because users then start being logged out of older sessions. No fix for the cache case (see DSL104 for a shared cache).",
  },
  check(ctx) {
    // Releases whose defaults lack the setting do not read it at all (it arrived in 21.1.0, Yoga).
    if (ctx.horizon && horizonDefault(ctx.horizon, SIMULTANEOUS_SESSIONS) === undefined) return;
    const setting = ctx.effective(SIMULTANEOUS_SESSIONS);
    const judged = judgeAll(setting?.value, (k) =>
      k.kind === 'unknown' || k.kind === 'oneOf' ? undefined : k,
    );
    if (!setting || !judged) return;
    const isValid = (v: Value): boolean =>
      v.kind === 'str' && (SIMULTANEOUS_SESSIONS_VALUES as readonly string[]).includes(v.value);

    // Unknown values are never judged: judged only when every possibility is invalid.
    if (judged.every((j) => !isValid(j.value))) {
      for (const j of judged) {
        const fix = valueFix(ctx, j, judged.length === 1 ? setting : undefined);
        ctx.report({
          at: reportAt(ctx, setting, j.source, [SIMULTANEOUS_SESSIONS]),
          message: `SIMULTANEOUS_SESSIONS is ${describe(j.value)}${ifUnsetSuffix(j)}, which Horizon treats as '${SIMULTANEOUS_SESSIONS_ALLOW}': only '${SIMULTANEOUS_SESSIONS_DISCONNECT}' logs out a user's older sessions.${fix.suggest ? ` Did you mean '${fix.suggest}'?` : ''}`,
          settings: [SIMULTANEOUS_SESSIONS],
          fix: fix.fix,
        });
      }
      return;
    }

    if (!judged.every((j) => j.value.kind === 'str' && j.value.value === SIMULTANEOUS_SESSIONS_DISCONNECT))
      return;
    const entry = cacheEntry(ctx, DEFAULT_ALIAS);
    const backend = entry ? backendOf(entry) : undefined;
    if (!entry || !backend) return;
    const kind = backend.judged.every((b) => b.value.trim() === LOCMEM)
      ? 'locmem'
      : backend.judged.every((b) => b.value.trim() === DUMMY)
        ? 'dummy'
        : undefined;
    if (!kind) return;
    const related: RelatedLocation[] = [];
    if (entry.setting.origin.kind === 'file')
      related.push({
        span: backend.value.span ?? entry.setting.origin.span,
        message: `caches['${DEFAULT_ALIAS}'] is ${kind === 'locmem' ? 'LocMemCache' : 'DummyCache'} here`,
      });
    const what =
      kind === 'locmem'
        ? 'LocMemCache, private to each worker process, so an older session survives whenever its requests reach another process'
        : 'DummyCache, which stores nothing, so no session is ever disconnected';
    ctx.report({
      at: reportAt(ctx, setting, judged[0]?.source, [SIMULTANEOUS_SESSIONS]),
      message: `SIMULTANEOUS_SESSIONS is '${SIMULTANEOUS_SESSIONS_DISCONNECT}' but Horizon tracks sessions in caches['${DEFAULT_ALIAS}'] (${whoSet(ctx, entry.setting.origin)}), which is ${what}; use a shared memcached or Redis default cache.`,
      settings: [SIMULTANEOUS_SESSIONS],
      related,
    });
  },
});

/** The replacement for an invalid value: 'allow' keeps today's behaviour (safe); a near 'disconnect' is a guess (unsafe). */
function valueFix(
  ctx: RuleContext,
  j: Judged<Value>,
  setting: EffectiveSetting | undefined,
): {
  suggest: string | undefined;
  fix: { title: string; edits: TextEdit[]; applicability: FixApplicability } | undefined;
} {
  const text = j.value.kind === 'str' ? j.value.value.trim() : '';
  const near = text === '' ? undefined : closestMatch(text, SIMULTANEOUS_SESSIONS_VALUES, 2);
  const target = near ?? SIMULTANEOUS_SESSIONS_ALLOW;
  const applicability: FixApplicability = target === SIMULTANEOUS_SESSIONS_ALLOW ? 'safe' : 'unsafe';
  const edit = setting ? setSettingEdit(ctx, setting, [j], { string: target }) : undefined;
  return {
    suggest: near,
    fix: edit ? { title: `Use '${target}'`, edits: [edit], applicability } : undefined,
  };
}
