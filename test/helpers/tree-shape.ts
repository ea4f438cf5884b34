/**
 * Comparing two lezer trees node for node: every named node in cursor order (type id, from, to). Anonymous
 * nodes (lezer's repeat and balancing wrappers) are how a tree is stored, not what it says, and are skipped,
 * as every consumer's cursor skips them.
 */
import assert from 'node:assert/strict';
import type { Tree } from '@lezer/common';
import { parser } from '@lezer/python';

/** The named nodes of `tree` in cursor order: type id, from, to, flattened. */
export function treeNodes(tree: Tree): number[] {
  const out: number[] = [];
  tree.iterate({ enter: (n) => void out.push(n.type.id, n.from, n.to) });
  return out;
}

/** Asserts `actual` has the nodes of `expected`, naming the first that differs and the text around it. */
export function assertSameTree(actual: Tree, expected: Tree, text: string): void {
  assert.equal(actual.length, expected.length, 'tree length');
  const a = treeNodes(actual);
  const b = treeNodes(expected);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return;
  const k = i - (i % 3);
  const describe = (nodes: number[]): string =>
    k < nodes.length
      ? `${parser.nodeSet.types[nodes[k] as number]?.name ?? '?'}@${nodes[k + 1]}-${nodes[k + 2]}`
      : 'nothing';
  const at = b[k + 1] ?? a[k + 1] ?? 0;
  assert.fail(
    `node ${k / 3} differs: ${describe(a)} instead of ${describe(b)}, near ${JSON.stringify(
      text.slice(Math.max(0, at - 30), at + 30),
    )} in ${JSON.stringify(text.length > 2000 ? text.slice(0, 2000) + '…' : text)}`,
  );
}
