// The closed-form analysis must give exactly the numbers of the step-by-step Timeloop walk on random nests
// (halos with strides, multicast, spatial reduction, link transfers, bypass).
import { describe, expect, it } from 'vitest';
import { compareEngines } from '../helpers-equiv.ts';

describe('closed-form analysis = recursive Timeloop walk', () => {
  it('agrees on 300 random nests', () => {
    expect(compareEngines(300, 7)).toBe(0);
  });
});
