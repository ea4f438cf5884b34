/** DSL304: db/cached_db sessions while a literal INSTALLED_APPS lacks django.contrib.sessions. */
import {
  INSTALLED_APPS,
  SESSIONS_APP,
  SESSIONS_APP_CONFIG,
  SESSION_ENGINE,
  findSessionEngine,
} from '../knowledge';
import { possibilities } from '../evaluate/values';
import type { RelatedLocation } from '../types';
import { defineRule } from './framework';
import { appendItem } from '../edits/literal';
import { quoteOf } from '../edits/syntax';
import { sessionEngine } from '../queries/session-storage';

export default defineRule({
  code: 'DSL304',
  name: 'sessions-app-missing',
  title: 'Database sessions without django.contrib.sessions',
  severity: { production: 'error', development: 'error' },
  versionDependent: false,
  fix: 'safe',
  docs: {
    what: "SESSION_ENGINE is `db` or `cached_db` and INSTALLED_APPS, written as a list or tuple of known strings in a workspace file, contains neither `'django.contrib.sessions'` nor its AppConfig. Never fires on stock Horizon, whose own INSTALLED_APPS includes the app; an INSTALLED_APPS built from unknown parts is not judged.",
    why: 'The `django_session` table and its model belong to the sessions app. Without it every request that uses a database session fails with `RuntimeError: Model class django.contrib.sessions.models.Session doesn\'t declare an explicit app_label and isn\'t in an application in INSTALLED_APPS`, and `migrate` never creates the table (reproduced on Django 5.2; Django docs, topics/http/sessions "Using database-backed sessions").',
    example:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\nINSTALLED_APPS = ['django.contrib.auth', 'django.contrib.contenttypes']",
    useInstead:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.db'\nINSTALLED_APPS = ['django.contrib.auth', 'django.contrib.contenttypes', 'django.contrib.sessions']",
    fixSafety:
      'Safe: adding the app only provides the Session model and the clearsessions command that database sessions already require; nothing else changes. Run `manage.py migrate` afterwards to create the table.',
  },
  check(ctx) {
    const engines = sessionEngine(ctx);
    if (!engines || !engines.judged.every((j) => findSessionEngine(j.value)?.needsDatabase === true)) return;
    const apps = ctx.effective(INSTALLED_APPS);
    // Only a list the user wrote: Horizon's recorded default is partial, Django's default [] is not a choice.
    if (!apps || apps.origin.kind !== 'file') return;
    const opts = possibilities(apps.value);
    const lacks = opts.every(
      (v) =>
        (v.kind === 'list' || v.kind === 'tuple') &&
        !v.open &&
        v.items.every((i) => i.kind === 'str') &&
        !v.items.some(
          (i) =>
            i.kind === 'str' && (i.value.trim() === SESSIONS_APP || i.value.trim() === SESSIONS_APP_CONFIG),
        ),
    );
    if (!lacks) return;
    const only = opts.length === 1 ? opts[0] : undefined;
    const last =
      only?.kind === 'list' || only?.kind === 'tuple' ? only.items[only.items.length - 1] : undefined;
    const q = quoteOf(ctx, last?.span);
    const edits =
      only?.kind === 'list' || only?.kind === 'tuple'
        ? appendItem(ctx, only, `${q}${SESSIONS_APP}${q}`)
        : undefined;
    const related: RelatedLocation[] =
      engines.setting.origin.kind === 'file'
        ? [{ span: engines.setting.origin.span, message: 'SESSION_ENGINE set here' }]
        : [];
    ctx.report({
      at: apps.value.span ? apps.value : apps,
      message: `Database sessions need '${SESSIONS_APP}' in INSTALLED_APPS: without it every request that uses the session fails with RuntimeError (the Session model has no app) and migrate never creates django_session.`,
      settings: [INSTALLED_APPS, SESSION_ENGINE],
      related,
      fix: edits
        ? { title: `Add '${SESSIONS_APP}' to INSTALLED_APPS`, edits, applicability: 'safe' }
        : undefined,
    });
  },
});
