/**
 * Task metrics come back as nested objects with per-trial arrays (e.g. MWG's mseByGroup and
 * produced intervals); the protocol carries flat name → number maps so any panel can list them.
 */
import type { Metrics } from './protocol';

export function flattenMetrics(value: unknown, prefix = '', out: Metrics = {}): Metrics {
  if (typeof value === 'number') {
    out[prefix || 'value'] = value;
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => flattenMetrics(v, prefix ? `${prefix}.${i}` : String(i), out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      flattenMetrics(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

/** Only the scalar summaries (no per-trial entries), for the metrics-over-training history. */
export function summaryMetrics(value: unknown): Metrics {
  const out: Metrics = {};
  if (!value || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'number') out[k] = v;
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v)) if (typeof v2 === 'number') out[`${k}.${k2}`] = v2;
    }
  }
  return out;
}
