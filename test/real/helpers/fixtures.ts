/** Lists the fixture projects under test/fixtures/projects/ and reads each one's fixture.json. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Expectations } from './compare';
import { FIXTURE_PROJECTS } from './paths';

export interface FixtureProject extends Expectations {
  name: string;
  /** The project folder (what the CLI is pointed at). */
  dir: string;
  /** The folder holding local_settings.py and local_settings.d/ (Horizon's `local`). */
  localDir: string;
  description: string;
  horizonRelease: string;
}

function strings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

export function readFixture(name: string): FixtureProject {
  const dir = path.join(FIXTURE_PROJECTS, name);
  const file = path.join(dir, 'fixture.json');
  const meta = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const { horizonRelease, expectKnown, expectDefault, description } = meta;
  if (typeof horizonRelease !== 'string') throw new Error(`${file}: horizonRelease must be a string`);
  if (!strings(expectKnown) || expectKnown.length === 0)
    throw new Error(`${file}: expectKnown must be a non-empty list`);
  if (expectDefault !== undefined && !strings(expectDefault))
    throw new Error(`${file}: expectDefault must be a list`);
  const nested = path.join(dir, 'local');
  const localDir = fs.existsSync(path.join(nested, 'local_settings.py')) ? nested : dir;
  if (!fs.existsSync(path.join(localDir, 'local_settings.py')))
    throw new Error(`${name}: no local_settings.py`);
  return {
    name,
    dir,
    localDir,
    description: typeof description === 'string' ? description : '',
    horizonRelease,
    expectKnown,
    ...(expectDefault ? { expectDefault } : {}),
  };
}

/** Every fixture project's name, sorted. */
export function fixtureNames(): string[] {
  if (!fs.existsSync(FIXTURE_PROJECTS)) return [];
  return fs
    .readdirSync(FIXTURE_PROJECTS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}
