/** Checks that Debian's python3-django and openstack-dashboard are installed; fails (never skips) with what to install. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { DEBIAN } from './paths';

let problem: string | null | undefined;

function findProblem(): string | null {
  const missing = new Set<string>();
  const notes: string[] = [];
  if (!fs.existsSync(DEBIAN.python)) {
    missing.add('python3-django');
    notes.push(`${DEBIAN.python} does not exist`);
  } else {
    const r = spawnSync(DEBIAN.python, ['-I', '-c', 'import django'], { encoding: 'utf8' });
    if (r.status !== 0) {
      missing.add('python3-django');
      notes.push(
        `${DEBIAN.python} cannot import django: ${(r.stderr || String(r.error)).trim().split('\n').pop()}`,
      );
    }
  }
  for (const file of [DEBIAN.settings, `${DEBIAN.etc}/local_settings.py`, DEBIAN.cacheSnippet]) {
    if (!fs.existsSync(file)) {
      missing.add('openstack-dashboard');
      notes.push(`${file} does not exist`);
    }
  }
  if (missing.size === 0) return null;
  const names = [...missing].join(' ');
  return (
    `Debian package(s) missing: ${names} (${notes.join('; ')}).\n` +
    `Install with: apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${names}\n` +
    '`npm test` does this itself through scripts/ensure-test-deps.mjs, which also says what to do on a machine without apt.'
  );
}

/** Throws a clear error unless Debian's Horizon and Django are there. Cheap after the first call. */
export function requireDebianHorizon(): void {
  if (problem === undefined) problem = findProblem();
  if (problem) throw new Error(problem);
}

/** Upstream version of an installed Debian package: `3:23.0.0-5+deb12u2` gives `23.0.0`. */
export function debianUpstreamVersion(pkg: string): string {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Version}', pkg], { encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout)
    throw new Error(`dpkg-query cannot tell the version of ${pkg}: ${r.stderr || r.error}`);
  return r.stdout.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
}
