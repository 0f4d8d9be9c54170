/**
 * `sata16`: SATA's 16-bit energy constants (ttsnn.md, "Training phases"), in pJ per operation or per 16-bit
 * access. The composed training actions are what the training phases count; an arch spec may define the same
 * action names in its compute energy (they take precedence), see arch-specs/ttsnn-accelerator.yaml.
 */

export interface NamedEnergyTable {
  readonly name: string;
  readonly source: string;
  /** pJ per action. */
  readonly actions: Readonly<Record<string, number>>;
}

/** Primitive 16-bit operations of the SATA table. */
export const SATA16_PRIMITIVES = {
  multiplier: 0.239,
  accumulator: 0.0389,
  adder: 0.00967,
  and: 0.000794,
  comparator: 0.00309,
  register: 0.0301,
} as const;

/** Memory energies per 16-bit access of the SATA table (pJ). */
export const SATA16_MEMORY = { dram: 55.58, globalBuffer: 1.95, scratchpad: 0.2779 } as const;

/**
 * Training actions and their energies. `ac`, `weight_gradient` (a spike gates an accumulate): the composed forward
 * synaptic / weight-gradient op 0.0397; `mac`, `bwd_mac`, `wgrad_mac` (real operands): multiplier +
 * accumulator = 0.2779, SATA's backward MAC; `neuron_update` 0.1126; `post_grad` (the gradient through the
 * neuron, SATA's "post-gradient op", which the table does not compose): charged as a neuron update, 0.1126;
 * `add` (PTT's average): one adder, 0.00967.
 */
export const SATA16: NamedEnergyTable = {
  name: 'sata16',
  source: 'SATA 16-bit constants (TT-SNN, Lee et al., DATE 2024; SATA simulator), ../shared/reference/ttsnn.md',
  actions: {
    ac: 0.0397,
    mac: 0.2779,
    neuron_update: 0.1126,
    bwd_mac: 0.2779,
    post_grad: 0.1126,
    weight_gradient: 0.0397,
    wgrad_mac: 0.2779,
    add: 0.00967,
  },
};
