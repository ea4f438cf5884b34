/** Hand parsers for PEP 508 requirement strings, pip requirements/constraints files and setup.cfg; never throw, never follow `-r`/`-c` includes. */

/** A PEP 508 requirement reduced to what version inference needs. */
export interface Requirement {
  /** PEP 503 normalised name: `Django_Redis` → `django-redis`. */
  readonly name: string;
  /** The version specifier part, without extras, markers or parentheses handling (`>=4.2,<4.3`). */
  readonly specifier: string;
  /** The requirement as written (trimmed, whitespace runs collapsed), for messages. */
  readonly text: string;
}

/** PEP 503: names compare case-insensitively with runs of `-`, `_`, `.` equal. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Collapses whitespace so a requirement joined from continuation lines reads as one line. */
export function displayText(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

// Name (letters/digits with inner `-_.`), optional `[extras]`, then the rest up to a `;` marker.
const REQUIREMENT = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*([^;]*)(?:;[\s\S]*)?$/;

/**
 * Parses one PEP 508 requirement string. Undefined for anything that is not one, and for direct
 * references (`Django @ https://…`): a URL does not say which version it is.
 */
export function parseRequirement(text: string): Requirement | undefined {
  const m = REQUIREMENT.exec(text);
  if (!m) return undefined;
  const specifier = (m[2] ?? '').trim();
  if (specifier.startsWith('@')) return undefined;
  return { name: normalizeName(m[1] ?? ''), specifier, text: displayText(text) };
}

// pip's COMMENT_RE: `#` at the start or after whitespace starts a comment; `pkg#frag` is not one.
const COMMENT = /(^|\s)#.*$/;

/**
 * The requirement strings of a pip requirements or constraints file, in order, as pip preprocesses
 * them: backslash continuations joined, comments removed, option lines (`-r`, `-c`, `-e`, `--index-url`)
 * skipped, and per-requirement options (`--hash=…`) cut off. Includes are not followed: callers hand
 * in every candidate file anyway, and following them would need file access.
 */
export function requirementsFileEntries(text: string): string[] {
  const out: string[] = [];
  for (const logical of joinContinuations(text.split(/\r\n|\r|\n/))) {
    const line = logical.replace(COMMENT, '').trim();
    if (line === '') continue;
    // pip's break_args_options: the requirement ends at the first token that starts with `-`.
    const option = /(^|\s)-/.exec(line);
    const requirement = option ? line.slice(0, option.index) : line;
    if (requirement.trim() !== '') out.push(displayText(requirement));
  }
  return out;
}

/** pip's join_lines: a line ending in `\` continues on the next, unless it is a comment line. */
function joinContinuations(lines: readonly string[]): string[] {
  const out: string[] = [];
  let pending: string[] | undefined;
  for (const raw of lines) {
    const isComment = /^\s*#/.test(raw);
    if (!raw.endsWith('\\') || isComment) {
      // A comment inside a continuation ends it; the leading space keeps pip's COMMENT_RE matching.
      const line = isComment ? ' ' + raw : raw;
      if (pending) {
        pending.push(line);
        out.push(pending.join(''));
        pending = undefined;
      } else {
        out.push(line);
      }
    } else {
      (pending ??= []).push(stripBackslashes(raw));
    }
  }
  if (pending) out.push(pending.join(''));
  return out;
}

/** Python's `str.strip("\\")`, by hand: the regex form backtracks quadratically on long backslash runs. */
function stripBackslashes(line: string): string {
  let start = 0;
  let end = line.length;
  while (start < end && line[start] === '\\') start++;
  while (end > start && line[end - 1] === '\\') end--;
  return line.slice(start, end);
}

/**
 * The requirement strings of a setup.cfg: `[options] install_requires` and every key of
 * `[options.extras_require]`, read with configparser's rules (indented lines continue a value,
 * full-line `#`/`;` comments are skipped). A one-line value is one requirement: setuptools' old
 * `;`-separated form would otherwise eat PEP 508 markers.
 */
export function setupCfgRequirements(text: string): string[] {
  const out: string[] = [];
  let section = '';
  let collecting = false;
  const add = (value: string): void => {
    const requirement = value.replace(COMMENT, '').trim();
    if (requirement !== '') out.push(displayText(requirement));
  };
  for (const line of text.split(/\r\n|\r|\n/)) {
    const stripped = line.trim();
    if (stripped.startsWith('#') || stripped.startsWith(';')) continue;
    if (/^\s/.test(line) && stripped !== '') {
      if (collecting) add(stripped);
      continue;
    }
    if (stripped === '') continue;
    const header = /^\[([^\]]*)\]/.exec(stripped);
    if (header) {
      section = (header[1] ?? '').trim();
      collecting = false;
      continue;
    }
    // configparser splits at the first `=` or `:` and lower-cases the key; setuptools still accepts
    // the dashed spelling (`install-requires`) with a deprecation warning.
    const delimiter = /[=:]/.exec(line);
    if (!delimiter) {
      collecting = false;
      continue;
    }
    const key = line.slice(0, delimiter.index).trim().toLowerCase().replace(/-/g, '_');
    collecting =
      (section === 'options' && key === 'install_requires') || section === 'options.extras_require';
    if (collecting) add(line.slice(delimiter.index + 1));
  }
  return out;
}
