/**
 * The Markdown table of shipped preset files. The files themselves are written by
 * `npm run presets:build` from reproduction jobs.
 */

/** The headline metrics a preset table shows, by task family (keys as stored in the file). */
const HEADLINE_KEYS = [
  'extrapolate.mseTrained',
  'extrapolate.mseExtrapolated',
  'test.mse',
  'test.percentCorrect',
] as const;

const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length;

/** A Markdown table of shipped preset files: steps, size and headline metrics. */
export function presetTable(files: { name: string; text: string }[]): string {
  const rows = files.map(({ name, text }) => {
    const doc = JSON.parse(text) as {
      metrics: Record<string, number | null>;
      createdWith: { steps?: number };
    };
    const cells = HEADLINE_KEYS.map((k) => {
      const v = doc.metrics[k];
      return v === undefined ? '' : v === null ? 'n/a' : Number(v).toPrecision(3);
    });
    const kib = (utf8Bytes(text) / 1024).toFixed(1);
    return `| ${name} | ${doc.createdWith.steps ?? '?'} | ${kib} | ${cells.join(' | ')} |`;
  });
  const total = files.reduce((a, f) => a + utf8Bytes(f.text), 0);
  return [
    `| preset | steps | KiB | MWG MSE trained I | MWG MSE extrapolated I | EFT MSE | % correct (3 tasks) |`,
    `|---|---:|---:|---:|---:|---:|---:|`,
    ...rows,
    '',
    `${files.length} files, ${(total / 1024).toFixed(1)} KiB in all.`,
  ].join('\n');
}
