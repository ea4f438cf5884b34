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
 * that is not already in the file (rules.md principle 6 covers messages, hovers, JSON and SARIF).
 */
export function unifiedDiff(display: string, before: string, after: string): string {
  const p = display.split(path.sep).join('/');
  return createTwoFilesPatch(p, p, before, after, undefined, undefined, { headerOptions: FILE_HEADERS_ONLY });
}

/** Why a file cannot be rewritten safely, or undefined: it must still hold exactly what was analysed. */
export function writeProblem(abs: string, analysedText: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(abs);
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
 * Replaces the file's content: written to a temporary file in the real file's directory (following
 * symbolic links, so Debian's link into /etc/openstack-dashboard stays a link), with its mode and, when
 * allowed, its owner and group, then renamed over it, so a reader never sees half a settings file.
 */
export function writeAtomically(abs: string, text: string): void {
  const real = fs.realpathSync(abs);
  const st = fs.statSync(real);
  const dir = path.dirname(real);
  const tmp = path.join(
    dir,
    `.${path.basename(real)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`,
  );
  try {
    fs.writeFileSync(tmp, text, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
    // Created private, then given the original mode (the umask would filter it) that the web server needs.
    fs.chmodSync(tmp, st.mode & 0o7777);
    try {
      // Keeps e.g. root:horizon 0640 on /etc/openstack-dashboard/local_settings.py when run as root.
      fs.chownSync(tmp, st.uid, st.gid);
    } catch {
      // Not permitted for an ordinary user: the file then belongs to them, as with any editor.
    }
    fs.renameSync(tmp, real);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // The temporary file was never created.
    }
    throw e;
  }
}
