/**
 * Where and how one types in the 10k-line benchmark file (`generateSettings(10_000)`), for the keystroke →
 * diagnostics rows of `npm run bench -- lsp-typing`: each scenario is rounds of keystrokes as an editor sends them
 * (one incremental change each, no auto-closing), and every round leaves the text as it found it, so the next
 * round (at another section where it can) types into the same file again.
 */
import type { Position, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

/** One keystroke: the changes of one didChange. */
type Keystroke = TextDocumentContentChangeEvent[];

interface TypingScenario {
  /** Short name (BENCH_TYPING=name,… runs some). */
  readonly name: string;
  /** What the row says is typed. */
  readonly what: string;
  /** The keystrokes of round `round`, from the text at its start; they restore that text. */
  readonly round: (lines: readonly string[], round: number) => Keystroke[];
}

/** The cursor after typing `s` at `at`. */
function after(at: Position, s: string): Position {
  let { line, character } = at;
  for (const c of s) {
    if (c === '\n') {
      line++;
      character = 0;
    } else character++;
  }
  return { line, character };
}

/** `s` typed at `at`, one character a keystroke. */
function type(at: Position, s: string): Keystroke[] {
  const out: Keystroke[] = [];
  let cursor = at;
  for (const c of s) {
    out.push([{ range: { start: cursor, end: cursor }, text: c }]);
    cursor = after(cursor, c);
  }
  return out;
}

/** `s`, which starts at `at`, erased with backspace from its end, one character a keystroke. */
function erase(at: Position, s: string): Keystroke[] {
  const cursors = [at];
  for (const c of s) cursors.push(after(cursors[cursors.length - 1] ?? at, c));
  const out: Keystroke[] = [];
  for (let i = s.length - 1; i >= 0; i--) {
    const start = cursors[i] ?? at;
    const end = cursors[i + 1] ?? at;
    out.push([{ range: { start, end }, text: '' }]);
  }
  return out;
}

/** `s` typed at `at` and erased again. */
function typeAndErase(at: Position, s: string): Keystroke[] {
  return [...type(at, s), ...erase(at, s)];
}

/** The index of the first line matching `re` at or after `from`, or throws (the generator changed). */
function lineOf(lines: readonly string[], re: RegExp, from = 0): number {
  for (let i = from; i < lines.length; i++) if (re.test(lines[i] ?? '')) return i;
  throw new Error(`bench: no line matches ${String(re)} after line ${from + 1}`);
}

/** The line of `FEATURE_<n>_<what>` in the section `round` sections after the middle of the file. */
function middleSection(lines: readonly string[], round: number, re: (n: number) => RegExp): number {
  const first = /^FEATURE_(\d+)_ENABLED = /.exec(
    lines[lineOf(lines, /^FEATURE_\d+_ENABLED = /, lines.length >> 1)] ?? '',
  );
  return lineOf(lines, re(Number(first?.[1]) + round));
}

const end = (lines: readonly string[], line: number): Position => ({
  line,
  character: (lines[line] ?? '').length,
});

export const TYPING_SCENARIOS: readonly TypingScenario[] = [
  {
    name: 'top',
    what: 'line 3 `DEBUG = False` → True → False (read by every `if DEBUG:`)',
    round: (lines) => {
      const line = lineOf(lines, /^DEBUG = False$/);
      const at = { line, character: 'DEBUG = '.length };
      return [...erase(at, 'False'), ...type(at, 'True'), ...erase(at, 'True'), ...type(at, 'False')];
    },
  },
  {
    name: 'dict',
    what: "inside a multi-line dict value in the middle ('name': 'feature-n-beta')",
    round: (lines, round) => {
      const line = middleSection(lines, round, (n) => new RegExp(`^    'name': 'feature-${n}',$`));
      return typeAndErase({ line, character: (lines[line] ?? '').length - 2 }, '-beta');
    },
  },
  {
    name: 'end',
    what: 'a new last line `SESSION_COOKIE_AGE = 3600` typed and erased',
    round: (lines) => typeAndErase({ line: lines.length - 1, character: 0 }, 'SESSION_COOKIE_AGE = 3600'),
  },
  {
    name: 'import',
    what: 'in line 2 `import os` → `import os, sys` and back',
    round: (lines) => typeAndErase(end(lines, lineOf(lines, /^import os$/)), ', sys'),
  },
  {
    name: 'enter',
    what: 'Enter twice and `NEW_SETTING = 1` after a line in the middle, then erased',
    round: (lines, round) =>
      typeAndErase(
        end(
          lines,
          middleSection(lines, round, (n) => new RegExp(`^FEATURE_${n}_NAME = `)),
        ),
        '\n\nNEW_SETTING = 1',
      ),
  },
  {
    name: 'delete-line',
    what: 'a line deleted and restored in the middle (an assignment, then a dict entry)',
    round: (lines, round) => {
      const hosts = middleSection(lines, round, (n) => new RegExp(`^FEATURE_${n}_HOSTS = `));
      const retries = lineOf(lines, /^ {4}'retries': \d+,$/, hosts);
      return [hosts, retries].flatMap((line): Keystroke[] => {
        const start = { line, character: 0 };
        return [
          [{ range: { start, end: { line: line + 1, character: 0 } }, text: '' }],
          [{ range: { start, end: start }, text: `${lines[line] ?? ''}\n` }],
        ];
      });
    },
  },
  {
    name: 'paste',
    what: 'a 20-line block (a copied section) pasted in the middle, then undone',
    round: (lines, round) => {
      const title = middleSection(lines, round, (n) => new RegExp(`^# ----- Section ${n}: `));
      const block = lines.slice(title, title + 20).join('\n') + '\n';
      const start = { line: title, character: 0 };
      return [
        [{ range: { start, end: start }, text: block }],
        [{ range: { start, end: { line: title + 20, character: 0 } }, text: '' }],
      ];
    },
  },
  {
    name: 'unclosed',
    what: "a new line `EXTRA_HOSTS = ['a', 'b']` typed in the middle (bracket and quotes open for a few keystrokes), then erased",
    round: (lines, round) =>
      typeAndErase(
        end(
          lines,
          middleSection(lines, round, (n) => new RegExp(`^FEATURE_${n}_NAME = `)),
        ),
        "\nEXTRA_HOSTS = ['a', 'b']",
      ),
  },
];
