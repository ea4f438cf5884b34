/** Discovery's walk: each path argument → candidates (Horizon packages, local_settings files, snippet directories and sets, templates, settings files); reads the fs, never throws. */
import type { Dirent } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { compareCodePoints, isSnippetPath, orderSnippets } from '../core/layers/snippet-order';
import { maySnippetSet, snippetSet } from './snippet-sets';
import {
  displayOf,
  displayRelativeTo,
  foundDir,
  isEtcDir,
  isFile,
  isHorizonCheckout,
  isHorizonPackageDir,
  probePath,
  selfAndAncestors,
  specialKind,
} from './discover-fs';
import { describeFsError, notRegularFile } from './file-errors';
import {
  addError,
  classifyFile,
  isTestSettingsFile,
  type Entry,
  type Found,
  HORIZON_SIBLING_PACKAGES,
  HORIZON_TEST_DIRS,
  isCandidateName,
  isLocalSettingsName,
  LOCAL_SETTINGS_NAMES,
  PACKAGE_DIR,
  register,
  settingsTemplateRole,
  SKIPPED_DIR_NAMES,
  SNIPPET_DIR,
  type State,
  VENV_MARKER,
  type WalkContext,
} from './discover-model';

export async function discoverArgument(state: State, given: string): Promise<void> {
  const display = displayOf(given);
  const abs = path.resolve(state.cwd, given);
  const probe = await probePath(abs);
  if (probe.type === 'error') return addError(state, display, probe.message);
  if (probe.type === 'other') return addError(state, display, 'not a regular file or directory');
  const found: Found = { display, abs, real: probe.real };
  const [ctx, snippetDir] = await Promise.all([
    argumentContext(state, found, probe.type === 'dir'),
    outermostSnippetDir(state, found, probe.type === 'dir'),
  ]);

  if (probe.type === 'file') {
    state.named.push(found);
    await registerFile(ctx, found, snippetDir);
    return;
  }
  if (snippetDir !== undefined) return registerSnippetDir(ctx, snippetDir);
  if (await isHorizonPackageDir(abs)) return register(state, { kind: 'package', dir: found });
  ctx.visited.add(found.real);
  await walkDir(ctx, found, true, ctx.insideHorizonTree);
}

/**
 * What the argument's ancestors say about how to walk below it. Every ancestor is probed at once (a few round
 * trips to the file system in all, not a few per ancestor: a CLI run waits for them before analysing anything).
 */
async function argumentContext(state: State, found: Found, isDir: boolean): Promise<WalkContext> {
  const dirs = selfAndAncestors(isDir ? found.abs : path.dirname(found.abs));
  // The argument itself counts for skipping (`lint venv/`), but a Horizon package or checkout given as the
  // argument is handled as a whole (discoverArgument, walkDir) rather than as something to be inside.
  const facts = await Promise.all(dirs.map((dir) => ancestorFacts(dir, isDir && dir === found.abs)));
  let skipByName = true;
  let insideHorizonPackage = false;
  let insideHorizonTree = false;
  for (const f of facts) {
    if (f.venvOrSkipped) skipByName = false;
    if (f.ownPackage) insideHorizonPackage = insideHorizonTree = true;
    if (f.packageBelow) insideHorizonTree = true;
  }
  return { state, visited: new Set(), skipByName, insideHorizonPackage, insideHorizonTree };
}

/** What one ancestor of the argument (or the argument itself) is, for `argumentContext`. */
async function ancestorFacts(
  dir: string,
  isArgument: boolean,
): Promise<{ venvOrSkipped: boolean; ownPackage: boolean; packageBelow: boolean }> {
  const name = path.basename(dir);
  const [venvOrSkipped, own, sibling, packageBelow] = await Promise.all([
    SKIPPED_DIR_NAMES.has(name) || isFile(path.join(dir, VENV_MARKER)),
    !isArgument && isHorizonPackageDir(dir),
    HORIZON_SIBLING_PACKAGES.has(name) && isHorizonPackageDir(path.join(path.dirname(dir), PACKAGE_DIR)),
    !isArgument && isHorizonPackageDir(path.join(dir, PACKAGE_DIR)),
  ]);
  return { venvOrSkipped, ownPackage: own || sibling, packageBelow };
}

