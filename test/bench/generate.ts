/** Generated inputs for the benchmark: large settings modules and a fleet of Horizon deployments. Deterministic. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface GenerateOptions {
  /** How often a section holds an `if DEBUG:` and a `try:` block. */
  readonly blockEvery?: number;
  /**
   * `spaced`: as people write settings, titled sections separated by blank lines. `compact`: the same
   * statements without blank or comment-only lines (@lezer/python 1.1.19 reports a false syntax error after
   * some 600 top-level blank or comment lines, which the segmented parse avoids).
   */
  readonly layout?: 'spaced' | 'compact';
}

/**
 * A settings module of at least `lines` lines (whole sections; ~39 characters a line, so 10,000 lines ≈ 394 KB)
 * in the shapes real ones use: titled sections of plain assignments, multi-line dicts and lists, environment
 * lookups, subscript assignments into earlier dicts, and now and then an `if`/`try` block.
 */
export function generateSettings(lines: number, options: GenerateOptions = {}): string {
  const blockEvery = options.blockEvery ?? 5;
  const spaced = (options.layout ?? 'spaced') === 'spaced';
  const out: string[] = [
    '"""Generated settings for the benchmark."""',
    'import os',
    'DEBUG = False',
    "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
    'CACHES = {',
    "    'default': {",
    "        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',",
    '    },',
    '}',
    "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'app', 'HOST': os.environ.get('DB_HOST', 'db.internal')}}",
    'SERVICES = {}',
  ];
  for (let i = 1; out.length < lines; i++) {
    const title = `# ----- Section ${i}: feature flags, limits and service endpoints -----`;
    const first = `FEATURE_${i}_ENABLED = ${i % 2 === 0 ? 'True' : 'False'}`;
    if (spaced) out.push('', title, '', first);
    else out.push(`${first}  ${title}`);
    out.push(`FEATURE_${i}_NAME = 'feature-${i}'`);
    out.push(`FEATURE_${i}_TIMEOUT = int(os.environ.get('FEATURE_${i}_TIMEOUT', '${i * 10}'))`);
    out.push(`FEATURE_${i}_URL = os.environ.get('FEATURE_${i}_URL', 'https://feature-${i}.example.org/')`);
    out.push(`FEATURE_${i}_HOSTS = ['a-${i}.example.org', 'b-${i}.example.org', 'c-${i}.example.org']`);
    out.push(`FEATURE_${i}_OPTIONS = {`);
    out.push(`    'name': 'feature-${i}',`);
    out.push(`    'retries': ${i % 7},`);
    out.push(`    'limits': [${i}, ${i * 2}, ${i * 3}],`);
    out.push(`    'backend': {'kind': 'http', 'verify': True},`);
    out.push('}');
    out.push(`FEATURE_${i}_OPTIONS['timeout'] = FEATURE_${i}_TIMEOUT`);
    out.push(`SERVICES['feature-${i}'] = {'url': FEATURE_${i}_URL, 'hosts': FEATURE_${i}_HOSTS}`);
    if (i % blockEvery === 0) {
      out.push('if DEBUG:', `    FEATURE_${i}_TIMEOUT = 0`, `    FEATURE_${i}_OPTIONS['retries'] = 0`);
      if (spaced) out.push('');
      out.push(
        'try:',
        `    FEATURE_${i}_EXTRA = os.environ['FEATURE_${i}_EXTRA']`,
        'except KeyError:',
        `    FEATURE_${i}_EXTRA = None`,
      );
    }
  }
  // Whole sections only: cutting one would leave a dict or a block open.
  return out.join('\n') + '\n';
}

/** A Horizon local_settings.py of about 150 lines, as deployment tools render them (`n` varies the values). */
export function horizonLocalSettings(n: number): string {
  const out: string[] = [
    `# Horizon local settings of deployment ${n}, rendered by a deployment tool.`,
    'import os',
    '',
    'from django.utils.translation import gettext_lazy as _',
    '',
    'from openstack_dashboard.settings import HORIZON_CONFIG',
    '',
    'DEBUG = False',
    '',
    `ALLOWED_HOSTS = ['dashboard-${n}.example.org', '10.${n % 250}.0.10']`,
    '',
    "SECRET_KEY = os.environ.get('HORIZON_SECRET_KEY', 'changeme')",
    '',
    "SESSION_ENGINE = 'django.contrib.sessions.backends.cache'",
    '',
    'CACHES = {',
    "    'default': {",
    "        'BACKEND': 'django.core.cache.backends.memcached.PyMemcacheCache',",
    `        'LOCATION': ['10.${n % 250}.0.11:11211', '10.${n % 250}.0.12:11211'],`,
    "        'OPTIONS': {'ignore_exc': True},",
    '    },',
    '}',
    '',
    'SESSION_COOKIE_SECURE = True',
    'CSRF_COOKIE_SECURE = True',
    'SESSION_TIMEOUT = 3600',
    '',
    `OPENSTACK_HOST = '10.${n % 250}.0.10'`,
    "OPENSTACK_KEYSTONE_URL = 'https://%s:5000/v3' % OPENSTACK_HOST",
    "OPENSTACK_KEYSTONE_DEFAULT_ROLE = 'member'",
    "TIME_ZONE = 'UTC'",
    '',
  ];
  for (let k = 0; out.length < 145; k++) {
    out.push(`# Panel group ${k}`);
    out.push(`HORIZON_CONFIG['panel_${k}'] = {'enabled': ${k % 2 === 0 ? 'True' : 'False'}, 'order': ${k}}`);
    out.push(
      `OPENSTACK_PANEL_${k}_URL = os.environ.get('PANEL_${k}_URL', 'https://panel-${k}.example.org/')`,
    );
    out.push(`OPENSTACK_PANEL_${k}_LIMITS = {'instances': ${10 + k}, 'volumes': ${20 + k}}`);
    out.push('');
  }
  out.push('LOGGING = {', "    'version': 1,", "    'disable_existing_loggers': False,", '}');
  return out.join('\n') + '\n';
}

/** One `local_settings.d` snippet of a Horizon deployment. */
function horizonSnippet(n: number, k: number): string {
  return [
    `# Snippet ${k} of deployment ${n}.`,
    `FEATURE_${k}_ENABLED = ${k % 2 === 0 ? 'True' : 'False'}`,
    `FEATURE_${k}_OPTIONS = {'timeout': ${k * 10}, 'url': 'https://feature-${k}.example.org/'}`,
    k === 6
      ? "CACHES['default']['LOCATION'] = os.environ.get('MEMCACHED', '127.0.0.1:11211')"
      : `SESSION_COOKIE_AGE = ${3600 + k}`,
    '',
  ].join('\n');
}

/**
 * A fleet in `dir`: `deployments` Horizon deployments, each a local_settings.py and `filesEach - 1` snippets in
 * local_settings.d. Returns the local_settings.py paths.
 */
export function writeHorizonFleet(dir: string, deployments: number, filesEach = 10): string[] {
  const out: string[] = [];
  for (let n = 0; n < deployments; n++) {
    const root = path.join(dir, `deployment-${String(n).padStart(3, '0')}`);
    fs.mkdirSync(path.join(root, 'local_settings.d'), { recursive: true });
    const main = path.join(root, 'local_settings.py');
    fs.writeFileSync(main, horizonLocalSettings(n));
    for (let k = 1; k < filesEach; k++)
      fs.writeFileSync(path.join(root, 'local_settings.d', `_${k}0_snippet.py`), horizonSnippet(n, k));
    out.push(main);
  }
  return out;
}
