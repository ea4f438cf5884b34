/** SESSION_SERIALIZER values as validated data with their Django/Horizon lifecycle; no rule logic. */
import { z } from 'zod';

import { HORIZON_SERIALIZER, JSON_SERIALIZER, PICKLE_SERIALIZER } from './names';
import { FullVersionSchema, MinorVersionSchema, assertUnique, validateData } from './schema';
import type { HorizonRelease } from './horizon-releases';
import { compareMinor, compareVersions, version, type Version } from './versions';

export const SessionSerializerSchema = z.strictObject({
  path: z.string().min(3),
  format: z.enum(['pickle', 'json']),
  /** Ships with Django (false: Horizon's openstack_auth). */
  builtin: z.boolean(),
  djangoDeprecated: MinorVersionSchema.optional(),
  djangoRemoved: MinorVersionSchema.optional(),
  /** First Horizon version providing it (HorizonSerializer). */
  horizonSince: FullVersionSchema.optional(),
  /** Can a Horizon session (Keystone Token objects) be stored with it? */
  horizonCompatible: z.enum(['yes', 'no', 'from-horizonSince']),
  description: z.string().min(3),
  docsUrl: z.url(),
});
export type SessionSerializer = z.infer<typeof SessionSerializerSchema>;

export const SESSION_SERIALIZERS: readonly SessionSerializer[] = validateData(
  z.array(SessionSerializerSchema),
  [
    {
      path: JSON_SERIALIZER,
      format: 'json',
      builtin: true,
      horizonCompatible: 'no',
      description:
        "Django's default. JSON only: Horizon before 25.6.0 stores Keystone Token objects that it cannot serialize.",
      docsUrl: 'https://docs.djangoproject.com/en/stable/topics/http/sessions/#session-serialization',
    },
    {
      path: PICKLE_SERIALIZER,
      format: 'pickle',
      builtin: true,
      djangoDeprecated: '4.1',
      djangoRemoved: '5.0',
      horizonCompatible: 'yes',
      description:
        'Pickle: deprecated in Django 4.1 for the risk of remote code execution and removed in 5.0; with signed cookies a leaked SECRET_KEY means code execution. Horizon ≤ 2025.2 default.',
      docsUrl: 'https://docs.djangoproject.com/en/4.2/topics/http/sessions/#session-serialization',
    },
    {
      path: HORIZON_SERIALIZER,
      format: 'json',
      builtin: false,
      horizonSince: '25.6.0',
      horizonCompatible: 'from-horizonSince',
      description:
        "Horizon's JSON serializer with encoders for Keystone tokens; Horizon's default from 25.6.0 (2026.1).",
      docsUrl: 'https://docs.openstack.org/horizon/latest/configuration/settings.html',
    },
  ],
  'session serializers',
);
assertUnique(
  SESSION_SERIALIZERS.map((s) => s.path),
  'session serializers',
);

const BY_PATH = new Map(SESSION_SERIALIZERS.map((s) => [s.path, s] as const));

export function findSessionSerializer(path: string): SessionSerializer | undefined {
  return BY_PATH.get(path.trim());
}

/** 'removed' / 'deprecated' / 'available' for a built-in serializer on `django`; undefined when unknown. */
export function serializerStatus(
  path: string,
  django: Version | undefined,
): 'available' | 'deprecated' | 'removed' | undefined {
  const s = findSessionSerializer(path);
  if (!s || django === undefined) return undefined;
  if (s.djangoRemoved !== undefined && compareMinor(django, version(s.djangoRemoved)) >= 0) return 'removed';
  if (s.djangoDeprecated !== undefined && compareMinor(django, version(s.djangoDeprecated)) >= 0)
    return 'deprecated';
  return 'available';
}

// ---------------------------------------------------------------------------------------------------------
// Serializers per Horizon release.
// ---------------------------------------------------------------------------------------------------------

/**
 * Whether a Horizon release band ships `openstack_auth.serializers.HorizonSerializer` (25.6.0 and later):
 * true/false for a known band, undefined without one. Bands never straddle 25.6.0, so the band's first
 * version decides; the pre-Stein band has none and is older.
 */
export function horizonHasHorizonSerializer(release: HorizonRelease | undefined): boolean | undefined {
  const since = findSessionSerializer(HORIZON_SERIALIZER)?.horizonSince;
  if (!release || since === undefined) return undefined;
  if (release.firstVersion === undefined) return false;
  return compareVersions(version(release.firstVersion), version(since)) >= 0;
}

/** The first Horizon version with HorizonSerializer, for messages (`25.6.0`). */
export const HORIZON_SERIALIZER_SINCE: string = (() => {
  const since = findSessionSerializer(HORIZON_SERIALIZER)?.horizonSince;
  if (since === undefined) throw new Error('knowledge: HorizonSerializer has no horizonSince');
  return since;
})();
