/**
 * Shifter (evaluate/replay.ts): the position map of an edit, and maps composed over several edits (`after`), which
 * a binding or a record replayed through several keystrokes is moved by in one go. A composed map must move every
 * position that survived the edits (not inside text one of them deleted) where the edits one after another do.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Shifter } from '../../server/src/core/evaluate/replay';

/** One edit of a text: `del` characters removed before `at`, or `ins` inserted at it. */
interface Edit {
  readonly at: number;
  readonly del: number;
  readonly ins: number;
}

const editArb = fc.record({ at: fc.nat({ max: 60 }), del: fc.nat({ max: 12 }), ins: fc.nat({ max: 12 }) });

/** The edit's map (as `replayPlan` makes it: positions from the end of the removed text move). */
const shifterOf = (e: Edit): Shifter => Shifter.edit('f', e.at + e.del, e.ins - e.del);

/** Whether position `p` of the text before `e` survives it (is not inside the removed text). */
const survives = (e: Edit, p: number): boolean => p < e.at || p >= e.at + e.del;

describe('Shifter: composed maps', () => {
  it('move every surviving position where the edits one after another move it', () => {
    fc.assert(
      fc.property(fc.array(editArb, { minLength: 2, maxLength: 6 }), (edits) => {
        const maps = edits.map(shifterOf);
        let composed: Shifter | undefined = maps[0];
        for (let k = 1; k < maps.length && composed; k++) composed = (maps[k] as Shifter).after(composed);
        if (!composed) return; // more steps than a composed map keeps: the binding is made instead
        for (let p = 0; p < 140; p++) {
          let q = p;
          let alive = true;
          for (const [k, e] of edits.entries()) {
            if (!survives(e, q)) {
              alive = false;
              break;
            }
            q = (maps[k] as Shifter).pos(q);
          }
          if (alive) assert.equal(composed.pos(p), q, `position ${p} after ${JSON.stringify(edits)}`);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('an edit and its undo compose to one step that moves nothing', () => {
    const typed = Shifter.edit('f', 10, 3);
    const undone = Shifter.edit('f', 13, -3).after(typed);
    assert.ok(undone);
    for (let p = 0; p < 40; p++) assert.equal(undone.pos(p), p);
  });
});
