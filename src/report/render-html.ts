/**
 * A ReportDoc as one self-contained HTML page: inline SVG charts and inline CSS, no scripts, and a
 * Content-Security-Policy that forbids any network access, so the page renders the same offline.
 */
import type { DocSection, DocTable, Provenance, ReportDoc } from './doc.ts';

export const escHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const CSS = `
:root { color-scheme: light; }
body { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; color: #111; background: #fff; margin: 0; line-height: 1.45; }
main { max-width: 980px; margin: 0 auto; padding: 24px; }
h1 { font-size: 1.6em; border-bottom: 2px solid #111; padding-bottom: 6px; }
h2 { font-size: 1.3em; margin-top: 2.2em; border-bottom: 1px solid #999; }
h3 { font-size: 1.1em; margin-top: 1.6em; }
nav ol { columns: 2; font-size: 0.92em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
figure.chart { margin: 16px 0; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 0.9em; color: #333; margin-top: 4px; }
table { border-collapse: collapse; margin: 8px 0 18px; font-size: 0.88em; }
caption { text-align: left; font-style: italic; padding-bottom: 4px; }
th, td { border: 1px solid #bbb; padding: 3px 8px; }
th { background: #eee; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; border-top: 2px solid #111; }
code { font-size: 0.92em; word-break: break-all; }
p.note { color: #333; }
@media print { nav { display: none; } figure.chart { break-inside: avoid; } }
`;

function factsHtml(fs: readonly (readonly [string, string])[]): string {
  if (fs.length === 0) return '';
  return `<dl class="facts">${fs.map(([k, v]) => `<dt>${escHtml(k)}</dt><dd>${escHtml(v)}</dd>`).join('')}</dl>`;
}

function tableHtml(t: DocTable): string {
  const cols = t.table.columns;
  const head = `<tr>${cols.map((c) => `<th${c.align === 'right' ? ' class="num"' : ''} scope="col">${escHtml(c.label)}</th>`).join('')}</tr>`;
  const rows = t.table.rows.map((r) => `<tr${r.kind === 'total' ? ' class="total"' : ''}>${r.cells.map((c, i) => `<td${cols[i]?.align === 'right' ? ' class="num"' : ''}>${escHtml(c)}</td>`).join('')}</tr>`);
  return `<table><caption>${escHtml(t.caption)}</caption><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function sectionHtml(s: DocSection): string {
  const h = `h${s.level}`;
  const parts = [`<section id="${escHtml(s.id)}"><${h}>${escHtml(s.heading)}</${h}>`];
  if (s.note) parts.push(`<p class="note">${escHtml(s.note)}</p>`);
  if (s.facts) parts.push(factsHtml(s.facts));
  for (const c of s.charts) parts.push(`<figure class="chart" id="chart-${escHtml(c.id)}">${c.svg}<figcaption>${escHtml(c.caption)}</figcaption></figure>`);
  for (const t of s.tables) parts.push(tableHtml(t));
  parts.push('</section>');
  return parts.join('\n');
}

function provenanceHtml(p: Provenance): string {
  const facts: [string, string][] = [['spikeloop version', p.version], ...p.energyTables.map((t): [string, string] => ['energy table', t])];
  const rows = p.inputs.map((i) => `<tr><td>${escHtml(i.file)}</td><td>${escHtml(i.kind)}</td><td><code>${i.sha256}</code></td></tr>`).join('');
  return `<section id="reproducibility"><h2>Reproducibility</h2>${factsHtml(facts)}<p>Command: <code>${escHtml(p.command)}</code></p><table><caption>Inputs and their SHA-256.</caption><thead><tr><th>input</th><th>kind</th><th>SHA-256</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

export function renderReportHtml(d: ReportDoc): string {
  const toc = d.sections.filter((s) => s.level === 2 || s.charts.length > 0).map((s) => `<li><a href="#${escHtml(s.id)}">${escHtml(s.heading)}</a></li>`);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escHtml(d.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body><main>',
    `<h1>${escHtml(d.title)}</h1>`,
    factsHtml(d.facts),
    `<nav><ol>${toc.join('')}<li><a href="#reproducibility">Reproducibility</a></li></ol></nav>`,
    ...d.sections.map(sectionHtml),
    provenanceHtml(d.provenance),
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
}
