/**
 * The fast path's node type ids (core/python/fast-parse-ids.ts) are taken without parsing when the installed
 * @lezer/python is the grammar they were read from: they must be exactly what reading them from lezer's tree
 * of the sample gives, and the installed grammar must be that one (else every fresh process pays the parse).
 */
import assert from 'node:assert/strict';
import { parser } from '@lezer/python';
import {
  calibrate,
  fastIds,
  grammarFingerprint,
  PINNED_FINGERPRINT,
  pinnedIds,
} from '../../server/src/core/python/fast-parse-ids';

describe('fast path node ids', () => {
  it('are pinned for the installed @lezer/python (update PINNED and its fingerprint after an upgrade)', () => {
    assert.equal(grammarFingerprint(), PINNED_FINGERPRINT);
  });

  it('pinned equal those read from lezer’s tree of the sample, node type by node type', () => {
    assert.deepEqual(pinnedIds(), calibrate());
    assert.deepEqual(fastIds(), calibrate());
  });

  it('name node types of that name (a few share one: the second `=`, the `:` of a body, …)', () => {
    const ids = pinnedIds() as unknown as Record<string, unknown>;
    const alias: Record<string, string> = {
      ArgAssignOp: 'AssignOp',
      TestExpression: 'BinaryExpression',
      bodyColon: ':',
      exceptAs: 'as',
    };
    let checked = 0;
    for (const [key, id] of Object.entries(ids)) {
      if (typeof id !== 'number') continue;
      assert.equal(parser.nodeSet.types[id]?.name, alias[key] ?? key, key);
      checked++;
    }
    assert.ok(checked > 60, `${checked} ids`);
    assert.notEqual(ids['ArgAssignOp'], ids['AssignOp']);
  });
});
