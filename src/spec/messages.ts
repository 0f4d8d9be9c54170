/**
 * The catalogue of every user-facing diagnostic code (DESIGN.md §1: one message catalogue). Native codes are
 * declared here with their severity and a one-line description; the spec parsers take their codes from
 * `SpecCode` (a typed union, so a misspelt code does not compile). The Timeloop importer keeps its own
 * catalogue (`timeloop/messages.ts`, codes `SL-TL-*`); `ALL_CODES` merges both into one list.
 * Every code has a failing fixture in `test/spec/fixtures/<CODE>/` (see `test/spec/diagnostics.test.ts`).
 */
import type { Diagnostic, Severity, SourcePos } from '../core/diagnostics.ts';
import { TIMELOOP_CODES } from './timeloop/messages.ts';

interface Entry {
  readonly severity: Severity;
  readonly description: string;
}

const e = (description: string): Entry => ({ severity: 'error', description });
const w = (description: string): Entry => ({ severity: 'warning', description });

/** Codes of the native spec parsers (`src/spec/*.ts`). */
export const SPEC_CODES = {
  'SL-YAML-SYNTAX': e('the file is not valid YAML (indentation, a missing colon or quote, a duplicate key)'),
  'SL-YAML-EMPTY': e('the file is empty'),
  'SL-SPEC-KIND': e("a spec file needs exactly one top-level key naming its kind (arch, workload, mapping, network, tt_network, schedule, constraints)"),
  'SL-SPEC-TYPE': e('a value has the wrong type (a list where a mapping is expected, a word where a number is, ...)'),
  'SL-SPEC-UNKNOWN-KEY': e('a key the format does not know (with a did-you-mean when one is close)'),
  'SL-SPEC-MISSING-KEY': e('a required key is missing'),
  'SL-SPEC-EXPR': e('a numeric expression (such as 64 * 1024) does not evaluate to a number'),
  'SL-SPEC-NEGATIVE': e('a size, count or energy is zero or negative where it must be positive (or below its minimum)'),
  'SL-SPEC-NOT-INTEGER': e('a value that must be a whole number (a dimension, a factor, a width) has a fraction'),
  'SL-SPEC-ENUM': e('a name that must be one of a fixed set (level kind, workload type, accumulation) is not'),
  'SL-SPEC-RANGE': e('a value is outside its range (a density above 1, a count above 2^53)'),
  'SL-SPEC-MESH': e("a level's 'instances' differs from meshX x meshY of its 'mesh'"),
  'SL-SPEC-FC': e('an snn-fc layer gives P, Q, R or S other than 1'),
  'SL-SPEC-UNKNOWN-DIM': e("a generic workload's projection names a dimension it does not declare"),
  'SL-SPEC-DUPLICATE': e('two tensors of a generic workload have the same name'),
  'SL-ARCH-OUTER': e('the outermost storage level is not off-chip (kind: dram)'),
  'SL-ARCH-INSTANCES': e('a level (or the compute array) has a number of instances that is not a multiple of the level above'),
  'SL-ARCH-DUPLICATE-LEVEL': e('two storage levels have the same name (mappings refer to levels by name)'),
  'SL-ARCH-BURST': w('burst_bytes is set on an on-chip level (only off-chip memories round transfers to bursts): ignored'),
  'SL-ARCH-ACTION': w('a compute energy names an action the model never counts (a typo of mac, ac, neuron_update, ...?)'),
  'SL-ARCH-UNPRICED': w('the workload needs a compute action (mac, ac, neuron_update, ...) that the arch gives no energy: it costs 0 pJ'),
  'SL-MAP-CONTEXT': e('a mapping was validated without exactly one arch and one workload beside it'),
  'SL-MAP-FOR-MISMATCH': w("the mapping's 'for:' names another arch or workload than the ones it is checked against"),
  'SL-MAP-UNKNOWN-LEVEL': e('a mapping entry names a level the arch does not have'),
  'SL-MAP-LEVEL-ORDER': e('mapping entries are not in arch order (outermost first) or a level appears twice'),
  'SL-MAP-UNKNOWN-DIM': e('a loop names a dimension the workload does not have'),
  'SL-MAP-UNKNOWN-TENSOR': e('keep or bypass names a tensor the workload does not have'),
  'SL-MAP-FANOUT': e("a level's spatial factors along X or Y exceed its physical fan-out"),
  'SL-MAP-FACTOR-PRODUCT': e('the factors of a dimension over all levels do not multiply to its size'),
  'SL-MAP-NO-HOME': e('a tensor is bypassed at every level and has no home'),
  // network specs (network.ts, network-graph.ts); the schedule of a network (network-schedule.ts)
  'SL-NET-ARITY': e('a network layer has the wrong number of inputs (add needs two or more, others exactly one)'),
  'SL-NET-SHAPE': e("a network layer's shape does not match its producer (declared in_channels or output, add of unequal shapes, a window larger than its input)"),
  'SL-NET-STATE': e('a layer that has no membrane potential (add, pool, non-spiking) is declared stateful'),
  'SL-NET-DUPLICATE': e('two network layers (or a layer and the network input) have the same name'),
  'SL-NET-DANGLING': e('a layer reads a name that is neither a layer nor the network input (or a block lists an unknown layer)'),
  'SL-NET-CYCLE': e('the layers of a network form a cycle'),
  'SL-NET-BLOCK': e('a layer is in no block or in two, or a block reads a later block'),
  'SL-NET-EMPTY': e('a network lists no layers'),
  'SL-SCHED-CONTEXT': e('a network schedule was validated without exactly one network beside it'),
  'SL-SCHED-BLOCK': e('a network schedule names an unknown block or layer, or a choice the block cannot take (b not dividing T, a bad tile size)'),
  // mapspace constraints for spikeloop search (constraints.ts)
  'SL-CON-FACTOR': e('a fixed factor in a constraints file does not divide its dimension'),
  'SL-CON-BOUNDS': e('factor bounds in a constraints file are empty (min > max, min above the dimension, or the fixed factors and minimums of a dimension over all levels need more than its size)'),
  'SL-CON-FANOUT': e('a fixed or minimum spatial factor in a constraints file exceeds the fan-out of its level and axis'),
  'SL-CON-TIME': e('a constraints file asks for a spatial split of T on a stateful layer (its timesteps run in order)'),
  'SL-CON-ORDER': e('a loop order in a constraints file lists a dimension twice'),
  'SL-CON-KEEP': e('a constraints file both keeps and bypasses a tensor at one level'),
  'SL-CON-UTILIZATION': e('min_utilization in a constraints file is not a fraction between 0 and 1'),
  'SL-CON-UNKNOWN-LEVEL': e('a constraints entry names a level the arch does not have, or a level twice'),
  'SL-CON-UNKNOWN-DIM': e('a constraints entry names a dimension the workload does not have'),
  'SL-CON-UNKNOWN-TENSOR': e('keep or bypass in a constraints file names a tensor the workload does not have'),
  // TT network descriptions (tt-network.ts)
  'SL-TT-RANKS': e('a TT stage has missing ranks or not one rank per 3x3 conv'),
  'SL-TT-RANK-HIGH': w('a TT rank exceeds min(Cin, Cout) of its conv: the cores are wider than the layer they replace'),
  'SL-TT-NO-COMPRESSION': w('a TT-decomposed conv has at least as many parameters as the dense conv it replaces'),
} as const satisfies Record<string, Entry>;

