/**
 * A figure's data as CSV: one row per point, with the trace's name and its x, y (and z for 3-D)
 * values, so every plot's numbers can be taken into a spreadsheet or a notebook.
 */
import type { Trace } from './figure';

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

const values = (t: Record<string, unknown>, key: string): unknown[] | undefined => {
  const v = t[key];
  if (Array.isArray(v)) return v as unknown[];
  if (ArrayBuffer.isView(v) && !(v instanceof DataView))
    return Array.from(v as unknown as ArrayLike<number>);
  return undefined;
};

export function figureCsv(data: readonly Trace[]): string {
  const hasZ = data.some((t) => values(t as Record<string, unknown>, 'z') !== undefined);
  const rows = [hasZ ? 'trace,x,y,z' : 'trace,x,y'];
  data.forEach((trace, i) => {
    const t = trace as Record<string, unknown>;
    const ys = values(t, 'y');
    if (!ys) return;
    const xs = values(t, 'x');
    const zs = values(t, 'z');
    const name = typeof t.name === 'string' && t.name !== '' ? t.name : `trace ${i + 1}`;
    ys.forEach((y, j) => {
      // Gaps (null) separate line segments in Plotly; they carry no data.
      if (y === null && (xs?.[j] ?? null) === null) return;
      const row = [cell(name), cell(xs ? xs[j] : j), cell(y)];
      if (hasZ) row.push(cell(zs?.[j]));
      rows.push(row.join(','));
    });
  });
  return `${rows.join('\n')}\n`;
}

/** A file name from a plot's label: "Training loss over steps" → "training-loss-over-steps". */
export const fileStem = (label: string): string =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'plot';
