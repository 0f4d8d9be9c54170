// The global buffer of the schedule simulation: farthest-next-use eviction, pins, sticky items, capacity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BEYOND, GlobalBuffer } from '../../src/schedule/buffer.ts';

describe('GlobalBuffer', () => {
  it('evicts the item used farthest in the future, writes back only dirty victims', () => {
    const wb: number[] = [];
    const b = new GlobalBuffer(100, 8, 1, (k) => wb.push(k));
    b.beginOp(0);
    b.insert(0, 40, true, 0);
    b.insert(1, 40, false, 0);
    b.setPrio(0, 5); // next used by op 5
    b.setPrio(1, 2); // next used by op 2
    b.beginOp(1);
    expect(b.insert(2, 40, true, 0)).toBe(true); // 40 + 40 + 40 > 100: item 0 (op 5) goes, dirty -> written back
    expect(wb).toEqual([0]);
    expect(b.resident[0]).toBe(0);
    b.setPrio(2, BEYOND * 2 + 2); // clean-looking priority of an item of a later block: evicted before op 2's item
    b.beginOp(2);
    expect(b.insert(3, 40, false, 0)).toBe(true);
    expect(b.resident[2]).toBe(0);
    expect(b.resident[1]).toBe(1);
    expect(wb).toEqual([0, 2]);
  });

  it('never evicts a pinned or sticky item; an insert that cannot fit changes nothing', () => {
    const b = new GlobalBuffer(100, 8, 1, () => undefined);
    b.beginOp(0);
    b.insert(0, 50, true, 0, true); // sticky
    b.beginOp(1);
    b.insert(1, 30, true, 0); // pinned by op 1
    b.setPrio(1, 9);
    expect(b.insert(2, 30, true, 0)).toBe(false);
    expect(b.used).toBe(80);
    expect(b.resident[0] + b.resident[1]).toBe(2);
    b.beginOp(2); // op 1's pin lapses
    expect(b.insert(2, 30, true, 0)).toBe(true);
    expect(b.resident[1]).toBe(0);
    expect(b.resident[0]).toBe(1);
  });

  it('occupancy never exceeds the capacity under any sequence of inserts, uses and drops', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ key: fc.integer({ min: 0, max: 15 }), bits: fc.integer({ min: 1, max: 60 }), prio: fc.integer({ min: 0, max: 50 }), drop: fc.boolean() }), { maxLength: 120 }), (ops) => {
        const b = new GlobalBuffer(128, 16, 2, () => undefined);
        ops.forEach((o, i) => {
          b.beginOp(i);
          if (b.resident[o.key]) {
            if (o.drop) b.drop(o.key);
            else {
              b.pin(o.key);
              b.setPrio(o.key, o.prio);
            }
          } else if (b.insert(o.key, o.bits, o.prio % 2 === 0, o.prio % 2)) b.setPrio(o.key, o.prio);
          expect(b.used).toBeLessThanOrEqual(128);
          let sum = 0;
          for (let k = 0; k < 16; k++) if (b.resident[k]) sum += b.bits[k];
          expect(sum).toBeCloseTo(b.used, 9);
          expect(b.usedByTag[0] + b.usedByTag[1]).toBeCloseTo(b.used, 9);
        });
      }),
      { numRuns: 200 },
    );
  });
});
