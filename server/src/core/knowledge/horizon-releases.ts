/** Horizon releases (openstack/releases deliverables): version bands, Django pins and Horizon defaults as validated data, plus lookup; no rule logic. */
import { z } from 'zod';

import {
  CACHES,
  DEFAULT_ALIAS,
  ENGINE_CACHE,
  ENGINE_SIGNED_COOKIES,
  HORIZON_SERIALIZER,
  HORIZON_SIMULTANEOUS_SESSIONS_MIDDLEWARE,
  INSTALLED_APPS,
  MEMCACHED_CACHE,
  MIDDLEWARE,
  OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT,
  PICKLE_SERIALIZER,
  PYMEMCACHE,
  SESSION_COOKIE_HTTPONLY,
  SESSION_COOKIE_MAX_SIZE,
  SESSION_COOKIE_SECURE,
  SESSION_ENGINE,
  SESSION_EXPIRE_AT_BROWSER_CLOSE,
  SESSION_MIDDLEWARE,
  SESSION_REFRESH,
  SESSION_SERIALIZER,
  SESSION_TIMEOUT,
  SESSIONS_APP,
  SIMULTANEOUS_SESSIONS,
  TOKEN_TIMEOUT_MARGIN,
} from './names';
import { PyDataSchema, type PyData } from './py-data';
import { FullVersionSchema, MinorVersionSchema, assertUnique, validateData } from './schema';
import {
  compareMinor,
  compareVersions,
  parseVersion,
  version,
  type Version,
  type VersionRange,
} from './versions';

// ---------------------------------------------------------------------------------------------------------
// Horizon-only settings.
// ---------------------------------------------------------------------------------------------------------

const HORIZON_SETTINGS_DOCS = 'https://docs.openstack.org/horizon/latest/configuration/settings.html';

export const HorizonOnlySettingSchema = z.strictObject({
  name: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  default: PyDataSchema,
  /** First Horizon version that reads it; undefined = older than every band with recorded defaults (pre-Stein). */
  since: FullVersionSchema.optional(),
  /** Human form of `since` (e.g. "2013.2 Havana"). */
  sinceText: z.string().min(2),
  definedIn: z.string().min(3),
  description: z.string().min(3),
  docsUrl: z.url(),
});
export type HorizonOnlySetting = z.infer<typeof HorizonOnlySettingSchema>;

export const HORIZON_ONLY_SETTINGS: readonly HorizonOnlySetting[] = validateData(
  z.array(HorizonOnlySettingSchema),
  [
    {
      name: SESSION_TIMEOUT,
      default: 3600,
      sinceText: '2013.2 Havana',
      definedIn: 'openstack_auth/defaults.py',
      description:
        'Session lifetime in seconds, capped at the Keystone token expiry (min(SESSION_TIMEOUT, token lifetime)). Must be an int: a string raises TypeError at login.',
      docsUrl: `${HORIZON_SETTINGS_DOCS}#session-timeout`,
    },
    {
      name: SESSION_REFRESH,
      default: true,
      since: '15.0.0',
      sinceText: '15.0.0 Stein',
      definedIn: 'horizon/defaults.py',
      description:
        'Re-set the session expiry on every authenticated request (an idle timeout). This saves the session on every request: a database UPDATE for db/cached_db, a new Set-Cookie for signed_cookies. False makes SESSION_TIMEOUT a hard limit.',
      docsUrl: `${HORIZON_SETTINGS_DOCS}#session-refresh`,
    },
    {
      name: SESSION_COOKIE_MAX_SIZE,
      default: 4093,
      sinceText: '2013 (bug #1214197)',
      definedIn: 'horizon/defaults.py',
      description:
        'With signed_cookies sessions, log an error when all cookies together reach this many bytes. Logging only; None disables it.',
      docsUrl: `${HORIZON_SETTINGS_DOCS}#session-cookie-max-size`,
    },
    {
      name: SIMULTANEOUS_SESSIONS,
      default: 'allow',
      since: '21.1.0',
      sinceText: '21.1.0 Yoga',
      definedIn: 'horizon/defaults.py',
      description:
        "'allow' or 'disconnect' (log out a user's older session). Any other value behaves like 'allow'. Enforcement uses caches['default'], so it only works across workers with a shared cache.",
      docsUrl: `${HORIZON_SETTINGS_DOCS}#simultaneous-sessions`,
    },
    {
      name: OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT,
      default: false,
      sinceText: 'before Stein',
      definedIn: 'openstack_auth/defaults.py',
      description:
        'Show a domain field at login. With signed_cookies sessions the domain-scoped token is not stored and identity operations are disabled.',
      docsUrl: `${HORIZON_SETTINGS_DOCS}#openstack-keystone-multidomain-support`,
    },
    {
      name: TOKEN_TIMEOUT_MARGIN,
      default: 0,
      sinceText: 'before Stein',
      definedIn: 'openstack_auth/defaults.py',
      description: 'Seconds subtracted from the token expiry when deciding whether a token is still valid.',
      docsUrl: `${HORIZON_SETTINGS_DOCS}#token-timeout-margin`,
    },
  ],
  'Horizon-only settings',
);
assertUnique(
  HORIZON_ONLY_SETTINGS.map((s) => s.name),
  'Horizon-only settings',
);
export const HORIZON_ONLY_SETTING_NAMES: readonly string[] = HORIZON_ONLY_SETTINGS.map((s) => s.name);

