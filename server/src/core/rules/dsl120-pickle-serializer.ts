/** DSL120: SESSION_SERIALIZER is PickleSerializer, deprecated in Django 4.1 and gone in 5.0. */
import {
  HORIZON_SERIALIZER,
  HORIZON_SERIALIZER_SINCE,
  JSON_SERIALIZER,
  PICKLE_SERIALIZER,
  SESSION_SERIALIZER,
  djangoRangeForHorizon,
  findSessionSerializer,
  formatHorizonRelease,
  horizonHasHorizonSerializer,
  serializerStatus,
} from '../knowledge';
import { formatMinor, formatRange } from '../knowledge/versions';
import { defineRule, ifUnsetSuffix, knownStrings, replaceString } from './framework';

const PICKLE = findSessionSerializer(PICKLE_SERIALIZER);
const DEPRECATED_IN = PICKLE?.djangoDeprecated ?? '?';
const REMOVED_IN = PICKLE?.djangoRemoved ?? '?';

export default defineRule({
  code: 'DSL120',
  name: 'pickle-serializer',
  title: 'PickleSerializer removed/deprecated',
  severity: { production: 'error', development: 'error' },
  versionDependent: true,
  fix: 'unsafe',
  docs: {
    what: "The effective SESSION_SERIALIZER is `django.contrib.sessions.serializers.PickleSerializer`. Error when the target Django is 5.0 or later, warning on 4.1–4.2, nothing before 4.1; with an unknown Django version it warns and says which versions fail. Horizon up to 2025.2 sets PickleSerializer itself and pins Django 4.2, so Horizon's own default is only reported when the target Django is known to be 5.0 or later; an explicit assignment in local_settings.py or a snippet is always judged.",
    why: 'Django 4.1 deprecated PickleSerializer for the risk of remote code execution and Django 5.0 removed it (Django 4.1 release notes, "Features deprecated in 4.1"). Django imports SESSION_SERIALIZER for every session engine, so on Django 5.0+ every request that touches the session fails with `ImportError: Module "django.contrib.sessions.serializers" does not define a "PickleSerializer" attribute/class` (reproduced on Django 5.2). `manage.py check` does not notice.',
    example: "SESSION_SERIALIZER = 'django.contrib.sessions.serializers.PickleSerializer'",
    useInstead:
      "# Plain Django\nSESSION_SERIALIZER = 'django.contrib.sessions.serializers.JSONSerializer'\n# Horizon 25.6.0 (2026.1) or later\nSESSION_SERIALIZER = 'openstack_auth.serializers.HorizonSerializer'",
    fixSafety:
      'Unsafe: changing the serializer changes the format of stored sessions. Sessions written with pickle cannot be read back (users are logged out once), and session data that is not JSON-serializable breaks. Horizon before 25.6.0 gets no fix: JSONSerializer cannot store its Keystone tokens (DSL122) and HorizonSerializer does not exist there.',
  },
  check(ctx) {
    const setting = ctx.effective(SESSION_SERIALIZER);
    const judged = knownStrings(setting?.value);
    if (!setting || !judged || !judged.every((j) => j.value.trim() === PICKLE_SERIALIZER)) return;
    const status = serializerStatus(PICKLE_SERIALIZER, ctx.django);
    if (status === 'available') return;
    // Horizon ≤ 2025.2 ships pickle on purpose and pins Django 4.2: its own default only matters once Django is known to lack the class.
    const horizonOwn =
      ctx.isHorizon && (setting.layer === 'horizon-defaults' || setting.layer === 'settings');
    if (horizonOwn && status !== 'removed') return;
    const j = judged[0];
    if (!j) return;

    const horizonSerializer = ctx.isHorizon ? horizonHasHorizonSerializer(ctx.horizon) : undefined;
    const target = ctx.isHorizon ? (horizonSerializer ? HORIZON_SERIALIZER : undefined) : JSON_SERIALIZER;
    const who =
      horizonOwn && ctx.horizon
        ? `Horizon ${ctx.horizon.series}'s default SESSION_SERIALIZER`
        : 'SESSION_SERIALIZER';
    let verdict: string;
    if (status === 'removed') {
      verdict = `Django ${REMOVED_IN} removed it, so on Django ${ctx.django ? formatMinor(ctx.django) : REMOVED_IN} every request that uses the session fails with ImportError`;
    } else if (status === 'deprecated') {
      verdict = `deprecated since Django ${DEPRECATED_IN} for the risk of remote code execution; Django ${REMOVED_IN} removed it, and there every request that uses the session fails with ImportError`;
    } else {
      const range = ctx.horizon ? djangoRangeForHorizon(ctx.horizon) : undefined;
      const allowed =
        range && ctx.horizon ? `; Horizon ${ctx.horizon.series} allows Django ${formatRange(range)}` : '';
      verdict = `deprecated in Django ${DEPRECATED_IN} and removed in ${REMOVED_IN}, where every request that uses the session fails with ImportError (target Django version unknown${allowed})`;
    }
    let advice: string;
    if (target) advice = ` Use '${target}'.`;
    else if (horizonOwn) {
      const range = ctx.horizon ? djangoRangeForHorizon(ctx.horizon) : undefined;
      const pin = range ? `Django ${formatRange(range)}` : 'an older Django';
      advice = ` ${ctx.horizon ? formatHorizonRelease(ctx.horizon) : 'This Horizon'} is made for ${pin} and needs pickle for its Keystone tokens: run it on ${pin} or upgrade Horizon to ${HORIZON_SERIALIZER_SINCE} or later (HorizonSerializer).`;
    } else
      advice = ` Horizon before ${HORIZON_SERIALIZER_SINCE} needs pickle for its Keystone tokens; upgrading to ${HORIZON_SERIALIZER_SINCE} or later lets you use '${HORIZON_SERIALIZER}'.`;

    const canFix = target !== undefined && !horizonOwn && judged.length === 1 && !j.ifUnset;
    const edit = canFix ? replaceString(ctx, j.source, target) : undefined;
    ctx.report({
      at: j.source.span ? j.source : setting,
      message: `${who} is PickleSerializer${ifUnsetSuffix(j)}: ${verdict}.${advice}`,
      settings: [SESSION_SERIALIZER],
      severity: status === 'removed' ? 'error' : 'warning',
      fix: edit && target ? { title: `Use '${target}'`, edits: [edit], applicability: 'unsafe' } : undefined,
    });
  },
});
