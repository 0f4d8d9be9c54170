/** Compute actions of a layer and their energies: `mac`, `ac` (spike inputs), `neuron_update`. */
import type { Arch } from '../arch/types.ts';
import { computeActionNames, relevantDims, totalOperations, type Workload } from '../workload/types.ts';
import type { ComputeActionStats } from './types.ts';

export function computeActions(arch: Arch, w: Workload): { computes: number; actions: Record<string, ComputeActionStats> } {
  const ops = totalOperations(w);
  const actions: Record<string, ComputeActionStats> = {};
  const energyOf = (action: string): number => arch.compute.energy[action] ?? 0;
  if (!w.snn) {
    actions.mac = { count: ops, energy_pJ: ops * energyOf('mac') };
    return { computes: ops, actions };
  }
  const input = w.tensors[w.snn.inputTensor];
  const action = computeActionNames(w)[0];
  const synaptic = w.snn.zeroSkipping ? ops * input.density : ops;
  actions[action] = { count: synaptic, energy_pJ: synaptic * energyOf(action) };
  const out = w.tensors.find((t) => t.role === 'spikes-out');
  let neurons = 0;
  if (out) {
    neurons = 1;
    for (const d of relevantDims(out)) neurons *= w.sizes[d];
  }
  actions.neuron_update = { count: neurons, energy_pJ: neurons * energyOf('neuron_update') };
  return { computes: synaptic, actions };
}