/** Settings whose recorded Horizon default lists only the items the linter needs (treat as open lists). */
export const HORIZON_PARTIAL_DEFAULTS: readonly string[] = [INSTALLED_APPS, MIDDLEWARE];

// ---------------------------------------------------------------------------------------------------------
// Releases.
// ---------------------------------------------------------------------------------------------------------

export const HorizonReleaseSchema = z
  .strictObject({
    /** `2024.1` from 2023 on, the lower-case codename before (`zed`), `pre-stein` for everything older. */
    series: z.string().regex(/^(\d{4}\.[12]|[a-z-]+)$/),
    codename: z.string().min(3),
    /** More names accepted by `findHorizonRelease` (older codenames folded into the pre-Stein band). */
    aliases: z.array(z.string().regex(/^[a-z]+$/)),
    /** First Horizon version of this band; undefined only for the pre-Stein band. */
    firstVersion: FullVersionSchema.optional(),
    /** Display form of the last version (`24.0.x`); undefined for the newest, open-ended band. */
    lastVersion: z.string().optional(),
    /**
     * True for the band holding the series' stable branch. A series name resolves to it, because that is
     * what distributions ship. Only 2024.1 has a second band: 23.4.0 was released from master before the
     * branch (24.0.0) and still allowed Django 3.2.
     */
    stableBranch: z.boolean(),
    /** Django pin from requirements.txt; undefined when not recorded (before Zed). */
    django: z.strictObject({ min: MinorVersionSchema, max: MinorVersionSchema.optional() }).optional(),
    /** Where the pin comes from (display text). */
    djangoSource: z.string().min(3),
    /** Settings Horizon's own settings.py/defaults set, as Python data. */
    defaults: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), PyDataSchema),
  })
  .refine((r) => (r.series === 'pre-stein') === (r.firstVersion === undefined), {
    message: 'only the pre-stein band may omit firstVersion',
  })
  .refine((r) => r.defaults[SESSION_ENGINE] !== undefined && r.defaults[SESSION_SERIALIZER] !== undefined, {
    message: 'every band records SESSION_ENGINE and SESSION_SERIALIZER',
  })
  .refine(
    (r) => r.django?.max === undefined || compareMinor(version(r.django.min), version(r.django.max)) <= 0,
    {
      message: 'django.min must not exceed django.max',
    },
  );
export type HorizonRelease = z.infer<typeof HorizonReleaseSchema>;

const memcachedCaches = (backend: string): PyData => ({
  [DEFAULT_ALIAS]: { BACKEND: backend, LOCATION: '127.0.0.1:11211' },
});

interface BandInput {
  readonly series: string;
  readonly codename: string;
  readonly aliases?: readonly string[];
  readonly firstVersion?: string;
  readonly lastVersion?: string;
  readonly stableBranch?: boolean;
  readonly django?: { readonly min: string; readonly max?: string };
  readonly djangoSource?: string;
  /** SESSION_ENGINE, CACHES, SESSION_SERIALIZER of the band. */
  readonly session: 'pre-stein' | 'memcached' | 'pymemcache' | 'horizon-serializer';
}

