/**
 * Every user-facing message of the Timeloop importer, in one catalogue (DESIGN.md §1). Readers build diagnostics
 * from these functions; the codes are stable (`SL-TL-...`) and listed in `TIMELOOP_CODES`.
 */
import type { Severity } from '../../core/diagnostics.ts';
import { didYouMean } from '../../core/math.ts';

export interface Message {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly hint?: string;
}

export type FileKind = 'arch' | 'problem' | 'mapping' | 'ert';

export const FILE_LABEL: Readonly<Record<FileKind, string>> = {
  arch: 'architecture',
  problem: 'problem',
  mapping: 'mapping',
  ert: 'energy reference table (ERT)',
};

/** Top-level key that marks each kind of Timeloop file. */
export const FILE_KEY: Readonly<Record<FileKind, string>> = { arch: 'architecture', problem: 'problem', mapping: 'mapping', ert: 'ERT' };

export const TIMELOOP_CODES = {
  // errors
  wrongFile: 'SL-TL-WRONG-FILE',
  missingKey: 'SL-TL-MISSING-KEY',
  type: 'SL-TL-TYPE',
  number: 'SL-TL-NUMBER',
  nameRange: 'SL-TL-NAME-RANGE',
  archTree: 'SL-TL-ARCH-TREE',
  noStorage: 'SL-TL-NO-STORAGE',
  compute: 'SL-TL-COMPUTE',
  mesh: 'SL-TL-MESH',
  instances: 'SL-TL-INSTANCES',
  width: 'SL-TL-WIDTH',
  duplicateName: 'SL-TL-DUPLICATE-NAME',
  unknownDim: 'SL-TL-UNKNOWN-DIM',
  projection: 'SL-TL-PROJECTION',
  unknownLevel: 'SL-TL-UNKNOWN-LEVEL',
  unknownType: 'SL-TL-UNKNOWN-TYPE',
  factors: 'SL-TL-FACTORS',
  permutation: 'SL-TL-PERMUTATION',
  factorProduct: 'SL-TL-FACTOR-PRODUCT',
  unknownDataspace: 'SL-TL-UNKNOWN-DATASPACE',
  keepBypass: 'SL-TL-KEEP-BYPASS',
  noFanout: 'SL-TL-NO-FANOUT',
  unsupported: 'SL-TL-UNSUPPORTED',
  expected: 'SL-TL-EXPECTED',
  // warnings
  noErt: 'SL-TL-NO-ERT',
  ertMissing: 'SL-TL-ERT-MISSING',
  ertUnused: 'SL-TL-ERT-UNUSED',
  vectorEnergy: 'SL-TL-VECTOR-ENERGY',
  cluster: 'SL-TL-CLUSTER',
  ignored: 'SL-TL-IGNORED',
  permutationPad: 'SL-TL-PERMUTATION-PAD',
  duplicateDirective: 'SL-TL-DUPLICATE-DIRECTIVE',
  factorZero: 'SL-TL-FACTOR-ZERO',
} as const;

const C = TIMELOOP_CODES;
const err = (code: string, message: string, hint?: string): Message => ({ code, severity: 'error', message, hint });
const warn = (code: string, message: string, hint?: string): Message => ({ code, severity: 'warning', message, hint });
const quoteList = (xs: readonly string[]): string => xs.map((x) => `'${x}'`).join(', ');
const guess = (word: string, candidates: readonly string[]): string => {
  const g = didYouMean(word, candidates);
  return g ? `did you mean '${g}'?` : `known: ${quoteList(candidates)}`;
};

