/** Number formatting shared by the panels' readouts (pure, unit-tested). */

/** Wall time as m:ss, or h:mm:ss past an hour. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor((Number.isFinite(ms) ? ms : 0) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A learning rate as people write it: 0.01, 0.003, 3.2e-4. */
export function formatLr(lr: number): string {
  if (!Number.isFinite(lr) || lr <= 0) return String(lr);
  if (lr >= 1e-3) return String(Number(lr.toPrecision(2)));
  const [mant, exp] = lr.toExponential(1).split('e');
  return `${mant.replace(/\.0$/, '')}e${exp}`;
}

/** Three significant digits, exponent form for very small or large values. */
export function formatMetric(v: number | undefined): string {
  if (v === undefined) return '–';
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'n/a' : String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(3)));
}

export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–';
}

/** Slider position (log10 lr) ↔ learning rate, rounded so the slider lands on readable values. */
export const LR_SLIDER = { min: -4, max: -1, step: 0.05 } as const;

export function lrToSlider(lr: number): number {
  const x = Math.log10(lr);
  return Math.min(LR_SLIDER.max, Math.max(LR_SLIDER.min, Number.isFinite(x) ? x : -2));
}

export function sliderToLr(x: number): number {
  return Number((10 ** x).toPrecision(2));
}
