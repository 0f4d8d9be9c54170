// Loop-order classes (mapspace/orders.ts) are sound: every order costs exactly what the representative of its
// class costs, on random mappings of tiny and shipped layers (plain, SNN psum and membrane, sliding windows,
// fan-outs with link transfers). The collapse is checked too: far fewer classes than permutations.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '../../src/core/rng.ts';
import { modelEvaluator } from '../../src/cli/search-evaluator.ts';
import { catalogueOf } from '../../src/search/mapspace/catalogue.ts';
import { imposePrecedence, orderKey, orderRepresentatives, respectsPrecedence, summarise, observerClasses } from '../../src/search/mapspace/orders.ts';
import { clonePoint, toMapping, type Point } from '../../src/search/mapspace/point.ts';
import { randomPoint } from '../../src/search/mapspace/sample.ts';
import { buildMapSpace, type MapSpace } from '../../src/search/mapspace/space.ts';
import type { Arch } from '../../src/arch/types.ts';
import type { Workload } from '../../src/workload/types.ts';
import { conv } from '../helpers/build.ts';
import { meshArch, membraneSnn, microArch, shippedArch, shippedWorkload, SHIPPED, smallSnn, tinyArch, tinyConv, tinySnn } from './fixtures.ts';

/** The point with every level's order replaced by the representative of its class. */
function canonical(space: MapSpace, p: Point): Point {
  const cat = catalogueOf(space);
  const q = clonePoint(p);
  const { dims: D } = space;
  const S = space.slots.length;
  for (let l = 0; l < space.levels; l++) {
    const id = cat.representativeOf(l, p.orders, p.tiling);
    const rep = cat.tableFor(l, p.tiling).reps[id];
    let k = 0;
    for (const d of rep) q.orders[l * D + k++] = d;
    for (let d = 0; d < D; d++) if (p.tiling[d * S + l] <= 1) q.orders[l * D + k++] = d;
  }
  return q;
}

function checkSound(a: Arch, w: Workload, runs: number): number {
  const space = buildMapSpace(a, w);
  const ev = modelEvaluator(a, w);
  let compared = 0;
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const p = randomPoint(space, new Rng(seed));
      if (!p) return;
      const x = ev(toMapping(space, p));
      const status = x.status;
      const xs = x.status === 'ok' ? { ...x.totals, offchip_bytes_by_tensor: Array.from(x.totals.offchip_bytes_by_tensor!) } : undefined;
      const y = ev(toMapping(space, canonical(space, p)));
      expect(y.status).toBe(status);
      if (xs && y.status === 'ok') {
        compared++;
        // exactly the same numbers: the same counts, summed the same way
        expect(y.totals.energy_pJ).toBe(xs.energy_pJ);
        expect(y.totals.cycles).toBe(xs.cycles);
        expect(Array.from(y.totals.offchip_bytes_by_tensor!)).toEqual(xs.offchip_bytes_by_tensor);
      }
    }),
    { numRuns: runs },
  );
  return compared;
}

describe('loop-order classes', () => {
  const tiny = [
    ['snn on tiny', tinyArch, tinySnn],
    ['small snn on tiny', tinyArch, smallSnn],
    ['membrane snn on tiny', tinyArch, membraneSnn],
    ['conv on tiny', tinyArch, tinyConv],
    ['conv on micro', microArch, tinyConv],
    ['strided conv on a 2x2 mesh (link transfers)', meshArch, conv({ K: 2, C: 2, P: 4, Q: 2, R: 3, S: 2 }, 2)],
    ['conv on a 2x2 mesh (link transfers)', meshArch, conv({ K: 2, C: 2, P: 4, Q: 4, R: 3, S: 3 })],
  ] as const;
  for (const [name, a, w] of tiny) {
    it(`every order costs what its class representative costs (${name})`, () => {
      expect(checkSound(a, w, 300)).toBeGreaterThan(30);
    });
  }
  for (const [a, w] of SHIPPED) {
    it(`every order costs what its class representative costs (${w} on ${a})`, () => {
      expect(checkSound(shippedArch(a), shippedWorkload(w), 120)).toBeGreaterThan(5);
    });
  }

  it('collapses: far fewer classes than permutations on the VGG layer, one class for a level nobody observes', () => {
    const a = shippedArch('arch-specs/eyeriss-like.yaml');
    const w = shippedWorkload('workloads/vgg-conv3-snn.yaml');
    const space = buildMapSpace(a, w);
    const dims = [1, 2, 3, 4, 5, 6, 7]; // T K C P Q R S
    const dram = orderRepresentatives(dims, space.observers[0]).length;
    expect(dram).toBeLessThan(5040 / 10);
    // Weights alone: only the set of irrelevant loops below the innermost relevant one matters (2^3 sets + none).
    const weights = observerClasses(w, 0);
    expect(orderRepresentatives(dims, [weights]).length).toBe(8);
    // The register file has no fan-out to the PEs: every compute reads its operands there, whatever the order.
    expect(space.observers[2]).toEqual([]);
    expect(orderRepresentatives(dims, space.observers[2]).length).toBe(1);
  });

  it('summaries: loops down to the innermost anchor act as a set; irrelevant runs are sets; slide loops keep their sequence', () => {
    // Inputs of an SNN conv: N T C anchors, P R / Q S slide, K irrelevant.
    const w = tinySnn;
    const cls = observerClasses(w, 1);
    const [T, K, C, P, R] = [1, 2, 3, 4, 6];
    expect(summarise([T, C, P, K], cls)).toBe(summarise([C, T, P, K], cls));
    expect(summarise([K, T, C, P], cls)).toBe(summarise([T, K, C, P], cls));
    expect(summarise([C, P, R], cls)).not.toBe(summarise([C, R, P], cls));
    expect(summarise([C, K, P], cls)).not.toBe(summarise([C, P, K], cls));
    expect(orderKey([T, C], [cls])).toBe(orderKey([C, T], [cls]));
  });

  it('precedence: imposed orders respect every pair and keep the other dims in place', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([0, 1, 2, 3, 4, 5], { minLength: 6, maxLength: 6 }), (order) => {
        const o = [...order];
        const pairs = [[1, 3], [1, 4], [1, 5]] as const;
        imposePrecedence(o, pairs);
        expect(respectsPrecedence(o, pairs)).toBe(true);
        for (const d of [0, 2]) expect(o.indexOf(d)).toBe(order.indexOf(d));
        expect([...o].sort()).toEqual([0, 1, 2, 3, 4, 5]);
      }),
    );
  });

  it('membrane accumulation: every T loop outside all reduction loops, built into the space', () => {
    const space = buildMapSpace(tinyArch, membraneSnn);
    const ev = modelEvaluator(tinyArch, membraneSnn);
    const rng = new Rng(3);
    let checked = 0;
    for (let i = 0; i < 300; i++) {
      const p = randomPoint(space, rng);
      if (!p) continue;
      const r = ev(toMapping(space, p));
      checked++;
      if (r.status === 'invalid') expect(r.stage).not.toBe('semantics');
    }
    expect(checked).toBeGreaterThan(200);
  });
});