// Release bands from openstack/releases `deliverables/<series>/horizon.yaml`. Horizon's own notes label 24.x as 2024.2 and
// 25.0–25.3 as 2025.1; the deliverable files place 24.0.x in 2024.1 (stable/2024.1 branched at 24.0.0),
// 25.0–25.1 in 2024.2 and 25.2–25.3 in 2025.1. The Django pins and defaults are keyed by version
// number, so they carry over unchanged.
const BANDS: readonly BandInput[] = [
  {
    series: 'pre-stein',
    codename: 'Rocky or earlier',
    aliases: [
      'rocky',
      'queens',
      'pike',
      'ocata',
      'newton',
      'mitaka',
      'liberty',
      'kilo',
      'juno',
      'icehouse',
      'havana',
      'grizzly',
      'folsom',
      'essex',
    ],
    lastVersion: '14.x',
    session: 'pre-stein',
  },
  { series: 'stein', codename: 'Stein', firstVersion: '15.0.0', lastVersion: '15.x', session: 'memcached' },
  { series: 'train', codename: 'Train', firstVersion: '16.0.0', lastVersion: '16.x', session: 'memcached' },
  {
    series: 'ussuri',
    codename: 'Ussuri',
    firstVersion: '17.0.0',
    lastVersion: '18.3.x',
    session: 'memcached',
  },
  {
    series: 'victoria',
    codename: 'Victoria',
    firstVersion: '18.4.0',
    lastVersion: '18.6.x',
    session: 'memcached',
  },
  {
    series: 'wallaby',
    codename: 'Wallaby',
    firstVersion: '19.0.0',
    lastVersion: '19.x',
    session: 'memcached',
  },
  { series: 'xena', codename: 'Xena', firstVersion: '20.0.0', lastVersion: '20.1.x', session: 'memcached' },
  { series: 'yoga', codename: 'Yoga', firstVersion: '20.2.0', lastVersion: '22.1.x', session: 'memcached' },
  {
    series: 'zed',
    codename: 'Zed',
    firstVersion: '22.2.0',
    lastVersion: '23.0.x',
    django: { min: '3.2', max: '3.2' },
    djangoSource:
      'requirements.txt at 23.0.0: Django>=3.2,<3.3 (assumed for the 22.2.0 intermediary release)',
    session: 'memcached',
  },
  {
    series: '2023.1',
    codename: 'Antelope',
    firstVersion: '23.1.0',
    lastVersion: '23.1.x',
    django: { min: '3.2', max: '3.2' },
    djangoSource: 'requirements.txt: Django>=3.2,<3.3',
    session: 'memcached',
  },
  {
    series: '2023.2',
    codename: 'Bobcat',
    firstVersion: '23.2.0',
    lastVersion: '23.3.x',
    django: { min: '3.2', max: '3.2' },
    djangoSource: 'requirements.txt: Django>=3.2,<3.3',
    session: 'memcached',
  },
  {
    series: '2024.1',
    codename: 'Caracal',
    firstVersion: '23.4.0',
    lastVersion: '23.4.x',
    stableBranch: false,
    django: { min: '3.2', max: '4.2' },
    djangoSource: 'requirements.txt at 23.4.0: Django>=3.2,<4.3',
    session: 'pymemcache',
  },
  {
    series: '2024.1',
    codename: 'Caracal',
    firstVersion: '24.0.0',
    lastVersion: '24.0.x',
    django: { min: '4.2', max: '4.2' },
    djangoSource: 'stable/2024.1 requirements.txt: Django>=4.2,<4.3',
    session: 'pymemcache',
  },
  {
    series: '2024.2',
    codename: 'Dalmatian',
    firstVersion: '25.0.0',
    lastVersion: '25.1.x',
    django: { min: '4.2', max: '4.2' },
    djangoSource: 'requirements.txt: Django>=4.2,<4.3',
    session: 'pymemcache',
  },
  {
    series: '2025.1',
    codename: 'Epoxy',
    firstVersion: '25.2.0',
    lastVersion: '25.3.x',
    django: { min: '4.2', max: '4.2' },
    djangoSource: 'requirements.txt: Django>=4.2,<4.3',
    session: 'pymemcache',
  },
  {
    series: '2025.2',
    codename: 'Flamingo',
    firstVersion: '25.4.0',
    lastVersion: '25.5.x',
    django: { min: '4.2', max: '4.2' },
    djangoSource: 'requirements.txt: Django>=4.2,<4.3',
    session: 'pymemcache',
  },
  {
    series: '2026.1',
    codename: 'Gazpacho',
    firstVersion: '25.6.0',
    django: { min: '4.2' },
    djangoSource: 'requirements.txt from 25.6.0: Django>=4.2 (no upper bound)',
    session: 'horizon-serializer',
  },
];

