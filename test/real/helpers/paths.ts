/** Where things are for the real-component tests: the repository (found from the compiled test file), fixtures, the CLI bundle, Debian's Horizon. */
import * as path from 'node:path';
import { REPO_ROOT } from '../../helpers/repo';

export { REPO_ROOT };
export const CLI_BUNDLE = path.join(REPO_ROOT, 'dist', 'cli.js');
export const FIXTURE_PROJECTS = path.join(REPO_ROOT, 'test', 'fixtures', 'projects');
export const FIXTURE_DEPLOYMENTS = path.join(REPO_ROOT, 'test', 'fixtures', 'deployments');
export const ORACLE_SCRIPT = path.join(REPO_ROOT, 'test', 'real', 'python', 'effective_settings.py');
export const ENSURE_DEPS_SCRIPT = path.join(REPO_ROOT, 'scripts', 'ensure-test-deps.mjs');
export const RESULTS_REPORTER = path.join(REPO_ROOT, 'out', 'test', 'real', 'results-reporter.js');

/** Debian 12 (bookworm) well-known paths of python3-django and openstack-dashboard. */
export const DEBIAN = {
  python: '/usr/bin/python3',
  etc: '/etc/openstack-dashboard',
  packageDir: '/usr/lib/python3/dist-packages/openstack_dashboard',
  settings: '/usr/lib/python3/dist-packages/openstack_dashboard/settings.py',
  cacheSnippet: '/etc/openstack-dashboard/local_settings.d/_0006_debian_cache.py',
} as const;

/** Forward slashes, so `endsWith` checks work whatever the platform wrote. */
export function slashes(p: string): string {
  return p.replace(/\\/g, '/');
}