/** The outermost `local_settings.d` the argument is (in), since Horizon walks that one recursively. */
async function outermostSnippetDir(state: State, found: Found, isDir: boolean): Promise<Found | undefined> {
  const outermost = selfAndAncestors(isDir ? found.abs : path.dirname(found.abs))
    .filter((dir) => path.basename(dir) === SNIPPET_DIR)
    .pop();
  if (outermost === undefined) return undefined;
  const probe = await probePath(outermost);
  if (probe.type !== 'dir') return undefined;
  return { display: displayRelativeTo(state, found, outermost), abs: outermost, real: probe.real };
}

async function registerFile(ctx: WalkContext, file: Found, snippetDir: Found | undefined): Promise<void> {
  const name = path.basename(file.abs);
  if (snippetDir !== undefined && isSnippetPath(name)) return registerSnippetDir(ctx, snippetDir);
  if (isLocalSettingsName(name)) return register(ctx.state, { kind: 'local', file });
  const dir = path.dirname(file.abs);
  const parent = await foundDir({
    display: path.dirname(file.display),
    abs: dir,
    real: path.dirname(file.real),
  });
  if (parent !== undefined && (await registerSnippetSet(ctx.state, parent, file.real))) return;
  if (name === 'settings.py' && (await isHorizonPackageDir(dir))) {
    const probe = await probePath(dir);
    if (probe.type === 'dir') {
      return register(ctx.state, {
        kind: 'package',
        dir: { display: path.dirname(file.display), abs: dir, real: probe.real },
      });
    }
  }
  if (settingsTemplateRole(name) !== undefined) return register(ctx.state, { kind: 'template', file });
  register(ctx.state, { kind: 'settings', file });
}

async function walkDir(
  ctx: WalkContext,
  dir: Found,
  isArgument: boolean,
  inHorizonTree: boolean,
): Promise<void> {
  let dirents;
  try {
    dirents = await fs.readdir(dir.abs, { withFileTypes: true });
  } catch (error) {
    return addError(ctx.state, dir.display, describeFsError(error));
  }
  if (!isArgument && ctx.skipByName && dirents.some((d) => d.name === VENV_MARKER)) return;
  const entries = await walkEntries(ctx, dir, dirents);

  const byName = new Map(entries.map((e) => [e.name, e]));
  const horizonPackage = byName.get(PACKAGE_DIR);
  const holdsHorizonPackage =
    horizonPackage?.type === 'dir' && (await isHorizonPackageDir(horizonPackage.abs));
  if (holdsHorizonPackage && horizonPackage !== undefined && isHorizonCheckout(byName)) {
    return register(ctx.state, { kind: 'package', dir: horizonPackage });
  }
  const isConfigDir =
    (byName.get(SNIPPET_DIR)?.type === 'dir' &&
      LOCAL_SETTINGS_NAMES.some((n) => byName.get(n)?.type === 'file')) ||
    isEtcDir(ctx.state, dir.abs);
  const horizonTree = inHorizonTree || holdsHorizonPackage;
  const set = isConfigDir ? undefined : await snippetSetOf(dir, entries);
  // kolla's override directory (/etc/kolla/config/horizon[/<host>]) is copied into the rendered
  // /etc/kolla/horizon, which is the project: alone, its snippets would miss what _9998 sets.
  const overrides = set !== undefined && !isArgument && (await kollaRenderedDirFor(dir.abs)) !== undefined;
  if (set !== undefined && !overrides)
    register(ctx.state, { kind: 'snippet-set', dir, files: set.files, local: set.local });
  const inSet = new Set([...(set?.files ?? []), ...(set?.local ? [set.local] : [])].map((f) => f.real));

  for (const entry of entries) {
    if (inSet.has(entry.real)) continue;
    if (entry.type === 'dir') {
      if (entry.name === SNIPPET_DIR) {
        await registerSnippetDir(ctx, entry);
      } else if (holdsHorizonPackage && entry === horizonPackage) {
        register(ctx.state, { kind: 'package', dir: entry });
      } else if (
        !(ctx.skipByName && SKIPPED_DIR_NAMES.has(entry.name)) &&
        !(horizonTree && HORIZON_TEST_DIRS.has(entry.name)) &&
        !(holdsHorizonPackage && HORIZON_SIBLING_PACKAGES.has(entry.name)) &&
        !(isConfigDir && entry.name === 'enabled') &&
        !ctx.visited.has(entry.real)
      ) {
        ctx.visited.add(entry.real);
        await walkDir(ctx, entry, false, horizonTree);
      }
      continue;
    }
    const kind = classifyFile(entry.name, path.basename(dir.abs));
    if (kind === undefined || (ctx.insideHorizonPackage && kind !== 'local')) continue;
    if (kind === 'settings' && isTestSettingsFile(entry.name, path.basename(dir.abs))) continue;
    register(ctx.state, { kind, file: entry });
  }
}

