/** DSL121: cookie sessions serialized with pickle: a leaked SECRET_KEY becomes remote code execution. */
import {
  ENGINE_CACHE,
  ENGINE_SIGNED_COOKIES,
  HORIZON_SERIALIZER,
  HORIZON_SERIALIZER_SINCE,
  JSON_SERIALIZER,
  PICKLE_SERIALIZER,
  SECRET_KEY,
  SESSION_ENGINE,
  SESSION_SERIALIZER,
  horizonHasHorizonSerializer,
  serializerStatus,
} from '../knowledge';
import type { RelatedLocation, TextEdit } from '../types';
import { defineRule, ifUnsetSuffix, knownStrings, replaceString } from './framework';
import { engineIsOneOf } from '../queries/session-storage';

export default defineRule({
  code: 'DSL121',
  name: 'signed-cookies-pickle',
  title: 'signed_cookies with pickle serialization',
  severity: { production: 'error', development: 'warning' },
  versionDependent: true,
  fix: 'unsafe',
  docs: {
    what: "SESSION_ENGINE is `django.contrib.sessions.backends.signed_cookies` and the effective SESSION_SERIALIZER is PickleSerializer. Horizon up to 2025.2 sets PickleSerializer by default, so switching a Horizon ≤ 2025.2 dashboard to cookie sessions (as the session-storage guide's Cookies section suggests) is enough to trigger it. Not reported when the target Django is 5.0 or later: there PickleSerializer cannot even be imported (DSL120).",
    why: 'With cookie sessions the client holds the pickled session data; only the SECRET_KEY signature stops a forged cookie. Anyone who learns SECRET_KEY (a leaked settings file, a key copied from a guide, a backup) can send a cookie that the server unpickles, which runs arbitrary code. Django\'s docs warn about exactly this combination (topics/http/sessions, "Session serialization"; the Django 1.5.3 security release notes).',
    example:
      "# Horizon ≤ 2025.2 (default SESSION_SERIALIZER is PickleSerializer)\nSESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'",
    useInstead:
      "# keep sessions on the server (Horizon's default engine)\nSESSION_ENGINE = 'django.contrib.sessions.backends.cache'\n# or, plain Django / Horizon ≥ 25.6.0: a JSON serializer\nSESSION_SERIALIZER = 'django.contrib.sessions.serializers.JSONSerializer'",
    fixSafety:
      "Unsafe either way. On Horizon before 25.6.0 the fix moves sessions to the cache engine, which needs a reachable cache (Horizon's default is memcached at 127.0.0.1:11211) and logs everyone out once. Elsewhere it switches SESSION_SERIALIZER to JSONSerializer (plain Django) or HorizonSerializer (Horizon ≥ 25.6.0), which changes the cookie format: existing sessions are dropped, and non-JSON session data breaks.",
  },
  check(ctx) {
    const engine = engineIsOneOf(ctx, [ENGINE_SIGNED_COOKIES]);
    if (!engine) return;
    const serializer = ctx.effective(SESSION_SERIALIZER);
    const judged = knownStrings(serializer?.value);
    if (!serializer || !judged || !judged.every((j) => j.value.trim() === PICKLE_SERIALIZER)) return;
    if (serializerStatus(PICKLE_SERIALIZER, ctx.django) === 'removed') return;
    const ser = judged[0];
    const eng = engine.judged[0];
    if (!ser || !eng) return;

    const horizonDefault =
      ctx.isHorizon && (serializer.layer === 'horizon-defaults' || serializer.layer === 'settings');
    const related: RelatedLocation[] = [];
    if (engine.setting.origin.kind === 'file')
      related.push({ span: engine.setting.origin.span, message: 'SESSION_ENGINE set here' });
    if (serializer.origin.kind === 'file')
      related.push({ span: serializer.origin.span, message: 'SESSION_SERIALIZER set here' });

    // Horizon before HorizonSerializer cannot drop pickle (DSL122), so the way out there is server-side sessions.
    const horizonSerializer = ctx.isHorizon ? horizonHasHorizonSerializer(ctx.horizon) : undefined;
    let edits: TextEdit[] | undefined;
    let title: string | undefined;
    let advice: string;
    if (ctx.isHorizon && !horizonSerializer) {
      advice = `Horizon before ${HORIZON_SERIALIZER_SINCE} needs pickle, so store sessions on the server instead ('${ENGINE_CACHE}', Horizon's default).`;
      const single = engine.judged.length === 1 && !eng.ifUnset;
      const edit = single ? replaceString(ctx, eng.source, ENGINE_CACHE) : undefined;
      if (edit) {
        edits = [edit];
        title = 'Store sessions in the cache instead of cookies';
      }
    } else {
      const target = ctx.isHorizon ? HORIZON_SERIALIZER : JSON_SERIALIZER;
      advice = `Use '${target}', or store sessions on the server (cache or database engine).`;
      const explicit = !horizonDefault && judged.length === 1 && !ser.ifUnset;
      const edit = explicit ? replaceString(ctx, ser.source, target) : undefined;
      if (edit) {
        edits = [edit];
        title = `Use '${target}'`;
      }
    }
    const whose =
      horizonDefault && ctx.horizon ? ` (Horizon ${ctx.horizon.series}'s default serializer)` : '';
    const at =
      engine.setting.origin.kind === 'file' && eng.source.span
        ? eng.source
        : ser.source.span
          ? ser.source
          : engine.setting;
    ctx.report({
      at,
      message: `Cookie sessions are pickled${whose}${ifUnsetSuffix(eng) || ifUnsetSuffix(ser)}: the browser holds the pickled session, so anyone who learns ${SECRET_KEY} can forge a cookie that runs code on the server. ${advice}`,
      settings: [SESSION_ENGINE, SESSION_SERIALIZER],
      related,
      fix: edits && title ? { title, edits, applicability: 'unsafe' } : undefined,
    });
  },
});