export const msg = {
  wrongFile(expected: FileKind, found: FileKind | undefined): Message {
    const want = `a Timeloop ${FILE_LABEL[expected]} file (top-level '${FILE_KEY[expected]}:')`;
    if (found) {
      return err(C.wrongFile, `this is a Timeloop ${FILE_LABEL[found]} file, but ${want} was expected here`,
        'pass the Timeloop arch, problem, mapping and (optionally) ERT files');
    }
    return err(C.wrongFile, `expected ${want}, found no '${FILE_KEY[expected]}:' key`, 'check that the right file was passed');
  },
  missingKey: (what: string, key: string): Message => err(C.missingKey, `${what} needs '${key}'`, `add a '${key}:' entry`),
  type: (what: string, expected: string, found: string): Message => err(C.type, `${what} must be ${expected}, found ${found}`),
  number: (what: string, found: string, rule: string): Message => err(C.number, `${what} must be ${rule}, found ${found}`),
  nameRange: (name: string): Message =>
    err(C.nameRange, `malformed instance range in the name '${name}'`, "write the range as NAME[first..last], e.g. PE[0..15]"),
  archTree: (node: string, count: number): Message =>
    err(C.archTree, `'${node}' has ${count} subtrees; Timeloop supports one subtree per level of the hierarchy`,
      'nest the subtrees, or list parallel components in one local list'),
  noStorage: (): Message =>
    err(C.noStorage, 'the architecture has no storage level (class DRAM, SRAM, regfile, smartbuffer or storage)'),
  compute: (names: readonly string[]): Message =>
    names.length === 0
      ? err(C.compute, 'the architecture has no compute unit (class mac, intmac, fpmac or compute)')
      : err(C.compute, `the architecture has ${names.length} compute units (${quoteList(names)}); Timeloop needs exactly one`),
  mesh: (level: string, detail: string): Message => err(C.mesh, `${level}: ${detail}`),
  instances: (inner: string, innerN: number, outer: string, outerN: number): Message =>
    err(C.instances, `${inner} has ${innerN} instances, not a multiple of the ${outerN} instances of ${outer} above it`),
  width: (level: string, detail: string): Message =>
    err(C.width, `${level}: ${detail}`, 'make width = word-bits x block-size'),
  duplicateName: (kind: string, name: string): Message => err(C.duplicateName, `${kind} '${name}' is defined twice`),
  unknownDim: (dim: string, where: string, dims: readonly string[]): Message =>
    err(C.unknownDim, `unknown dimension '${dim}' in ${where}`, guess(dim, dims)),
  projection: (dataspace: string, detail: string, hint?: string): Message =>
    err(C.projection, `projection of ${dataspace}: ${detail}`, hint),
  unknownLevel: (name: string, levels: readonly string[]): Message =>
    err(C.unknownLevel, `unknown target level '${name}'`, guess(name, levels)),
  unknownType: (type: string): Message =>
    err(C.unknownType, `unknown mapping directive type '${type}'`, "use 'temporal', 'spatial' or 'datatype' (alias 'bypass')"),
  factors: (text: string, detail: string): Message =>
    err(C.factors, `cannot read the factors '${text}': ${detail}`, "write factors as 'N=2 K=4 C=1'"),
  permutation: (level: string, detail: string): Message =>
    err(C.permutation, `permutation at ${level}: ${detail}`, "list each dimension once, innermost first, e.g. 'CKN'"),
  factorProduct: (dim: string, product: number, size: number): Message =>
    err(C.factorProduct, `the factors of ${dim} multiply to ${product} over all levels, but the problem has ${dim}=${size}`,
      'make the temporal and spatial factors of every dimension multiply to its size'),
  unknownDataspace: (name: string, dataspaces: readonly string[]): Message =>
    err(C.unknownDataspace, `unknown data-space '${name}'`, guess(name, dataspaces)),
  keepBypass: (dataspace: string, level: string, detail: string): Message =>
    err(C.keepBypass, `${dataspace} at ${level}: ${detail}`),
  noFanout: (level: string, child: string, n: number): Message =>
    err(C.noFanout, `spatial factors at ${level}, but ${level} has no fan-out: ${child} below it has the same ${n} instance(s)`,
      'put these factors in a temporal directive, or target the level above the PE array'),
  unsupported: (feature: string, hint?: string): Message => err(C.unsupported, `not supported by spikeloop's Timeloop importer: ${feature}`, hint),
  expected: (path: string, detail: string): Message =>
    err(C.expected, `expected.json: ${path} ${detail}`, 'regenerate it from timeloop-stats.txt (see the reference README)'),

  noErt: (): Message =>
    warn(C.noErt, 'no ERT file given: every access and compute energy is 0 pJ (spikeloop has no Accelergy plug-ins)',
      'pass an ERT.yaml as the fourth file'),
  ertMissing: (component: string, detail: string): Message => warn(C.ertMissing, `${component}: ${detail}`),
  ertUnused: (names: readonly string[]): Message =>
    warn(C.ertUnused, `ERT tables match no architecture component and are ignored: ${quoteList(names)}`,
      'a table matches a component by the last dotted part of its name'),
  vectorEnergy: (level: string, value: number): Message =>
    warn(C.vectorEnergy, `${level}: vector-access-energy ${value} pJ overrides the ERT for read, fill and update (as in Timeloop)`,
      'remove vector-access-energy to use the ERT'),
  cluster: (level: string, cluster: number): Message =>
    warn(C.cluster, `${level}: width implies cluster-size ${cluster}; spikeloop charges each block-size vector access once`,
      'make width = word-bits x block-size to match Timeloop exactly'),
  ignored: (what: string, why: string): Message => warn(C.ignored, `${what} is ignored: ${why}`),
  permutationPad: (level: string, dims: readonly string[]): Message =>
    warn(C.permutationPad, `permutation at ${level} does not list ${dims.join(', ')}; placed outermost at that level, as Timeloop pads it`,
      'list every dimension with a factor above 1'),
  duplicateDirective: (level: string, type: string): Message =>
    warn(C.duplicateDirective, `a second ${type} directive for ${level} replaces the first (as in Timeloop)`),
  factorZero: (dim: string, size: number): Message =>
    warn(C.factorZero, `factor ${dim}=0 is read as the full dimension ${dim}=${size} (as in Timeloop)`),
};