/** Codes produced by the CLI (`src/cli/`): files that cannot be read or written, and evaluation outcomes. */
export const CLI_CODES = {
  'SL-FILE-NOT-FOUND': e('a file named on the command line does not exist'),
  'SL-FILE-READ': e('a file cannot be read (it is a directory, permission is denied, ...)'),
  'SL-FILE-WRITE': e('an artifact cannot be written under --out'),
  'SL-EVAL-MAPPING': e('the mapping does not match the arch or workload (levels, coverage, a tensor with no home)'),
  'SL-EVAL-CAPACITY': e('the tiles kept at a level do not fit its capacity (needed vs available bits)'),
  'SL-EVAL-FANOUT': e('the spatial factors of a level exceed its fan-out'),
  'SL-EVAL-SCHEDULE': e('a network schedule cannot run: a chunk has no valid intra-layer mapping, or state placed on chip does not fit'),
  'SL-EVAL-SEMANTICS': e('the loop order breaks SNN semantics (T split in space for a stateful neuron, T inside a reduction with membrane accumulation)'),
} as const satisfies Record<string, Entry>;

/**
 * Codes of `src/report/inputs.ts` (reading result JSON back for `spikeloop report`). report/ may not import spec/,
 * so these are listed here for the catalogue, and the diagnostics test checks the literals there against it.
 */
export const REPORT_CODES = {
  'SL-REPORT-JSON': e('a result file given to report is not valid JSON'),
  'SL-REPORT-KIND': e('a result file is not an evaluation, network, search or training result'),
  'SL-REPORT-FIELD': e('a result file lacks a field (or has one of the wrong type) its kind needs'),
} as const satisfies Record<string, Entry>;

export type TimeloopCode = (typeof TIMELOOP_CODES)[keyof typeof TIMELOOP_CODES];

