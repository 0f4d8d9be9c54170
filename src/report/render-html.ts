/**
 * A ReportDoc as one self-contained HTML page: inline SVG charts and inline CSS, no scripts, and a
 * Content-Security-Policy that forbids any network access, so the page renders the same offline.
 */
import type { DocSection, DocTable, Provenance, ReportDoc } from './doc.ts';

export const escHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Text with `code` spans: escaped, the spans as <code>. */
export const inlineHtml = (s: string): string => s.split(/`([^`]+)`/).map((part, i) => (i % 2 === 1 ? `<code>${escHtml(part)}</code>` : escHtml(part))).join('');

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
pre { background: #f4f4f4; border: 1px solid #ccc; padding: 8px; overflow-x: auto; font-size: 0.85em; }
pre code { word-break: normal; }
p.note { color: #333; }
ul.warnings { list-style: none; padding: 8px 12px; margin: 8px 0 14px; border: 2px solid #111; border-left-width: 8px; background: #f4f4f4; }
ul.warnings li::before { content: 'warning: '; font-weight: bold; }
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
  return `<table><caption>${inlineHtml(t.caption)}</caption><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

function sectionHtml(s: DocSection): string {
  const h = `h${s.level}`;
  const parts = [`<section id="${escHtml(s.id)}"><${h}>${escHtml(s.heading)}</${h}>`];
  if (s.warnings && s.warnings.length > 0) parts.push(`<ul class="warnings">${s.warnings.map((w) => `<li>${inlineHtml(w)}</li>`).join('')}</ul>`);
  if (s.note) parts.push(`<p class="note">${inlineHtml(s.note)}</p>`);
  if (s.facts) parts.push(factsHtml(s.facts));
  for (const c of s.charts) parts.push(`<figure class="chart" id="chart-${escHtml(c.id)}">${c.svg}<figcaption>${inlineHtml(c.caption)}</figcaption></figure>`);
  for (const t of s.tables) parts.push(tableHtml(t));
  for (const c of s.code ?? []) parts.push(`<p class="note">${inlineHtml(c.caption)}</p><pre><code>${escHtml(c.text)}</code></pre>`);
  parts.push('</section>');
  return parts.join('\n');
}

function provenanceHtml(p: Provenance): string {
  const facts: [string, string][] = [['spikeloop version', p.version]];
  const rows = p.inputs.map((i) => `<tr><td>${escHtml(i.file)}</td><td>${escHtml(i.name)}</td><td>${escHtml(i.kind)}</td><td><code>${i.sha256}</code></td></tr>`).join('');
  const parts = [`<section id="reproducibility"><h2>Reproducibility</h2>${factsHtml(facts)}<p>Command: <code>${escHtml(p.command)}</code></p>`];
  parts.push(`<table><caption>Result files read and their SHA-256.</caption><thead><tr><th>file</th><th>result</th><th>kind</th><th>SHA-256</th></tr></thead><tbody>${rows}</tbody></table>`);
  if (p.energyTables.length > 0) {
    const et = p.energyTables.map((t) => `<tr><td>${escHtml(t.table)}</td><td>${escHtml(t.results.join(', '))}</td></tr>`).join('');
    parts.push(`<table><caption>Energy tables (the results' <code>energy_source</code>).</caption><thead><tr><th>energy table</th><th>results</th></tr></thead><tbody>${et}</tbody></table>`);
  }
  for (const pr of p.producers ?? []) {
    parts.push(`<h3>How ${escHtml(pr.result)} was produced</h3>`);
    parts.push(pr.command ? `<p>Command: <code>${escHtml(pr.command)}</code></p>` : '<p class="note">The result does not record the command that produced it.</p>');
    if (pr.inputs.length > 0) {
      const ir = pr.inputs.map((i) => `<tr><td>${escHtml(i.path)}</td><td>${i.sha256 ? `<code>${escHtml(i.sha256)}</code>` : '-'}</td></tr>`).join('');
      parts.push(`<table><caption>Spec files it was computed from.</caption><thead><tr><th>file</th><th>SHA-256</th></tr></thead><tbody>${ir}</tbody></table>`);
    } else parts.push('<p class="note">The result does not record its spec files (arch, workload, mapping) or their hashes.</p>');
  }
  parts.push('</section>');
  return parts.join('\n');
}

export function renderReportHtml(d: ReportDoc): string {
  const toc = d.sections.filter((s) => s.level === 2 || s.charts.length > 0 || (s.warnings?.length ?? 0) > 0).map((s) => `<li><a href="#${escHtml(s.id)}">${escHtml(s.heading)}</a></li>`);
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