/** A directory's files and subdirectories in name order, links resolved; unusable candidates reported. */
async function walkEntries(ctx: WalkContext, dir: Found, dirents: Dirent[]): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const dirent of dirents.sort((a, b) => compareCodePoints(a.name, b.name))) {
    const abs = path.join(dir.abs, dirent.name);
    const display = path.join(dir.display, dirent.name);
    if (dirent.isSymbolicLink()) {
      const probe = await probePath(abs);
      if (probe.type === 'error') {
        // Dangling links are common (editor backups, removed packages); only report ones we would have used.
        if (isCandidateName(dirent.name, path.basename(dir.abs))) addError(ctx.state, display, probe.message);
        continue;
      }
      if (probe.type !== 'other')
        entries.push({ name: dirent.name, type: probe.type, display, abs, real: probe.real });
      else if (isCandidateName(dirent.name, path.basename(dir.abs)))
        addError(ctx.state, display, `${notRegularFile(await specialKind(abs))}: skipped`);
    } else if (dirent.isDirectory() || dirent.isFile()) {
      // Not a link, so its real path is the (real) parent's plus its name.
      const type = dirent.isDirectory() ? 'dir' : 'file';
      entries.push({ name: dirent.name, type, display, abs, real: path.join(dir.real, dirent.name) });
    } else if (isCandidateName(dirent.name, path.basename(dir.abs))) {
      // A FIFO or device named like a settings file: reading it would block or never end. Say so.
      addError(ctx.state, display, `${notRegularFile(await specialKind(abs))}: skipped`);
    }
  }
  return entries;
}

async function registerSnippetDir(ctx: WalkContext, dir: Found): Promise<void> {
  if (ctx.visited.has(dir.real)) return;
  ctx.visited.add(dir.real);
  register(ctx.state, { kind: 'snippets', dir });
  const templates: Found[] = [];
  await listSnippets(ctx.state, dir, templates);
  for (const file of templates) register(ctx.state, { kind: 'template', file });
}

/**
 * Lists a `local_settings.d` the way Horizon's `os.walk` sees it (see snippet-order.ts for the order).
 * Settings-named templates found on the way are handed back, since a repository of templates may mirror
 * the deployed layout.
 */
