/**
 * The architecture rules of DESIGN.md §1 as a pure check: no import cycles between files of src/, and each
 * folder imports only the folders it may. Input: file path relative to src/ (e.g. `model/evaluate.ts`) -> source.
 */
import ts from 'typescript';

export interface ImportEdge {
  readonly from: string;
  /** Resolved file (relative to src/), or the raw specifier when it does not resolve. */
  readonly to: string;
  readonly resolved: boolean;
  /** `import type` / `export type` / only type specifiers: erased at run time. */
  readonly typeOnly: boolean;
  readonly line: number;
}

export interface Problem {
  readonly kind: 'cycle' | 'layer' | 'unresolved' | 'unknown-folder';
  readonly file: string;
  readonly message: string;
}

/** Folder -> folders it may import (besides itself). `*` = any. DESIGN.md §1. */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: [],
  workload: ['core'],
  arch: ['core'],
  mapping: ['workload', 'arch', 'core'],
  spec: ['mapping', 'workload', 'arch', 'core'],
  analysis: ['mapping', 'workload', 'arch', 'core'],
  model: ['analysis', 'mapping', 'workload', 'arch', 'core'],
  search: ['mapping', 'workload', 'arch', 'core'],
  schedule: ['search', 'mapping', 'workload', 'arch', 'core'],
  report: ['core'],
  cli: ['*'],
};

/** report/ may import these folders for their types only (`import type`). */
export const TYPE_ONLY: Readonly<Record<string, readonly string[]>> = {
  report: ['model', 'analysis', 'mapping', 'workload', 'arch', 'search', 'schedule', 'spec'],
};

const folderOf = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '.');

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

function resolve(from: string, spec: string, files: ReadonlySet<string>): string | undefined {
  const base = normalize(`${from.slice(0, from.lastIndexOf('/') + 1)}${spec}`);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}/index.ts`];
  return candidates.find((c) => files.has(c));
}

function isTypeOnlyImport(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const c = node.exportClause;
    return !!c && ts.isNamedExports(c) && c.elements.length > 0 && c.elements.every((e) => e.isTypeOnly);
  }
  const clause = node.importClause;
  if (!clause) return false; // `import './x.ts'`: a side effect
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const b = clause.namedBindings;
  return !!b && ts.isNamedImports(b) && b.elements.length > 0 && b.elements.every((e) => e.isTypeOnly);
}

/** Every relative import of one file: static, re-exports and dynamic `import('...')`. */
export function importsOf(file: string, source: string, files: ReadonlySet<string>): ImportEdge[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edges: ImportEdge[] = [];
  const add = (spec: string, node: ts.Node, typeOnly: boolean): void => {
    if (!spec.startsWith('.')) return;
    const to = resolve(file, spec, files);
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    edges.push({ from: file, to: to ?? spec, resolved: to !== undefined, typeOnly, line });
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node, isTypeOnlyImport(node));
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) add(arg.text, node, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, node, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

function layerProblem(e: ImportEdge): Problem | undefined {
  const from = folderOf(e.from);
  const to = folderOf(e.to);
  if (from === to) return undefined;
  const allowed = ALLOWED[from];
  if (!allowed) return undefined; // reported once per file as unknown-folder
  if (allowed.includes('*') || allowed.includes(to)) return undefined;
  if (e.typeOnly && TYPE_ONLY[from]?.includes(to)) return undefined;
  const typesOnly = TYPE_ONLY[from]?.includes(to) ? ` (only \`import type\` is allowed from ${to}/)` : '';
  return {
    kind: 'layer',
    file: e.from,
    message: `${e.from}:${e.line}: ${from}/ may not import ${to}/ (${e.to})${typesOnly}; ${from}/ may import: ${allowed.join(', ') || 'nothing'}`,
  };
}

/** Strongly connected components with more than one file (or a self-import): the import cycles. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) strong(v);
  return out;
}

/** One concrete cycle inside a strongly connected component, as a path that returns to its start. */
function cyclePath(comp: readonly string[], graph: ReadonlyMap<string, readonly string[]>): string[] {
  const inComp = new Set(comp);
  const start = [...comp].sort()[0];
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!inComp.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(prev.get(path[0])!);
        return [...path, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

export function checkArchitecture(files: ReadonlyMap<string, string> | Readonly<Record<string, string>>): Problem[] {
  const map = files instanceof Map ? (files as ReadonlyMap<string, string>) : new Map(Object.entries(files));
  const names = new Set(map.keys());
  const problems: Problem[] = [];
  const graph = new Map<string, string[]>();
  for (const [file, source] of [...map.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (!ALLOWED[folderOf(file)]) {
      problems.push({ kind: 'unknown-folder', file, message: `${file}: folder ${folderOf(file)}/ has no rule in the DESIGN.md §1 table (scripts/import-rules.ts)` });
    }
    const targets: string[] = [];
    for (const e of importsOf(file, source, names)) {
      if (!e.resolved) {
        problems.push({ kind: 'unresolved', file, message: `${file}:${e.line}: import '${e.to}' does not resolve to a file in src/` });
        continue;
      }
      targets.push(e.to);
      const p = layerProblem(e);
      if (p) problems.push(p);
    }
    graph.set(file, targets);
  }
  for (const comp of cycles(graph)) {
    const path = cyclePath(comp, graph);
    problems.push({ kind: 'cycle', file: path[0], message: `import cycle: ${path.join(' -> ')}` });
  }
  return problems;
}
