/** The `command` and `inputs[] {path, sha256}` a producing command records in its JSON (src/cli/provenance.ts). */
import type { ResultProvenance } from '../views.ts';
import type { Ctx, Path } from './ctx.ts';
import type { Json } from './value.ts';

export function readProvenance(c: Ctx, doc: Json, path: Path = []): ResultProvenance | undefined {
  const command = c.str(doc, path, 'command');
  const list = c.arr(doc, path, 'inputs') ?? [];
  const inputs = list.flatMap((x, i) => {
    const at = [...path, 'inputs', i];
    const it = c.item(x, at);
    const p = it && c.str(it, at, ['path', 'file']);
    if (it && p === undefined) c.problem(at, `\`inputs[${i}]\` has no \`path\``);
    return p === undefined ? [] : [{ path: p, sha256: c.str(it, at, 'sha256') }];
  });
  return command === undefined && inputs.length === 0 ? undefined : { command, inputs };
}