export async function listSnippets(state: State, dir: Found, templates?: Found[]): Promise<Found[]> {
  const key = `${dir.real}\0${dir.display}`;
  const cached = state.snippetListings.get(key);
  if (cached !== undefined) return cached;
  const files = new Map<string, Found>();
  const visit = async (abs: string, display: string, prefix: string): Promise<void> => {
    let dirents;
    try {
      dirents = await fs.readdir(abs, { withFileTypes: true });
    } catch (error) {
      return addError(state, display, describeFsError(error));
    }
    for (const dirent of dirents.sort((a, b) => compareCodePoints(a.name, b.name))) {
      const childAbs = path.join(abs, dirent.name);
      const childDisplay = path.join(display, dirent.name);
      const relative = prefix + dirent.name;
      if (dirent.isDirectory()) {
        await visit(childAbs, childDisplay, `${relative}/`);
        continue;
      }
      const candidate = isSnippetPath(relative) || settingsTemplateRole(dirent.name) !== undefined;
      if (!candidate) continue;
      if (!(dirent.isFile() || dirent.isSymbolicLink())) {
        // A FIFO or device named like a snippet: Horizon's open() would block on it or never end. Say so.
        addError(state, childDisplay, `${notRegularFile(await specialKind(childAbs))}: skipped`);
        continue;
      }
      const probe = await probePath(childAbs);
      if (probe.type === 'error') {
        // Horizon would try to exec it and log "Can not exec settings snippet".
        addError(state, childDisplay, probe.message);
      } else if (probe.type === 'other') {
        addError(state, childDisplay, `${notRegularFile(await specialKind(childAbs))}: skipped`);
      } else if (probe.type === 'file') {
        const found = { display: childDisplay, abs: childAbs, real: probe.real };
        if (isSnippetPath(relative)) files.set(relative, found);
        else templates?.push(found);
      }
      // A linked directory is not entered: os.walk(followlinks=False).
    }
  };
  await visit(dir.abs, dir.display, '');
  const ordered = orderSnippets([...files.keys()]).flatMap((relative) => {
    const found = files.get(relative);
    return found === undefined ? [] : [found];
  });
  state.snippetListings.set(key, ordered);
  return ordered;
}

/** The snippets of a kolla-like directory (see snippet-sets.ts), as entries of the walk. */
async function snippetSetOf(
  dir: Found,
  entries: readonly Entry[],
): Promise<{ files: Found[]; local?: Found | undefined } | undefined> {
  const files = entries.filter((e) => e.type === 'file');
  const set = await snippetSet(
    dir.abs,
    files.map((f) => f.name),
  );
  if (set === undefined) return undefined;
  const byName = new Map(files.map((f) => [f.name, f]));
  const found = (n: string): Found[] => {
    const f = byName.get(n);
    return f === undefined ? [] : [{ display: f.display, abs: f.abs, real: f.real }];
  };
  return {
    files: set.names.flatMap(found),
    local: set.localSettings !== undefined ? found(set.localSettings)[0] : undefined,
  };
}

/** The rendered kolla directory (`<node_config>/horizon` with config.json) an override directory feeds. */
async function kollaRenderedDirFor(abs: string): Promise<string | undefined> {
  const parts = abs.split(path.sep);
  const at = parts.lastIndexOf('horizon');
  if (at < 2 || parts[at - 1] !== 'config' || parts.length - at > 2) return undefined;
  const rendered = path.join(parts.slice(0, at - 1).join(path.sep) || path.sep, 'horizon');
  return (await isFile(path.join(rendered, 'config.json'))) ? rendered : undefined;
}

/** Registers `dir` as a snippet set when it is one (and, if given, holds the file `member`). */
async function registerSnippetSet(state: State, dir: Found, member?: string): Promise<boolean> {
  let dirents;
  try {
    dirents = await fs.readdir(dir.abs, { withFileTypes: true });
  } catch {
    return false;
  }
  // Its regular files are among these: when their names cannot make a snippet set, none is probed.
  const candidates = dirents.filter((d) => d.isFile() || d.isSymbolicLink());
  if (
    !maySnippetSet(
      dir.abs,
      candidates.map((d) => d.name),
    )
  )
    return false;
  const entries: Entry[] = [];
  for (const d of candidates) {
    const abs = path.join(dir.abs, d.name);
    const probe = await probePath(abs);
    if (probe?.type === 'file')
      entries.push({
        name: d.name,
        type: 'file',
        display: path.join(dir.display, d.name),
        abs,
        real: probe.real,
      });
  }
  const set = await snippetSetOf(dir, entries);
  const members = [...(set?.files ?? []), ...(set?.local ? [set.local] : [])];
  if (set === undefined || (member !== undefined && !members.some((f) => f.real === member))) return false;
  register(state, { kind: 'snippet-set', dir, files: set.files, local: set.local });
  return true;
}
