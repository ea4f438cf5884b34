/** Display paths for output (relative to the working directory when under it, else as given) and SARIF URIs; pure, no file access. */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** True when `abs` is `dir` or inside it. */
export function isInside(abs: string, dir: string): boolean {
  const rel = path.relative(dir, abs);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * How a path is shown: relative to `cwd` when it lies under it (an absolute argument under the working
 * directory reads better relative), otherwise exactly as discovery produced it (`../x`, `/etc/…`).
 */
export function displayPath(p: string, cwd: string): string {
  if (!path.isAbsolute(p)) return path.normalize(p);
  return isInside(p, cwd) ? path.relative(cwd, p) || '.' : p;
}

/** Forward-slash form of a relative path, each segment percent-encoded, for a URI reference. */
export function relativeUri(rel: string): string {
  return rel.split(path.sep).map(encodeURIComponent).join('/');
}

/** A file URI for a directory, with the trailing slash SARIF requires of a uriBaseId. */
export function directoryUri(abs: string): string {
  const href = pathToFileURL(abs).href;
  return href.endsWith('/') ? href : `${href}/`;
}
