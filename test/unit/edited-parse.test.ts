/**
 * The parse of an edited long file (parse.ts editedLongFile) looks for form feeds, template tags and undecodable
 * bytes only in the changed stretch once the previous parse's text is known to hold none: typing that completes
 * one at the stretch's edge is seen as a parse of the whole text sees it.
 */
import assert from 'node:assert/strict';
import type { Tree } from '@lezer/common';
import { ParseCache } from '../../server/src/core/layers/project';
import { parsePython, type ParsedFile } from '../../server/src/core/python/parse';
import { isSuppressedAt } from '../../server/src/core/suppression';

const FILE = '/p/settings.py';
/** Long enough to be parsed in segments (the edited-file path). */
const FILLER = Array.from({ length: 450 }, (_, i) => `SETTING_${i} = {'name': 'value-${i}'}\n`).join('');

function shape(tree: Tree): string[] {
  const out: string[] = [];
  tree.iterate({ enter: (n) => void out.push(`${n.name} ${n.from}-${n.to}`) });
  return out;
}

function assertSame(incremental: ParsedFile, text: string, where: string): void {
  const full = parsePython(FILE, text);
  assert.deepEqual(shape(incremental.tree), shape(full.tree), where);
  assert.deepEqual(incremental.syntaxError, full.syntaxError, where);
  assert.equal(incremental.syntaxErrorReason, full.syntaxErrorReason, where);
  assert.equal(incremental.template, full.template, where);
  assert.equal(incremental.source, full.source, where);
}

/** Types `texts` one after another into a parse cache (the first is opened), checking each parse. */
function typeThrough(texts: readonly string[]): ParsedFile {
  const cache = new ParseCache();
  let parsed = cache.get(FILE, texts[0] as string);
  for (const [k, text] of texts.entries()) {
    if (k === 0) continue;
    parsed = cache.get(FILE, text);
    assertSame(parsed, text, `text ${k}`);
  }
  return parsed;
}

describe('edited long file: what only the changed stretch can bring', () => {
  it('a template tag completed by typing its second character', () => {
    const head = `${FILLER}X = 'a{`;
    const tail = ` x }}'\n${FILLER}`;
    const last = typeThrough([`${head}${tail}`, `${head}b${tail}`, `${head}{${tail}`]);
    assert.equal(last.template, true);
  });

  it('a byte that is not UTF-8 once the high surrogate before it is deleted', () => {
    const head = `${FILLER}X = 'a`;
    const tail = `\uDC80'\n${FILLER}`;
    const last = typeThrough([`${head}b\uD83D${tail}`, `${head}\uD83D${tail}`, `${head}${tail}`]);
    assert.match(last.syntaxErrorReason ?? '', /byte 0x80/);
  });

  it('a form feed typed in', () => {
    const head = `${FILLER}X = 1`;
    const tail = `\n${FILLER}`;
    typeThrough([`${head}${tail}`, `${head} ${tail}`, `${head} \f${tail}`]);
  });

  it('a file-level suppression completed by its last character', () => {
    const head = `${FILLER}# session-lint: ignore-fil`;
    const tail = `\n${FILLER}`;
    const texts = [`${head}${tail}`, `${head}x${tail}`, `${head}${tail}`, `${head}e${tail}`];
    const cache = new ParseCache();
    for (const text of texts) {
      const parsed = cache.get(FILE, text);
      const span = { file: FILE, from: 0, to: 0 };
      assert.equal(isSuppressedAt(text, parsed.lines, span, 'DSL104'), text.includes('ignore-file\n'));
    }
  });
});
