/**
 * Reading one value of a share link: every value is untrusted text, parsed (never evaluated) into a
 * Result that either holds the value, possibly clamped with a note, or says why it was refused.
 */

export type Result<T> = { ok: true; value: T; note?: string } | { ok: false; error: string };

export function parseNumber(raw: string): Result<number> {
  const t = raw.trim();
  // Number() accepts '', '0x1f', 'Infinity'; a link only ever needs plain decimals.
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) {
    return { ok: false, error: `"${raw}" is not a number` };
  }
  const n = Number(t);
  return Number.isFinite(n)
    ? { ok: true, value: n }
    : { ok: false, error: `"${raw}" is not a finite number` };
}

export function clampNumber(
  n: number,
  [lo, hi]: readonly [number, number],
  int: boolean,
): Result<number> {
  let v = n;
  const notes: string[] = [];
  if (int && !Number.isInteger(v)) {
    v = Math.round(v);
    notes.push(`rounded ${n} to ${v}`);
  }
  if (v < lo) {
    notes.push(`${v} is below the minimum ${lo}; using ${lo}`);
    v = lo;
  } else if (v > hi) {
    notes.push(`${v} is above the maximum ${hi}; using ${hi}`);
    v = hi;
  }
  // −0 (from rounding a tiny negative) would print as "0" and read back as +0: keep one zero.
  return { ok: true, value: v === 0 ? 0 : v, note: notes.length ? notes.join('; ') : undefined };
}

export function boundedNumber(
  raw: string,
  bounds: readonly [number, number],
  int: boolean,
): Result<number> {
  const r = parseNumber(raw);
  return r.ok ? clampNumber(r.value, bounds, int) : r;
}

export function parseEnum<T extends string>(raw: string, options: readonly T[]): Result<T> {
  const hit = options.find((o) => o === raw);
  return hit !== undefined
    ? { ok: true, value: hit }
    : { ok: false, error: `"${raw}" is not one of ${options.join(', ')}` };
}

export function parseBool(raw: string): Result<boolean> {
  if (raw === '1' || raw === 'true') return { ok: true, value: true };
  if (raw === '0' || raw === 'false') return { ok: true, value: false };
  return { ok: false, error: `"${raw}" is not 0 or 1` };
}

export function parseList<T>(
  raw: string,
  item: (s: string) => Result<T>,
  { min, max }: { min: number; max: number },
): Result<T[]> {
  const parts = raw.split(',').filter((s) => s.length > 0);
  const out: T[] = [];
  const notes: string[] = [];
  for (const p of parts) {
    const r = item(p);
    if (!r.ok) {
      notes.push(`${r.error}; dropped`);
      continue;
    }
    if (r.note) notes.push(r.note);
    if (!out.includes(r.value)) out.push(r.value);
  }
  if (out.length < min)
    return { ok: false, error: `needs at least ${min} valid entr${min === 1 ? 'y' : 'ies'}` };
  if (out.length > max) {
    notes.push(`only the first ${max} entries are used`);
    out.length = max;
  }
  return { ok: true, value: out, note: notes.length ? notes.join('; ') : undefined };
}

export function truncate(s: string, n = 40): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/** encodeURIComponent, leaving the separators that are legal in a fragment readable. */
export function enc(value: string): string {
  return encodeURIComponent(value)
    .replace(/%2C/gi, ',')
    .replace(/%3A/gi, ':')
    .replace(/%40/gi, '@');
}

export const bool = (b: boolean): string => (b ? '1' : '0');
