/** DSL506: a CSRF_TRUSTED_ORIGINS entry without a scheme, which Django 4.0+ never matches (Django's 4_0.E001). */
import {
  CSRF_ORIGIN_DEFAULT_SCHEME,
  CSRF_ORIGIN_OLD_SUBDOMAIN_PREFIX,
  CSRF_ORIGIN_WILDCARD,
  CSRF_TRUSTED_ORIGINS,
  DJANGO_FACTS,
  URL_SCHEME_SEPARATOR,
  maskUrlPassword,
} from '../knowledge';
import { formatMinor, isAtLeastMinor, version } from '../knowledge/versions';
import { possibilities } from '../evaluate/values';
import type { Severity } from '../types';
import { defineRule, ifUnsetSuffix, knownStrings, replaceString } from './framework';

const SINCE = DJANGO_FACTS.csrfTrustedOriginsSchemeRequired;

/** The Django 4.0 form of a pre-4.0 entry: `example.com` → `https://example.com`, `.example.com` → `https://*.example.com`. */
export function withScheme(entry: string): string {
  const host = entry.trim();
  return (
    CSRF_ORIGIN_DEFAULT_SCHEME +
    (host.startsWith(CSRF_ORIGIN_OLD_SUBDOMAIN_PREFIX) ? CSRF_ORIGIN_WILDCARD + host : host)
  );
}

export default defineRule({
  code: 'DSL506',
  name: 'csrf-trusted-origin-without-scheme',
  title: 'CSRF_TRUSTED_ORIGINS without scheme',
  severity: { production: 'error', development: 'error' },
  versionDependent: true,
  fix: 'safe',
  security: { severity: '4.3', cwe: 352 },
  docs: {
    what: 'An entry of CSRF_TRUSTED_ORIGINS has no `://`. Before Django 4.0 entries were bare hosts (`example.com`, `.example.com` for subdomains); since 4.0 they must be origins with a scheme (`https://example.com`, `https://*.example.com`). Fires on Django ≥ 4.0; with an unknown Django version it is a warning that says which versions it affects.',
    why: 'Django 4.0 compares entries with the request\'s Origin header, so a bare host never matches: form POSTs from that origin (a Horizon behind a TLS-terminating proxy, a second dashboard host name) fail with "CSRF verification failed". `manage.py check` reports it as the error 4_0.E001, but a WSGI server does not run checks, so the first sign is users unable to log in.',
    example: "CSRF_TRUSTED_ORIGINS = ['dashboard.example.com', '.example.org']",
    useInstead: "CSRF_TRUSTED_ORIGINS = ['https://dashboard.example.com', 'https://*.example.org']",
    fixSafety:
      'Safe: prefixes `https://` (and turns `.example.org` into `https://*.example.org`). Before Django 4.0 a bare entry was only compared with the Referer of HTTPS requests, so this keeps what the entry used to mean; add an `http://` origin yourself if the site is also served over plain HTTP.',
    djangoCheck:
      '4_0.E001 (always run by `manage.py check` on Django ≥ 4.0), same test: `"://" not in origin`.',
  },
  check(ctx) {
    // Before 4.0 the bare-host form is the correct one.
    if (ctx.django && !isAtLeastMinor(ctx.django, SINCE)) return;
    const severity: Severity | undefined = ctx.django ? undefined : 'warning';
    const versions = ctx.django ? '' : ` (on Django ${formatMinor(version(SINCE))} and later)`;
    const setting = ctx.effective(CSRF_TRUSTED_ORIGINS);
    if (!setting) return;
    // Unknown values are never judged: with alternative lists (a condition the analyser cannot decide), only when each one has a bad entry.
    const perList = possibilities(setting.value).map((list) => {
      if (list.kind !== 'list' && list.kind !== 'tuple') return [];
      return list.items.flatMap((item) => {
        const judged = knownStrings(item);
        // An entry that may take either form is judged only when no form has a scheme.
        return !judged || judged.some((j) => j.value.includes(URL_SCHEME_SEPARATOR)) ? [] : judged;
      });
    });
    if (perList.length === 0 || perList.some((bad) => bad.length === 0)) return;
    for (const j of perList.flat()) {
      const fixed = withScheme(j.value);
      // An entry is not meant to hold credentials, but `user:pw@host` would be one (secrets stay secret).
      const shown = maskUrlPassword(j.value);
      const shownFixed = maskUrlPassword(fixed);
      const edit = !j.ifUnset && j.source.span ? replaceString(ctx, j.source, fixed) : undefined;
      ctx.report({
        at: j.source.span ? j.source : setting,
        message: `CSRF_TRUSTED_ORIGINS entry '${shown}'${ifUnsetSuffix(j)} has no scheme${versions}: Django 4.0+ compares entries with the Origin header, so it never matches and POSTs from that site fail CSRF verification; write '${shownFixed}'.`,
        settings: [CSRF_TRUSTED_ORIGINS],
        severity,
        fix: edit ? { title: `Use '${shownFixed}'`, edits: [edit], applicability: 'safe' } : undefined,
      });
    }
  },
});