function bandDefaults(band: BandInput, nextFirst: Version | undefined): Record<string, PyData> {
  const d: Record<string, PyData> = {};
  if (band.session === 'pre-stein') {
    // Before a98468bef (15.0.0) Horizon used cookie sessions and left CACHES to Django.
    d[SESSION_ENGINE] = ENGINE_SIGNED_COOKIES;
    d[SESSION_SERIALIZER] = PICKLE_SERIALIZER;
  } else {
    d[SESSION_ENGINE] = ENGINE_CACHE;
    d[CACHES] = memcachedCaches(band.session === 'memcached' ? MEMCACHED_CACHE : PYMEMCACHE);
    d[SESSION_SERIALIZER] = band.session === 'horizon-serializer' ? HORIZON_SERIALIZER : PICKLE_SERIALIZER;
  }
  d[SESSION_COOKIE_HTTPONLY] = true;
  d[SESSION_EXPIRE_AT_BROWSER_CLOSE] = true;
  d[SESSION_COOKIE_SECURE] = false;
  d[INSTALLED_APPS] = [SESSIONS_APP];
  // A setting belongs to a band when it appeared before the next band starts, i.e. the band's stable
  // branch has it (SIMULTANEOUS_SESSIONS: 21.1.0, inside Yoga's 20.2.0–22.1.x).
  const has = (s: HorizonOnlySetting): boolean =>
    s.since === undefined || nextFirst === undefined || compareVersions(version(s.since), nextFirst) < 0;
  for (const s of HORIZON_ONLY_SETTINGS) if (has(s)) d[s.name] = s.default;
  if (band.session !== 'pre-stein') {
    // Pre-Stein Horizon spans Django versions with MIDDLEWARE_CLASSES, so nothing is recorded there.
    d[MIDDLEWARE] = Object.prototype.hasOwnProperty.call(d, SIMULTANEOUS_SESSIONS)
      ? [SESSION_MIDDLEWARE, HORIZON_SIMULTANEOUS_SESSIONS_MIDDLEWARE]
      : [SESSION_MIDDLEWARE];
  }
  return d;
}

export const HORIZON_RELEASES: readonly HorizonRelease[] = validateData(
  z.array(HorizonReleaseSchema).min(2),
  BANDS.map((band, i) => {
    const next = BANDS[i + 1];
    return {
      series: band.series,
      codename: band.codename,
      aliases: [...(band.aliases ?? [])],
      firstVersion: band.firstVersion,
      lastVersion: band.lastVersion,
      stableBranch: band.stableBranch ?? true,
      django: band.django,
      djangoSource: band.djangoSource ?? 'not recorded (the pins are recorded from 23.0.0 on)',
      defaults: bandDefaults(band, next?.firstVersion === undefined ? undefined : version(next.firstVersion)),
    };
  }),
  'Horizon releases',
);
assertBandsOrdered(HORIZON_RELEASES);

function assertBandsOrdered(releases: readonly HorizonRelease[]): void {
  for (let i = 1; i < releases.length; i++) {
    const prev = releases[i - 1]?.firstVersion;
    const cur = releases[i]?.firstVersion;
    if (cur === undefined || (prev !== undefined && compareVersions(version(prev), version(cur)) >= 0)) {
      throw new Error(`knowledge table "Horizon releases" is not ordered at ${cur ?? '?'}`);
    }
  }
  const branchBands = new Map<string, number>();
  for (const r of releases)
    if (r.stableBranch) branchBands.set(r.series, (branchBands.get(r.series) ?? 0) + 1);
  for (const r of releases) {
    if (branchBands.get(r.series) !== 1) {
      throw new Error(
        `knowledge table "Horizon releases": series ${r.series} needs exactly one stableBranch band`,
      );
    }
  }
}

