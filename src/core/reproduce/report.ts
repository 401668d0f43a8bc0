/**
 * docs/REPRODUCTION.md is partly generated: each block between `<!-- reproduce:NAME:start -->` and
 * `<!-- reproduce:NAME:end -->` is rewritten verbatim by `npm run reproduce -- … --report`.
 */
export const sectionMarkers = (experiment: string) => ({
  start: `<!-- reproduce:${experiment}:start -->`,
  end: `<!-- reproduce:${experiment}:end -->`,
});

/** Replace (or append) the generated section of `experiment` in a Markdown document. */
export function spliceSection(doc: string, experiment: string, section: string): string {
  const { start, end } = sectionMarkers(experiment);
  const block = `${start}\n${section.trim()}\n${end}`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i) return doc.slice(0, i) + block + doc.slice(j + end.length);
  return `${doc.trimEnd()}\n\n${block}\n`;
}