/** One line per Timeloop importer code (the messages themselves live in `timeloop/messages.ts`). */
export const TIMELOOP_DESCRIPTIONS: Readonly<Record<TimeloopCode, Entry>> = {
  'SL-TL-WRONG-FILE': e('a Timeloop file of another kind (or of no kind) was given in this position'),
  'SL-TL-MISSING-KEY': e('a required Timeloop key is missing'),
  'SL-TL-TYPE': e('a Timeloop value has the wrong type'),
  'SL-TL-NUMBER': e('a Timeloop attribute is not a valid number'),
  'SL-TL-NAME-RANGE': e('a malformed instance range in a component name (NAME[first..last])'),
  'SL-TL-ARCH-TREE': e('a node of the architecture tree has more than one subtree'),
  'SL-TL-NO-STORAGE': e('the architecture has no storage level'),
  'SL-TL-COMPUTE': e('the architecture has no compute unit, or more than one'),
  'SL-TL-MESH': e('meshX does not divide the instances of a level'),
  'SL-TL-INSTANCES': e('a level has a number of instances that is not a multiple of the level above'),
  'SL-TL-WIDTH': e('a level width is not a multiple of its word bits'),
  'SL-TL-DUPLICATE-NAME': e('a data-space or component is defined twice'),
  'SL-TL-UNKNOWN-DIM': e('a factor, permutation or projection names an unknown dimension'),
  'SL-TL-PROJECTION': e('a data-space projection is malformed (an undeclared coefficient, an empty term, ...)'),
  'SL-TL-UNKNOWN-LEVEL': e("a mapping directive's target is not a storage level"),
  'SL-TL-UNKNOWN-TYPE': e('a mapping directive type is not temporal, spatial or datatype/bypass'),
  'SL-TL-FACTORS': e('a factors string cannot be read'),
  'SL-TL-PERMUTATION': e('a permutation lists a dimension twice or an unknown letter'),
  'SL-TL-FACTOR-PRODUCT': e('the factors of a dimension over all levels do not multiply to its size'),
  'SL-TL-UNKNOWN-DATASPACE': e('keep or bypass names an unknown data-space'),
  'SL-TL-KEEP-BYPASS': e('a data-space is both kept and bypassed at a level'),
  'SL-TL-NO-FANOUT': e('spatial factors at a level that has no fan-out'),
  'SL-TL-UNSUPPORTED': e("a Timeloop feature spikeloop's importer does not support"),
  'SL-TL-EXPECTED': e("an expected.json of a reference case is malformed"),
  'SL-TL-NO-ERT': w('no ERT file was given: all energies are 0 pJ'),
  'SL-TL-ERT-MISSING': w('a component has no ERT table or action; its energy is 0 pJ'),
  'SL-TL-ERT-UNUSED': w('an ERT table matches no architecture component'),
  'SL-TL-VECTOR-ENERGY': w('vector-access-energy overrides the ERT for a level'),
  'SL-TL-CLUSTER': w('a width implies a cluster size above 1; each block-size vector is charged once'),
  'SL-TL-IGNORED': w('a key spikeloop does not use is ignored'),
  'SL-TL-PERMUTATION-PAD': w('a permutation leaves out dimensions with factors; they are placed outermost'),
  'SL-TL-DUPLICATE-DIRECTIVE': w('a second directive of one type for a level replaces the first'),
  'SL-TL-FACTOR-ZERO': w('a factor 0 is read as the whole dimension'),
};

export type SpecCode = keyof typeof SPEC_CODES;
export type CliCode = keyof typeof CLI_CODES;
/** Every diagnostic code spikeloop can emit. */
export type ReportCode = keyof typeof REPORT_CODES;
export type DiagnosticCode = SpecCode | CliCode | ReportCode | TimeloopCode;

export interface CatalogueEntry {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly description: string;
  /** Who emits it: native spec parsers, the CLI, or the Timeloop importer. */
  readonly source: 'spec' | 'cli' | 'report' | 'timeloop';
}

const list = <C extends DiagnosticCode>(src: CatalogueEntry['source'], table: Readonly<Record<C, Entry>>): CatalogueEntry[] =>
  (Object.keys(table) as C[]).map((code) => ({ code, source: src, ...table[code] }));

/** The merged catalogue: every code with its severity and a one-line description. */
export const ALL_CODES: readonly CatalogueEntry[] = [
  ...list('spec', SPEC_CODES),
  ...list('cli', CLI_CODES),
  ...list('report', REPORT_CODES),
  ...list('timeloop', TIMELOOP_DESCRIPTIONS),
];

export function describeCode(code: string): CatalogueEntry | undefined {
  return ALL_CODES.find((c) => c.code === code);
}

/** A native spec diagnostic; the severity comes from the catalogue. */
export function specDiagnostic(
  code: SpecCode,
  message: string,
  pos: SourcePos | undefined,
  extra: { readonly path?: readonly (string | number)[]; readonly hint?: string } = {},
): Diagnostic {
  return {
    code,
    severity: SPEC_CODES[code].severity,
    message,
    ...(pos ? { pos } : {}),
    ...(extra.path ? { path: extra.path } : {}),
    ...(extra.hint ? { hint: extra.hint } : {}),
  };
}