/** The newest known release band (what an unset `horizonRelease` option means). */
export const NEWEST_HORIZON_RELEASE: HorizonRelease = (() => {
  const last = HORIZON_RELEASES[HORIZON_RELEASES.length - 1];
  if (!last) throw new Error('knowledge: no Horizon releases');
  return last;
})();

const BY_NAME = new Map<string, HorizonRelease>();
for (const r of HORIZON_RELEASES) {
  if (!r.stableBranch) continue;
  for (const name of [r.series, r.codename.toLowerCase(), ...r.aliases]) BY_NAME.set(name, r);
}
const PRE_STEIN = HORIZON_RELEASES[0];

/** Release names accepted wherever a release number is (`zed`, `antelope`; any case), sorted. */
export const HORIZON_RELEASE_NAMES: readonly string[] = [...BY_NAME.keys()]
  .filter((n) => /^[a-z]+$/.test(n))
  .sort();

/**
 * Finds the release band for a series (`2024.1`, `stable/2024.1`), a codename (`antelope`, any case) or a
 * Horizon version (`23.4.0`, `25.6.1`, `15.0.0.0rc1`). A series or codename gives the band of its stable
 * branch; a version gives the band containing it (so `23.4.0` and `2024.1` both have series 2024.1, with
 * different Django pins). Versions newer than every band map to the newest; undefined when not understood.
 */
export function findHorizonRelease(input: string): HorizonRelease | undefined {
  const s = input
    .trim()
    .toLowerCase()
    .replace(/^(stable|unmaintained)\//, '');
  if (s === '') return undefined;
  const named = BY_NAME.get(s);
  if (named) return named;
  const v = parseVersion(s);
  if (!v) return undefined;
  // Horizon used date versions (2012.1 … 2015.1) before Liberty's 8.0.0; series names start at 2023.1.
  if (v.major >= 2000) return v.major <= 2015 ? PRE_STEIN : undefined;
  let found: HorizonRelease | undefined;
  for (const r of HORIZON_RELEASES) {
    if (r.firstVersion === undefined || compareVersions(version(r.firstVersion), v) <= 0) found = r;
  }
  return found;
}

/** The Django range Horizon's requirements.txt allows for this band, or undefined when not recorded. */
export function djangoRangeForHorizon(release: HorizonRelease): VersionRange | undefined {
  if (!release.django) return undefined;
  return {
    min: version(release.django.min),
    max: release.django.max === undefined ? undefined : version(release.django.max),
  };
}

/**
 * The single Django minor this Horizon band runs on, when its pin allows only one (3.2 for Zed … 2023.2,
 * 4.2 for 24.0.0 … 2025.2). For 23.4.0 (3.2–4.2) and 25.6.0+ (≥ 4.2, no cap) the pin does not decide, so
 * this returns undefined and version-dependent rules fall back to their least alarming severity
 * (ARCHITECTURE.md, "Unknown versions are judged mildly"); use `djangoRangeForHorizon` to reason about the
 * whole range. Undefined too before Zed, whose pins are not recorded.
 */
export function djangoVersionForHorizon(release: HorizonRelease): Version | undefined {
  const range = djangoRangeForHorizon(release);
  if (!range || range.max === undefined) return undefined;
  return compareMinor(range.min, range.max) === 0 ? range.min : undefined;
}

/** Horizon's default for `name` in this band, or undefined when Horizon does not set it. */
export function horizonDefault(release: HorizonRelease, name: string): PyData | undefined {
  return Object.prototype.hasOwnProperty.call(release.defaults, name) ? release.defaults[name] : undefined;
}

/** Display label: `2024.1 Caracal (23.4.0–23.4.x)`. */
export function formatHorizonRelease(r: HorizonRelease): string {
  const range =
    r.firstVersion === undefined
      ? `before 15.0.0`
      : r.lastVersion === undefined
        ? `${r.firstVersion}+`
        : `${r.firstVersion}–${r.lastVersion}`;
  return r.series === 'pre-stein'
    ? `${r.codename} (${range})`
    : `${r.series === r.codename.toLowerCase() ? r.codename : `${r.series} ${r.codename}`} (${range})`;
}
