/** DSL503: SESSION_COOKIE_SAMESITE is a string Django rejects, so every response that sets the session cookie fails. */
import { closestMatch, DJANGO_DEFAULTS, SAMESITE_VALUES, SESSION_COOKIE_SAMESITE } from '../knowledge';
import type { FixApplicability } from '../types';
import { defineRule, ifUnsetSuffix, judgeAll, replaceString } from './framework';
import { reportAt } from './setting-helpers';

const DJANGO_SAMESITE_DEFAULT = DJANGO_DEFAULTS[SESSION_COOKIE_SAMESITE];
const FALLBACK = typeof DJANGO_SAMESITE_DEFAULT === 'string' ? DJANGO_SAMESITE_DEFAULT : SAMESITE_VALUES[0];

/** The valid spelling a value means when only case or surrounding spaces are off. */
function canonical(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  return SAMESITE_VALUES.find((s) => s.toLowerCase() === v);
}

export default defineRule({
  code: 'DSL503',
  name: 'invalid-session-cookie-samesite',
  title: 'Invalid SESSION_COOKIE_SAMESITE',
  severity: { production: 'error', development: 'error' },
  versionDependent: false,
  fix: 'safe',
  security: { severity: '4.3', cwe: 1275 },
  docs: {
    what: "SESSION_COOKIE_SAMESITE is a non-empty string other than `'Lax'`, `'Strict'` or `'None'` (Django compares case-insensitively, so `'lax'` is fine). `None`, `False` and `''` are valid: they leave the SameSite flag out.",
    why: 'Django validates the value only when it sets the cookie: `HttpResponse.set_cookie` raises `ValueError: samesite must be "lax", "none", or "strict".` (DJ52 http/response.py), so every response that saves the session — the login itself — is an HTTP 500. Django\'s system checks do not look at this setting.',
    example: "SESSION_COOKIE_SAMESITE = 'Relaxed'",
    useInstead: "SESSION_COOKIE_SAMESITE = 'Lax'",
    fixSafety:
      "Safe when only case or spaces are off (`' strict'` → `'Strict'`) and when no valid value is close, where it writes `'Lax'`, Django's default (the value it fails over today is a crash). Unsafe when it guesses a misspelling (`'Stict'` → `'Strict'`), because the guess picks the cookie policy.",
  },
  check(ctx) {
    const setting = ctx.effective(SESSION_COOKIE_SAMESITE);
    // Falsy values are valid (no SameSite flag); only non-empty strings are validated by Django.
    const judged = judgeAll(setting?.value, (k) =>
      k.kind === 'str' ? k.value : k.kind === 'unknown' || k.kind === 'oneOf' ? undefined : null,
    );
    if (!setting || !judged) return;
    const bad = judged.filter(
      (j): j is typeof j & { value: string } =>
        typeof j.value === 'string' &&
        j.value !== '' &&
        !SAMESITE_VALUES.some((s) => s.toLowerCase() === j.value?.toLowerCase()),
    );
    // Unknown values are never judged: a value that depends on a condition is judged only when every possibility fails.
    if (bad.length === 0 || bad.length !== judged.length) return;
    for (const j of bad) {
      const exact = canonical(j.value);
      const guess = exact ? undefined : closestMatch(j.value.trim(), SAMESITE_VALUES, 2);
      const replacement = exact ?? guess ?? FALLBACK;
      const applicability: FixApplicability = guess ? 'unsafe' : 'safe';
      const edit = !j.ifUnset && j.source.span ? replaceString(ctx, j.source, replacement) : undefined;
      ctx.report({
        at: reportAt(ctx, setting, j.source, [SESSION_COOKIE_SAMESITE]),
        message: `SESSION_COOKIE_SAMESITE '${j.value}'${ifUnsetSuffix(j)} is not 'Lax', 'Strict' or 'None': Django raises ValueError when it sets the session cookie, so logins fail with HTTP 500.${exact || guess ? ` Did you mean '${replacement}'?` : ''}`,
        settings: [SESSION_COOKIE_SAMESITE],
        fix: edit ? { title: `Use '${replacement}'`, edits: [edit], applicability } : undefined,
      });
    }
  },
});
