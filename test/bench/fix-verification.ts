/**
 * Cost of verifying fixes on the whole project (core fixes.ts verifyFixes): one analysis with and without
 * verification, on the language-server benchmark's 10,000-line file and on Debian 12's real Horizon when it is
 * installed. Prints medians; asserts nothing about time. Run: `npx tsc -b && node out/test/bench/fix-verification.js`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyze } from '../../server/src/core/analyze';
import { ParseCache, type ProjectLayerInput } from '../../server/src/core/layers/project';
import { OptionsSchema } from '../../server/src/core/options';
import { generateSettings } from './bench';

const RUNS = 9;

function measure(
  name: string,
  layers: ProjectLayerInput[],
  read: (f: string) => string | undefined,
  kind: 'django' | 'horizon',
): string[] {
  const out: string[] = [];
  for (const verify of [false, true]) {
    const cache = new ParseCache();
    const times: number[] = [];
    let fixes = 0;
    let verifyMs = 0;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const a = analyze({
        project: { root: '/p', kind, layers, readFile: read },
        options: OptionsSchema.parse({}),
        cache,
        verifyFixes: verify,
      });
      times.push(performance.now() - t);
      fixes = a.findings.filter((f) => f.fix).length;
      verifyMs = a.timings.verifyFixesMs ?? 0;
    }
    times.sort((x, y) => x - y);
    out.push(
      `${name}, ${verify ? 'verified' : 'unverified'}: median ${(times[RUNS >> 1] ?? NaN).toFixed(1)} ms (${fixes} fixes offered${verify ? `, verification ${verifyMs.toFixed(1)} ms` : ''})`,
    );
  }
  return out;
}

function main(): void {
  const big = generateSettings(10_000);
  const lines = measure(
    '10,000-line settings.py',
    [{ path: '/p/settings.py', role: 'settings' }],
    (f) => (f === '/p/settings.py' ? big : undefined),
    'django',
  );
  const etc = '/etc/openstack-dashboard';
  const settings = '/usr/lib/python3/dist-packages/openstack_dashboard/settings.py';
  if (fs.existsSync(settings) && fs.existsSync(path.join(etc, 'local_settings.d'))) {
    const snippets = fs
      .readdirSync(path.join(etc, 'local_settings.d'))
      .filter((n) => n.endsWith('.py'))
      .sort();
    const layers: ProjectLayerInput[] = [
      { path: settings, role: 'settings' },
      { path: path.join(etc, 'local_settings.py'), role: 'local_settings' },
      ...snippets.map((n) => ({
        path: path.join(etc, 'local_settings.d', n),
        role: 'local_settings.d' as const,
      })),
    ];
    const read = (f: string): string | undefined => {
      try {
        return fs.readFileSync(f, 'utf8');
      } catch {
        return undefined;
      }
    };
    lines.push(...measure("Debian 12's Horizon (real files)", layers, read, 'horizon'));
  }
  process.stdout.write(lines.join('\n') + '\n');
}

main();
