/** Plain-text rendering of metrics for the terminal: headline values first, per-condition after. */
export function formatMetrics(metrics: Record<string, number>): string {
  const keys = Object.keys(metrics);
  const headline = keys.filter((k) => !k.includes('.'));
  const detail = keys.filter((k) => k.includes('.'));
  const fmt = (v: number) =>
    Number.isNaN(v)
      ? 'n/a'
      : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0)
        ? v.toExponential(3)
        : v.toFixed(4);
  const lines = headline.map((k) => `  ${k.padEnd(18)} ${fmt(metrics[k])}`);
  if (detail.length > 0) {
    lines.push('  ' + detail.map((k) => `${k}=${fmt(metrics[k])}`).join('  '));
  }
  return lines.join('\n');
}
