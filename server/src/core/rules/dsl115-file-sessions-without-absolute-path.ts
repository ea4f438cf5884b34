/** DSL115: file sessions without an explicit, absolute SESSION_FILE_PATH (temp-dir fallback, or a path relative to the server's working directory). */
import {
  ENGINE_FILE,
  SESSION_ENGINE,
  SESSION_FILE_PATH,
  SESSION_FILE_PATH_FALLBACK,
  TEMPORARY_DIRECTORIES,
} from '../knowledge';
import type { RelatedLocation, Severity } from '../types';
import { defineRule, ifUnsetSuffix, judgeAll } from './framework';
import { engineIsOneOf } from '../queries/session-storage';
import { isAbsolutePath } from './cache-aliases';

type Verdict = 'unset' | 'relative' | 'temporary' | 'absolute';

/** True for a system temporary directory or a directory inside one (`/tmp`, `/var/tmp/sessions`). */
export function isTemporaryDirectory(path: string): boolean {
  const p = path.replace(/\/+$/, '') || '/';
  return TEMPORARY_DIRECTORIES.some((t) => p === t || p.startsWith(t + '/'));
}

export default defineRule({
  code: 'DSL115',
  name: 'file-sessions-without-absolute-path',
  title: 'File sessions without explicit/absolute SESSION_FILE_PATH',
  severity: { production: 'warning', development: 'information' },
  versionDependent: false,
  fix: 'none',
  docs: {
    what: 'SESSION_ENGINE is `django.contrib.sessions.backends.file` and SESSION_FILE_PATH is unset (None or empty: information in production, off in development), a relative path, or explicitly a system temporary directory — `/tmp`, `/var/tmp`, `/dev/shm`, a directory inside one, or `tempfile.gettempdir()` (warning in production, information in development).',
    why: "Unset, Django stores session files in `tempfile.gettempdir()` — a temporary directory shared with every other program on the host and cleaned by the system, so users can be logged out at random. A relative path is resolved against the web server process' working directory, which depends on how the server is started; when that directory does not exist Django raises ImproperlyConfigured on the first request that uses the session (DJ52 `contrib/sessions/backends/file.py`, verified run). Writing `/tmp` (or `tempfile.gettempdir()`, `/var/tmp`, `/dev/shm`) explicitly is exactly the unset default with its problems: a world-writable directory shared with every local user, emptied on reboot and by tmp cleaning, and private to the service and wiped on every restart under systemd's PrivateTmp (Debian's apache2 unit sets it). Either way the files are local to one host.",
    example: "SESSION_ENGINE = 'django.contrib.sessions.backends.file'\nSESSION_FILE_PATH = 'sessions'",
    useInstead:
      "SESSION_ENGINE = 'django.contrib.sessions.backends.file'\nSESSION_FILE_PATH = '/var/lib/openstack-dashboard/sessions'  # exists, owned by the web server user\n# and run `manage.py clearsessions` regularly",
    fixSafety:
      'No automatic fix: the right directory (existing, writable by the web server user, on which host) is a deployment decision.',
  },
  check(ctx) {
    const engine = engineIsOneOf(ctx, [ENGINE_FILE]);
    if (!engine) return;
    const setting = ctx.effective(SESSION_FILE_PATH);
    const value = setting?.value ?? { kind: 'none' as const };
    // Django reads the setting with `or tempfile.gettempdir()`, so None and '' both mean the temp directory.
    const judged = judgeAll(value, (k): Verdict | undefined => {
      if (k.kind === 'none') return 'unset';
      if (k.kind !== 'str') return undefined;
      if (k.value === '') return 'unset';
      if (!isAbsolutePath(k.value)) return 'relative';
      return isTemporaryDirectory(k.value) ? 'temporary' : 'absolute';
    });
    if (!judged || judged.some((j) => j.value === 'absolute')) return;
    const unset = judged.find((j) => j.value === 'unset');
    const verdict = unset ?? judged[0];
    if (!verdict) return;
    const dev = ctx.profile === 'development';
    if (unset && dev) return;
    const severity: Severity = unset ? 'information' : dev ? 'information' : 'warning';
    const related: RelatedLocation[] = [];
    if (engine.setting.origin.kind === 'file')
      related.push({ span: engine.setting.origin.span, message: `${SESSION_ENGINE} set here` });
    const written = setting?.origin.kind === 'file';
    if (unset) {
      ctx.report({
        at: written && verdict.source.span ? verdict.source : engine.setting,
        message: `File sessions ${written ? `with ${SESSION_FILE_PATH} set to ${verdict.source.kind === 'none' ? 'None' : "''"}` : `without ${SESSION_FILE_PATH}`}${ifUnsetSuffix(verdict)}: Django stores them in ${SESSION_FILE_PATH_FALLBACK}, a shared temporary directory the system cleans, so users can be logged out; set an absolute directory owned by the web server user.`,
        settings: [SESSION_FILE_PATH, SESSION_ENGINE],
        severity,
        related,
      });
      return;
    }
    for (const j of judged) {
      if (j.source.kind !== 'str') continue;
      if (j.value === 'temporary') {
        ctx.report({
          at: j.source.span ? j.source : setting,
          message: `${SESSION_FILE_PATH} '${j.source.value}' is a system temporary directory${ifUnsetSuffix(j)}: shared with every local user and emptied on reboot, by tmp cleaning and, under systemd's PrivateTmp, on every web server restart, so users are logged out; set a directory owned by the web server user.`,
          settings: [SESSION_FILE_PATH, SESSION_ENGINE],
          severity,
          related,
        });
        continue;
      }
      ctx.report({
        at: j.source.span ? j.source : setting,
        message: `${SESSION_FILE_PATH} '${j.source.value}' is relative${ifUnsetSuffix(j)}: it resolves against the web server's working directory, and Django raises ImproperlyConfigured when that directory does not exist; use an absolute path.`,
        settings: [SESSION_FILE_PATH, SESSION_ENGINE],
        severity,
        related,
      });
    }
  },
});
