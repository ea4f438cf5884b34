/** Directories of local_settings.d snippets kept somewhere else than in local_settings.d (kolla's /etc/kolla/horizon); reads the fs, never throws. */
//
// kolla-ansible renders `_9998-kolla-settings.py` and `_9999-custom-settings.py` into /etc/kolla/horizon
// next to `config.json`, whose `config_files` tell kolla_set_configs to copy them into the container's
// `/etc/openstack-dashboard/local_settings.d/` (kolla-ansible ≥ 18.0.0 = 2024.1, `horizon.json.j2`). Horizon then
// runs them, in name order, after the image's local_settings.py (upstream's example, which sets no session or
// cache setting). So the directory is one project: Horizon's defaults, then those snippets in Horizon's order.
// Without a config.json (a copy of the directory, kolla's override directory /etc/kolla/config/horizon, a
// repository of rendered files) a directory whose Python files include numbered, settings-named snippets
// (`_9999-custom-settings.py`, `_1699_orchestration_settings.py`) is read the same way.
// The deployment tools' own template directories render into the same places: kolla-ansible's
// `ansible/roles/horizon/templates/_9998-kolla-settings.py.j2` (and `_9999-custom-settings.py.j2`) become those
// snippets, puppet-horizon's `templates/local_settings.py.erb` the local_settings file and its numbered
// `_1699_orchestration_settings.py.erb`… the snippets beside it. Such a directory is one project too, in the
// order of the rendered names (the template suffix dropped); a template that cannot be parsed stays DSL002.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { compareCodePoints } from '../core/layers/snippet-order';

export interface SnippetSet {
  /** File names in the directory, in the order Horizon runs them. */
  readonly names: readonly string[];
  /** What made the directory a snippet set. */
  readonly evidence: 'kolla config.json' | 'numbered snippets' | 'numbered snippet templates';
  /** A local_settings template beside snippet templates (puppet-horizon's `local_settings.py.erb`): runs first. */
  readonly localSettings?: string | undefined;
}

const KOLLA_CONFIG = 'config.json';
const MAX_CONFIG_BYTES = 1024 * 1024;
/** Horizon's convention for snippet names: `_9998-kolla-settings.py`, `_1699_orchestration_settings.py`. */
const NUMBERED_SNIPPET = /^_?\d+[-_][^/\\]*\.py$/;
/** A template rendering such a snippet: kolla-ansible's `_9998-kolla-settings.py.j2`, puppet's `….py.erb`. */
const NUMBERED_SNIPPET_TEMPLATE = /^_?\d+[-_][^/\\]*\.py\.(?:j2|erb)$/;
const TEMPLATE_SUFFIX = /\.(?:j2|erb)$/;
/** A template rendering local_settings: `local_settings.py.erb` (puppet), `local_settings.j2` (kolla ≤ 17). */
const LOCAL_SETTINGS_TEMPLATE = /^(?:[A-Za-z0-9]+_)?local_settings(?:\.py)?\.(?:j2|erb)$/;
const SNIPPET_DEST = /(?:^|\/)local_settings\.d\/([^/]+\.py)$/;
const LOCAL_SETTINGS_NAMES = new Set(['local_settings.py', 'local_settings']);

/**
 * The snippets a directory holds for Horizon's local_settings.d, or undefined when it is not such a directory.
 * `files`: the names of the regular files in it. A directory with a local_settings file is a Horizon
 * configuration directory (handled as such), and `local_settings.d` itself is walked as Horizon walks it.
 */
export async function snippetSet(dir: string, files: readonly string[]): Promise<SnippetSet | undefined> {
  if (path.basename(dir) === 'local_settings.d' || files.some((f) => LOCAL_SETTINGS_NAMES.has(f)))
    return undefined;
  if (files.includes(KOLLA_CONFIG)) {
    const names = await kollaSnippets(path.join(dir, KOLLA_CONFIG), new Set(files));
    if (names !== undefined && names.length > 0) return { names, evidence: 'kolla config.json' };
  }
  const numbered = files.filter((f) => NUMBERED_SNIPPET.test(f));
  if (numbered.some((f) => /settings/i.test(f)))
    return { names: [...numbered].sort(compareCodePoints), evidence: 'numbered snippets' };
  const templates = files.filter((f) => NUMBERED_SNIPPET_TEMPLATE.test(f));
  if (!templates.some((f) => /settings/i.test(f))) return undefined;
  const rendered = (f: string): string => f.replace(TEMPLATE_SUFFIX, '');
  const locals = files.filter((f) => LOCAL_SETTINGS_TEMPLATE.test(f));
  return {
    names: [...templates].sort((a, b) => compareCodePoints(rendered(a), rendered(b))),
    evidence: 'numbered snippet templates',
    // Two local_settings templates (kolla's old local_settings.j2 beside another) leave the choice open.
    localSettings: locals.length === 1 ? locals[0] : undefined,
  };
}

/**
 * Whether a directory whose regular files are among `names` may be a snippet set (`snippetSet` can say so only
 * then): it is not local_settings.d and a name is kolla's config.json, a numbered settings snippet or a template
 * of one. Asked of a directory listing before each entry is probed (a settings file named on the command line,
 * in a directory of unrelated files, costs no probe of its siblings).
 */
export function maySnippetSet(dir: string, names: readonly string[]): boolean {
  if (path.basename(dir) === 'local_settings.d') return false;
  return names.some(
    (f) =>
      f === KOLLA_CONFIG ||
      ((NUMBERED_SNIPPET.test(f) || NUMBERED_SNIPPET_TEMPLATE.test(f)) && /settings/i.test(f)),
  );
}

/** Sources kolla copies into local_settings.d, ordered by their name there; undefined if not kolla's file. */
async function kollaSnippets(
  configFile: string,
  present: ReadonlySet<string>,
): Promise<string[] | undefined> {
  let config: unknown;
  try {
    const stat = await fs.stat(configFile);
    if (stat.size > MAX_CONFIG_BYTES) return undefined;
    config = JSON.parse(await fs.readFile(configFile, 'utf8'));
  } catch {
    return undefined;
  }
  const entries = (config as { config_files?: unknown } | null)?.config_files;
  if (!Array.isArray(entries)) return undefined;
  const byDest = new Map<string, string>();
  for (const entry of entries as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { source, dest } = entry as { source?: unknown; dest?: unknown };
    if (typeof source !== 'string' || typeof dest !== 'string') continue;
    const destName = SNIPPET_DEST.exec(dest.replace(/\\/g, '/'))?.[1];
    const sourceName = path.posix.basename(source.replace(/\\/g, '/'));
    if (destName !== undefined && present.has(sourceName)) byDest.set(destName, sourceName);
  }
  return [...byDest.keys()].sort(compareCodePoints).map((d) => byDest.get(d) as string);
}
