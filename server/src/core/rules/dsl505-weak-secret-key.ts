/** DSL505: a literal SECRET_KEY or SECRET_KEY_FALLBACKS entry fails Django's strength test; never prints the key. */
import {
  DJANGO_FACTS,
  DJANGO_INSECURE_KEY_PREFIX,
  ENGINE_SIGNED_COOKIES,
  SECRET_KEY,
  SECRET_KEY_FALLBACKS,
  SECRET_KEY_MIN_LENGTH,
  SECRET_KEY_MIN_UNIQUE_CHARACTERS,
} from '../knowledge';
import { isAtLeastMinor } from '../knowledge/versions';
import { possibilities } from '../evaluate/values';
import type { Severity, Value } from '../types';
import { defineRule, ifUnsetSuffix, knownStrings, type Judged } from './framework';
import { userWritten } from './setting-helpers';
import { engineIsOneOf } from '../queries/session-storage';

/** Why a key fails Django's `_check_secret_key` (DJ52 checks/security/base.py), or undefined when it passes. */
function weakness(key: string): string | undefined {
  // Python's len() and set() count code points, not UTF-16 units.
  const chars = Array.from(key);
  if (chars.length === 0) return 'is empty';
  const reasons: string[] = [];
  if (key.startsWith(DJANGO_INSECURE_KEY_PREFIX))
    reasons.push(`starts with '${DJANGO_INSECURE_KEY_PREFIX}' (a key made by startproject for development)`);
  if (chars.length < SECRET_KEY_MIN_LENGTH)
    reasons.push(`has only ${chars.length} characters (Django wants at least ${SECRET_KEY_MIN_LENGTH})`);
  const unique = new Set(chars).size;
  if (unique < SECRET_KEY_MIN_UNIQUE_CHARACTERS)
    reasons.push(
      `uses only ${unique} distinct characters (Django wants at least ${SECRET_KEY_MIN_UNIQUE_CHARACTERS})`,
    );
  return reasons.length > 0 ? reasons.join(' and ') : undefined;
}

/** Every known key string of a SECRET_KEY_FALLBACKS value with its index, when the list itself is known. */
function fallbackKeys(v: Value): { index: number; item: Value }[] {
  const all = possibilities(v);
  if (all.length !== 1) return [];
  const list = all[0];
  if (!list || (list.kind !== 'list' && list.kind !== 'tuple')) return [];
  return list.items.map((item, index) => ({ index, item }));
}

export default defineRule({
  code: 'DSL505',
  name: 'weak-secret-key',
  title: 'Weak literal SECRET_KEY',
  severity: { production: 'warning', development: 'information' },
  versionDependent: false,
  fix: 'none',
  security: { severity: '8.1', cwe: 1391 },
  docs: {
    what: "A SECRET_KEY (or an entry of SECRET_KEY_FALLBACKS, Django ≥ 4.1) written in a settings file fails Django's own strength test: fewer than 50 characters, fewer than 5 distinct characters, or the `django-insecure-` prefix that `startproject` puts on development keys. An empty literal counts in plain Django projects (Horizon replaces an empty key with a generated one); an empty environment default (`os.environ.get('SECRET_KEY', '')`) does not, as Django refuses to start with an empty key, so it only makes the variable required. It is an error in production when sessions use `signed_cookies`. Keys read from the environment, a file or Horizon's `generate_or_read_from_file` are not judged (an environment default is, with \"if X is unset\"). Messages never show the key.",
    why: 'SECRET_KEY signs session data, password-reset tokens and CSRF tokens. A short or well-known key can be guessed or brute-forced offline from one signed value; with `signed_cookies` sessions the attacker then writes their own session cookie (any user, any Keystone token stored in it), and with a pickle serializer that is remote code execution (Django docs: topics/http/sessions, "Session serialization").',
    example: "SECRET_KEY = 'changeme'",
    useInstead:
      "# Horizon: a per-host random key in a file readable only by the web server\nfrom horizon.utils import secret_key\nSECRET_KEY = secret_key.generate_or_read_from_file('/var/lib/openstack-dashboard/secret_key')\n\n# plain Django: from the environment\nimport os\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']",
    fixSafety:
      'No fix: a new key is a deployment decision (all hosts behind a load balancer need the same key, and changing it logs everybody out unless the old one moves to SECRET_KEY_FALLBACKS).',
    djangoCheck:
      'security.W009 (SECRET_KEY) and security.W025 (SECRET_KEY_FALLBACKS entries), `check --deploy`, same test.',
  },
  check(ctx) {
    const cookies = ctx.profile === 'production' && engineIsOneOf(ctx, [ENGINE_SIGNED_COOKIES]) !== undefined;
    const severity: Severity | undefined = cookies ? 'error' : undefined;
    const cookieNote = cookies
      ? '; sessions are signed cookies, so whoever guesses it can forge any session'
      : '';

    const report = (label: string, j: Judged<string>, name: string, why: string): void => {
      ctx.report({
        at: j.source.span ? j.source : ctx.effective(name),
        message: `${label}${ifUnsetSuffix(j)} ${why}: it can be guessed or brute-forced, letting attackers forge signed sessions, password-reset links and CSRF tokens${cookieNote}; load a long random key from a file or the environment.`,
        settings: [name],
        severity,
      });
    };

    const key = ctx.effective(SECRET_KEY);
    // Only keys written in the user's files: an unset key is Django's empty default (Horizon generates one).
    if (key && userWritten(ctx, key)) {
      const all = knownStrings(key.value);
      // Horizon's settings.py replaces an empty key with a generated one (`if not SECRET_KEY:`), so only Django keeps it
      // empty; and Django refuses an empty key (ImproperlyConfigured on first use), so an empty environment
      // default (`os.environ.get('SECRET_KEY', '')`) only makes the variable required: nothing is signed with it.
      const judgedKeys = all?.filter((j) => j.value !== '' || (!ctx.isHorizon && j.ifUnset === undefined));
      const weak = judgedKeys?.map((j) => ({ j, why: weakness(j.value) }));
      // Unknown values are never judged: with alternatives, only when every one of them is weak.
      if (weak && weak.length > 0 && weak.length === all?.length && weak.every((w) => w.why !== undefined))
        for (const w of weak) report('SECRET_KEY', w.j, SECRET_KEY, w.why ?? '');
    }

    const fallbacks = ctx.effective(SECRET_KEY_FALLBACKS);
    // Django before 4.1 ignores SECRET_KEY_FALLBACKS, so its entries sign nothing there.
    const fallbacksRead = !ctx.django || isAtLeastMinor(ctx.django, DJANGO_FACTS.secretKeyFallbacksAdded);
    if (fallbacks && fallbacksRead && userWritten(ctx, fallbacks)) {
      for (const { index, item } of fallbackKeys(fallbacks.value)) {
        const all = knownStrings(item);
        const weak = all?.map((j) => ({ j, why: weakness(j.value) }));
        if (weak && weak.every((w) => w.why !== undefined))
          for (const w of weak)
            report(`SECRET_KEY_FALLBACKS[${index}]`, w.j, SECRET_KEY_FALLBACKS, w.why ?? '');
      }
    }
  },
});
