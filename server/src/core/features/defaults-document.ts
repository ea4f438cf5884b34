/**
 * Read-only documents of the built-in defaults: Django's global_settings values and Horizon's defaults for a
 * release, as the knowledge tables hold them, one line per setting with a comment saying where the real value
 * lives. Go to Definition lands on a line of one when a setting's effective value is such a default and no
 * file on this machine holds it (a kolla or Debian layout without Horizon's settings.py installed). Pure: the
 * front end serves the text under a URI of its own (the language server: `DEFAULTS_SCHEME`).
 */
import type { Analysis } from '../analyze';
import {
  DJANGO_DEFAULTS,
  DJANGO_SETTING_ADDED,
  findHorizonRelease,
  formatPyData,
  HORIZON_ONLY_SETTINGS,
  HORIZON_RELEASES,
  type HorizonRelease,
} from '../knowledge';

export interface DefaultsDocument {
  /** `/django/global_settings.py` or `/horizon/<series>/settings.py`. */
  readonly path: string;
  readonly text: string;
  /** 0-based line of each setting's assignment. */
  readonly lines: ReadonlyMap<string, number>;
}

const DJANGO_PATH = '/django/global_settings.py';
const HORIZON_PATH = /^\/horizon\/([^/]+)\/settings\.py$/;

function documentOf(
  docPath: string,
  header: readonly string[],
  rows: readonly [string, string][],
): DefaultsDocument {
  const out = [...header, ''];
  const lines = new Map<string, number>();
  for (const [name, line] of rows) {
    lines.set(name, out.length);
    out.push(line);
  }
  out.push('');
  return { path: docPath, text: out.join('\n'), lines };
}

let django: DefaultsDocument | undefined;

/** Django's defaults of the settings the rules read (`django/conf/global_settings.py`). */
export function djangoDefaultsDocument(): DefaultsDocument {
  django ??= documentOf(
    DJANGO_PATH,
    [
      '# Django defaults (built into django-session-lint): the values of django/conf/global_settings.py for',
      '# the settings it reads. The real ones live in the installed Django, django/conf/global_settings.py.',
      '# Read-only. Every later layer (Horizon, settings.py, local_settings.py, snippets) may override them.',
    ],
    Object.entries(DJANGO_DEFAULTS).map(([name, value]) => {
      const added = DJANGO_SETTING_ADDED[name];
      const since = added ? `; Django ${added} and later` : '';
      return [name, `${name} = ${formatPyData(value)}  # django/conf/global_settings.py${since}`];
    }),
  );
  return django;
}

const horizon = new Map<string, DefaultsDocument>();

/** Horizon's defaults of a release band (`openstack_dashboard/settings.py`, `horizon/defaults.py`, …). */
export function horizonDefaultsDocument(release: HorizonRelease): DefaultsDocument {
  const key = release.series;
  const hit = horizon.get(key);
  if (hit) return hit;
  const definedIn = new Map(HORIZON_ONLY_SETTINGS.map((s) => [s.name, s.definedIn]));
  const doc = documentOf(
    `/horizon/${release.series}/settings.py`,
    [
      `# Horizon ${release.series} (${release.codename}) defaults, built into django-session-lint: Horizon's`,
      "# settings.py is not installed on this machine. The real values live in the installed Horizon's",
      '# openstack_dashboard/settings.py (or the file named on the line), read before local_settings.py.',
      '# Read-only. local_settings.py and local_settings.d snippets override them.',
    ],
    Object.entries(release.defaults).map(([name, value]) => [
      name,
      `${name} = ${formatPyData(value)}  # ${definedIn.get(name) ?? 'openstack_dashboard/settings.py'}`,
    ]),
  );
  horizon.set(key, doc);
  return doc;
}

/** The document at a path (`DefaultsDocument.path`), or undefined for a path that names none. */
export function defaultsDocumentAt(docPath: string): DefaultsDocument | undefined {
  if (docPath === DJANGO_PATH) return djangoDefaultsDocument();
  const m = HORIZON_PATH.exec(docPath);
  const series = m?.[1];
  if (series === undefined) return undefined;
  // Only a series' own band (not a version or codename spelled another way): one document per release.
  const release = HORIZON_RELEASES.find((r) => r.stableBranch && r.series === series);
  return release ? horizonDefaultsDocument(release) : undefined;
}

/**
 * Where a setting's effective value is defined when it is a built-in default (the Django or Horizon table the
 * analysis applied): the document and the 0-based line. Undefined when a file sets it or no table has it.
 */
export function builtInDefinition(
  analysis: Analysis,
  name: string,
): { readonly path: string; readonly line: number } | undefined {
  const eff = analysis.model.effective(name);
  if (!eff || eff.origin.kind === 'file') return undefined;
  let doc: DefaultsDocument | undefined;
  if (eff.layer === 'django-defaults') doc = djangoDefaultsDocument();
  else if (eff.layer === 'horizon-defaults') {
    const series = analysis.summary.horizonRelease;
    const release = series ? findHorizonRelease(series) : undefined;
    doc = release ? horizonDefaultsDocument(release) : undefined;
  }
  const line = doc?.lines.get(name);
  return doc && line !== undefined ? { path: doc.path, line } : undefined;
}
