/** Graph checks of a network spec: unknown inputs (dangling), duplicate names, cycles, topological order. */
import { didYouMean } from '../core/math.ts';
import type { Reader } from './reader.ts';
import type { PNode } from './yaml-source.ts';

export interface RawLayer {
  readonly name: string;
  readonly node: PNode;
  /** Input names with the node of each (for positions). */
  readonly inputs: readonly { readonly name: string; readonly node: PNode }[];
}

/**
 * Resolve input names to declaration indices (-1 = the network input) and return a topological order of the
 * declared layers (stable: declaration order among ready layers), or undefined after reporting problems.
 */
export function resolveGraph(r: Reader, layers: readonly RawLayer[], inputName: string): { order: number[]; inputs: number[][] } | undefined {
  const byName = new Map<string, number>();
  let bad = false;
  layers.forEach((l, i) => {
    if (l.name === inputName) {
      r.error(l.node, 'SL-NET-DUPLICATE', `layer '${l.name}' has the name of the network input`, 'rename the layer or the input');
      bad = true;
    } else if (byName.has(l.name)) {
      r.error(l.node, 'SL-NET-DUPLICATE', `two layers are named '${l.name}'`, 'give every layer a unique name');
      bad = true;
    } else byName.set(l.name, i);
  });
  const names = [inputName, ...byName.keys()];
  const inputs: number[][] = layers.map((l) =>
    l.inputs.map((inp) => {
      if (inp.name === inputName) return -1;
      const j = byName.get(inp.name);
      if (j === undefined) {
        const g = didYouMean(inp.name, names);
        r.error(inp.node, 'SL-NET-DANGLING', `layer '${l.name}' reads '${inp.name}', which is neither a layer nor the network input '${inputName}'`,
          g ? `did you mean '${g}'?` : `inputs must name a layer of this network or '${inputName}'`);
        bad = true;
        return -2;
      }
      return j;
    }),
  );
  if (bad) return undefined;
  // Kahn's algorithm, always taking the earliest-declared ready layer.
  const indeg = layers.map((_, i) => new Set(inputs[i].filter((j) => j >= 0)).size);
  const consumers: number[][] = layers.map(() => []);
  inputs.forEach((ins, i) => new Set(ins.filter((j) => j >= 0)).forEach((j) => consumers[j].push(i)));
  const done = new Array<boolean>(layers.length).fill(false);
  const order: number[] = [];
  for (;;) {
    const next = indeg.findIndex((d, i) => d === 0 && !done[i]);
    if (next < 0) break;
    done[next] = true;
    order.push(next);
    for (const c of consumers[next]) indeg[c]--;
  }
  if (order.length < layers.length) {
    const cyc = findCycle(inputs, done);
    const first = cyc[0];
    const edge = layers[first].inputs[inputs[first].indexOf(cyc[1])];
    r.error(edge?.node ?? layers[first].node, 'SL-NET-CYCLE',
      `the layers form a cycle: ${cyc.map((i) => layers[i].name).join(' -> ')} (each reads the one after it)`,
      'a network is a directed acyclic graph: remove one of these inputs');
    return undefined;
  }
  return { order, inputs };
}

/** One cycle among the layers not yet ordered, as [a, b, ..., a] where each layer reads the next. */
function findCycle(inputs: readonly number[][], done: readonly boolean[]): number[] {
  const start = done.findIndex((d) => !d);
  const seen = new Map<number, number>();
  const path: number[] = [];
  let v = start;
  while (!seen.has(v)) {
    seen.set(v, path.length);
    path.push(v);
    v = inputs[v].find((j) => j >= 0 && !done[j])!;
  }
  const cyc = path.slice(seen.get(v)!);
  return [...cyc, cyc[0]];
}
