/**
 * The fast path's node records (core/python/fast-parse-records.ts) become a tree without lezer's `Tree.build`:
 * on generated forests of records (nested nodes, comments-like leaves, lezer subtrees spliced in, statements
 * near and beyond a buffer's length) the tree must be `Tree.build`'s, Tree for Tree and buffer for buffer.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DefaultBufferLength, Tree, TreeBuffer } from '@lezer/common';
import { parser } from '@lezer/python';
import { Records } from '../../server/src/core/python/fast-parse-records';

/** Every field of a tree's storage: types, lengths, positions, buffer contents. */
function storage(node: Tree | TreeBuffer): unknown {
  if (node instanceof TreeBuffer) return { buffer: Array.from(node.buffer), length: node.length };
  return {
    type: node.type.id,
    length: node.length,
    positions: node.positions,
    children: node.children.map((c) => storage(c as Tree | TreeBuffer)),
  };
}

/** A node's records (postfix: children first), from `pos`; its end. */
type Gen = { records: number[]; end: number };

const TYPES = [6, 40, 60, 64, 65, 71, 2, 4, 87];
const SUBTREE = parser.parse('x = 1\n');

const node: fc.Memo<(pos: number) => Gen> = fc.memo((depth) =>
  fc
    .tuple(
      fc.constantFrom(...TYPES),
      fc.nat(3),
      depth > 1 ? fc.array(node(depth - 1), { maxLength: 4 }) : fc.constant([]),
      fc.integer({ min: 1, max: 150 }),
    )
    .map(([type, gap, children, leafLength]) => (pos: number): Gen => {
      const start = pos + gap;
      const records: number[] = [];
      let at = start;
      for (const child of children) {
        const c = child(at);
        records.push(...c.records);
        at = c.end + 1;
      }
      const end = children.length ? at : start + leafLength;
      const size = records.length + 4;
      records.push(type, start, end, size);
      return { records, end };
    }),
);

const forest = fc.array(
  fc.oneof({ weight: 6, arbitrary: node(4) }, { weight: 1, arbitrary: fc.constant(null) }),
  {
    maxLength: 12,
  },
);

describe('fast path node records', () => {
  it('make the tree Tree.build makes of them, buffers and all', () => {
    let built = 0;
    fc.assert(
      fc.property(forest, (parts) => {
        const records = new Records();
        const reused: Tree[] = [];
        let pos = 0;
        for (const part of parts) {
          if (part === null) {
            records.push(reused.length, pos, pos + SUBTREE.length, -1);
            reused.push(SUBTREE);
            pos += SUBTREE.length + 1;
            continue;
          }
          const g = part(pos);
          for (let k = 0; k < g.records.length; k += 4)
            records.push(
              g.records[k] as number,
              g.records[k + 1] as number,
              g.records[k + 2] as number,
              g.records[k + 3] as number,
            );
          pos = g.end + 1;
        }
        const top = parser.nodeSet.types[5];
        assert.ok(top);
        const mine = records.tree(parser.nodeSet, top, pos, reused);
        const lezer = Tree.build({
          buffer: records.cursor(),
          nodeSet: parser.nodeSet,
          topID: 5,
          length: pos,
          reused,
        });
        if (mine === undefined) {
          // Only a top-level node longer than a buffer is left to lezer.
          assert.ok(lezer.children.some((c) => c instanceof Tree && c.length > DefaultBufferLength));
          return;
        }
        built++;
        assert.deepEqual(storage(mine), storage(lezer));
      }),
      { numRuns: 1500 },
    );
    assert.ok(built > 500, `${built} trees`);
  });
});
