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
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { compareCodePoints } from '../core/layers/snippet-order';

export interface SnippetSet {
  /** File names in the directory, in the order Horizon runs them. */
  readonly names: readonly string[];
  /** What made the directory a snippet set. */
  readonly evidence: 'kolla config.json' | 'numbered snippets';
}

const KOLLA_CONFIG = 'config.json';
const MAX_CONFIG_BYTES = 1024 * 1024;
/** Horizon's convention for snippet names: `_9998-kolla-settings.py`, `_1699_orchestration_settings.py`. */
const NUMBERED_SNIPPET = /^_?\d+[-_][^/\\]*\.py$/;
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
  if (!numbered.some((f) => /settings/i.test(f))) return undefined;
  return { names: [...numbered].sort(compareCodePoints), evidence: 'numbered snippets' };
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
