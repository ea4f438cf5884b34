/** Turning fixed texts into file changes: keep the file's line endings, show unified diffs, write atomically through symbolic links; writes only what changed. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

/**
 * Fix edits insert `\n` line breaks; a file that uses one other style throughout (`\r\n`, or `\r`) gets its
 * own style in the inserted lines too. Mixed files are left as the edits made them: there is no one style.
 */
export function preserveLineEndings(original: string, fixed: string): string {
  const crlf = (original.match(/\r\n/g) ?? []).length;
  const lf = (original.match(/(?<!\r)\n/g) ?? []).length;
  const cr = (original.match(/\r(?!\n)/g) ?? []).length;
  if (crlf > 0 && lf === 0 && cr === 0) return fixed.replace(/(?<!\r)\n/g, '\r\n');
  if (cr > 0 && lf === 0 && crlf === 0) return fixed.replace(/\r?\n/g, '\r');
  return fixed;
}

/**
 * A unified diff of one file, `--- path` / `+++ path` headers (apply with `patch -p0`). It shows the user's
 * own file, secrets included: masking would make the diff wrong, and nothing leaves the user's terminal
 * that is not already in the file (the secret masker covers messages, hovers, JSON and SARIF: ARCHITECTURE.md, "Secrets stay secret").
 */
export function unifiedDiff(display: string, before: string, after: string): string {
  const p = display.split(path.sep).join('/');
  return createTwoFilesPatch(p, p, before, after, undefined, undefined, { headerOptions: FILE_HEADERS_ONLY });
}

/** What `--fix` needs to know about a file and about the user to decide how to write it. */
export interface WriteFacts {
  readonly isFile: boolean;
  readonly nlink: number;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  /** access(W_OK) on the file itself (the directory being writable is not enough: rename would bypass it). */
  readonly writable: boolean;
  /** The user's uid (undefined where there are none, on Windows). */
  readonly userUid: number | undefined;
}

/**
 * Whether a fix may replace the file, or why not. A replacement through a temporary file and rename keeps
 * owner, group and mode only when the user may give the new file the old owner (root, or the user's own
 * file); and it would silently split a hard-linked file (the other names keep the old text). A file the
 * user may not write is never replaced, even where the directory would let a rename do it.
 */
export function writeDecision(f: WriteFacts): { ok: true } | { ok: false; reason: string } {
  const mode = (f.mode & 0o7777).toString(8).padStart(4, '0');
  if (!f.isFile) return { ok: false, reason: 'not a regular file, left unchanged' };
  if (!f.writable)
    return { ok: false, reason: `not writable by you (owner uid ${f.uid}, mode ${mode}), left unchanged` };
  if (f.nlink > 1)
    return {
      ok: false,
      reason: `has ${f.nlink} hard links: replacing it would leave the old text under the other names; left unchanged (apply the --diff output in place)`,
    };
  if (f.userUid !== undefined && f.userUid !== 0 && f.userUid !== f.uid)
    return {
      ok: false,
      reason: `owned by uid ${f.uid}: a rewritten file would belong to you (uid ${f.userUid}); left unchanged`,
    };
  return { ok: true };
}

function factsOf(real: string): WriteFacts {
  const st = fs.statSync(real);
  let writable = true;
  try {
    fs.accessSync(real, fs.constants.W_OK);
  } catch {
    writable = false;
  }
  return {
    isFile: st.isFile(),
    nlink: st.nlink,
    uid: st.uid,
    gid: st.gid,
    mode: st.mode,
    writable,
    userUid: typeof process.getuid === 'function' ? process.getuid() : undefined,
  };
}

/** Why a file cannot be rewritten safely, or undefined: it must still hold exactly what was analysed. */
export function writeProblem(abs: string, analysedText: string): string | undefined {
  let bytes: Buffer;
  let real: string;
  try {
    real = fs.realpathSync(abs);
    const decision = writeDecision(factsOf(real));
    if (!decision.ok) return decision.reason;
    bytes = fs.readFileSync(real);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const text = bytes.toString('utf8');
  // A file that is not UTF-8 was read with replacement characters; writing them back would corrupt it.
  if (!Buffer.from(text, 'utf8').equals(bytes)) return 'not valid UTF-8, left unchanged';
  if (text !== analysedText) return 'changed on disk while it was checked, left unchanged';
  return undefined;
}

/**
 * Replaces the file's content the way careful editors do: written to a temporary file in the real file's
 * directory (following symbolic links, so Debian's link into /etc/openstack-dashboard stays a link), given
 * the file's mode, owner and group, flushed to disk (fsync), renamed over it, and the directory flushed, so
 * neither a reader nor a crash ever sees half a settings file. Refuses (throws) what writeDecision refuses.
 */
export function writeAtomically(abs: string, text: string): void {
  const real = fs.realpathSync(abs);
  const facts = factsOf(real);
  const decision = writeDecision(facts);
  if (!decision.ok) throw new Error(decision.reason);
  const dir = path.dirname(real);
  const tmp = path.join(
    dir,
    `.${path.basename(real)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`,
  );
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o600);
    fs.writeFileSync(fd, text, { encoding: 'utf8' });
    // Created private, then given the original mode (the umask would filter it) that the web server needs.
    fs.fchmodSync(fd, facts.mode & 0o7777);
    if (facts.userUid === 0 || facts.userUid === undefined) {
      // Keeps e.g. root:horizon 0640 on /etc/openstack-dashboard/local_settings.py when run as root.
      fs.fchownSync(fd, facts.uid, facts.gid);
    } else if (facts.gid !== fs.fstatSync(fd).gid) {
      try {
        fs.fchownSync(fd, facts.uid, facts.gid); // the user's own file in another of their groups
      } catch {
        throw new Error(`cannot give the rewritten file group ${facts.gid}; left unchanged`);
      }
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, real);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    try {
      fs.unlinkSync(tmp);
    } catch {
      // The temporary file was never created, or is already renamed.
    }
    throw e;
  }
  try {
    const dirFd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dirFd); // the rename itself survives a crash
    } finally {
      fs.closeSync(dirFd);
    }
  } catch {
    // Directories cannot be opened for fsync on every platform; the data is already on disk.
  }
}
