/** DSL122: JSONSerializer on a Horizon release that stores Keystone Token objects JSON cannot encode. */
import {
  ENGINE_SIGNED_COOKIES,
  HORIZON_SERIALIZER_SINCE,
  JSON_SERIALIZER,
  SESSION_ENGINE,
  SESSION_SERIALIZER,
  findSessionEngine,
  formatHorizonRelease,
  horizonHasHorizonSerializer,
} from '../knowledge';
import type { RelatedLocation } from '../types';
import { defineRule, ifUnsetSuffix, knownStrings } from './framework';
import { assignmentOf, deleteStatement } from '../edits/statements';
import { sessionEngine } from '../queries/session-storage';

export default defineRule({
  code: 'DSL122',
  name: 'json-serializer-old-horizon',
  title: 'JSONSerializer with pre-2026.1 Horizon',
  severity: { production: 'warning', development: 'warning' },
  versionDependent: true,
  horizonOnly: true,
  fix: 'unsafe',
  docs: {
    what: "A Horizon project older than 25.6.0 (2026.1) sets SESSION_SERIALIZER to Django's `JSONSerializer` while the session engine stores what the serializer produces (`db`, `cached_db`, `file` or `signed_cookies`). The `cache` engine is not affected: it stores the session through the cache backend's own pickling.",
    why: 'Horizon keeps Keystone token objects in the session. Until 25.6.0 added `openstack_auth.serializers.HorizonSerializer`, those objects could not be JSON-encoded; Horizon\'s own test settings said "The openstack_auth.user.Token object isn\'t JSON-serializable" (removed in Horizon commit 77412a02e). Saving the session after login then fails, so nobody can log in.',
    example:
      "# Horizon 2024.2\nSESSION_ENGINE = 'django.contrib.sessions.backends.db'\nSESSION_SERIALIZER = 'django.contrib.sessions.serializers.JSONSerializer'",
    useInstead:
      "# Horizon 2024.2: keep Horizon's default serializer (remove the assignment)\nSESSION_ENGINE = 'django.contrib.sessions.backends.db'\n# Horizon 25.6.0 (2026.1) or later\nSESSION_SERIALIZER = 'openstack_auth.serializers.HorizonSerializer'",
    fixSafety:
      "Unsafe: the fix deletes the assignment so Horizon's default PickleSerializer applies again, which changes the stored session format and brings back pickle (see DSL120). Offered only for the db, cached_db and file engines and when that assignment is the only one: with signed_cookies, pickle would turn a leaked SECRET_KEY into code execution (DSL121), so move those sessions to the cache engine instead.",
  },
  check(ctx) {
    if (!ctx.isHorizon || horizonHasHorizonSerializer(ctx.horizon) !== false) return;
    const engines = sessionEngine(ctx);
    if (
      !engines ||
      !engines.judged.every((j) => findSessionEngine(j.value)?.usesSerializerForStorage === true)
    )
      return;
    const serializer = ctx.effective(SESSION_SERIALIZER);
    const judged = knownStrings(serializer?.value);
    if (!serializer || !judged || !judged.every((j) => j.value.trim() === JSON_SERIALIZER)) return;
    const ser = judged[0];
    const eng = engines.judged[0];
    if (!ser || !eng) return;

    const cookies = engines.judged.some((j) => j.value.trim() === ENGINE_SIGNED_COOKIES);
    // Removing the line only helps when Horizon's default is what remains afterwards.
    const assignments = ctx.project.events.filter((e) => e.name === SESSION_SERIALIZER);
    const statement =
      !cookies && judged.length === 1 && !ser.ifUnset && assignments.length === 1
        ? assignmentOf(ctx, SESSION_SERIALIZER, ser.source)
        : undefined;
    const edit = statement ? deleteStatement(ctx, statement) : undefined;
    const related: RelatedLocation[] =
      engines.setting.origin.kind === 'file'
        ? [{ span: engines.setting.origin.span, message: 'SESSION_ENGINE set here' }]
        : [];
    const release = ctx.horizon ? formatHorizonRelease(ctx.horizon) : 'this Horizon';
    const shortName = findSessionEngine(eng.value)?.shortName ?? eng.value;
    const advice = cookies
      ? `use Horizon's cache sessions, or upgrade to Horizon ${HORIZON_SERIALIZER_SINCE} and its HorizonSerializer`
      : `keep Horizon's default PickleSerializer on this release, or upgrade to Horizon ${HORIZON_SERIALIZER_SINCE} and its HorizonSerializer`;
    ctx.report({
      at: ser.source.span ? ser.source : serializer,
      message: `JSONSerializer cannot store Horizon's Keystone token objects before Horizon ${HORIZON_SERIALIZER_SINCE} (target: ${release})${ifUnsetSuffix(ser) || ifUnsetSuffix(eng)}: with the ${shortName} engine saving the session after login fails, so nobody can log in; ${advice}.`,
      settings: [SESSION_SERIALIZER, SESSION_ENGINE],
      related,
      fix: edit
        ? {
            title: "Remove the assignment (use Horizon's default serializer)",
            edits: [edit],
            applicability: 'unsafe',
          }
        : undefined,
    });
  },
});
