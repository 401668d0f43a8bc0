/**
 * Colours every plot and control shares. Categorical colours are Okabe–Ito (distinguishable under
 * the common colour-vision deficiencies); ordered conditions (e.g. MWG intervals) use a
 * viridis-like ramp, which stays monotone in lightness so order reads even in greyscale.
 */

export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
  black: '#000000',
} as const;

/**
 * Order for categorical series (s components, tasks, models). Black is left out because it
 * disappears in dark mode; yellow comes last because it is faint on white.
 */
export const CATEGORICAL: readonly string[] = [
  OKABE_ITO.blue,
  // Okabe–Ito's orange, sky blue and yellow are too light for a white panel (WCAG 3:1 for
  // graphics); these darker shades of the same hues pass on the light and the dark surface.
  '#B87800',
  OKABE_ITO.bluishGreen,
  OKABE_ITO.vermillion,
  OKABE_ITO.reddishPurple,
  '#2F8CC4',
  '#8F8A00',
];

/** Colour of categorical series i (wraps around). */
export function categorical(i: number): string {
  const n = CATEGORICAL.length;
  return CATEGORICAL[((i % n) + n) % n];
}

/** Colour of modulation component s_k, the same in every panel. */
export function componentColor(k: number): string {
  return categorical(k);
}

// Viridis sampled at 9 evenly spaced points; interpolated linearly in sRGB between them.
const VIRIDIS_STOPS: readonly [number, number, number][] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

/** Ordered-condition colour for t in [0, 1] (clamped). */
export function sequential(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS_STOPS.length - 1);
  const i = Math.min(VIRIDIS_STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS_STOPS[i];
  const b = VIRIDIS_STOPS[i + 1];
  const c = a.map((v, j) => Math.round(v + (b[j] - v) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Colour of a condition value within [lo, hi] on the sequential ramp. */
export function conditionColor(value: number, lo: number, hi: number): string {
  return sequential(hi > lo ? (value - lo) / (hi - lo) : 0.5);
}

/** Theme-dependent colours for plot chrome; read the current scheme with `prefersDark()`. */
export interface PlotTheme {
  background: string;
  foreground: string;
  grid: string;
  /** The intact-model ghost drawn under ablated traces. */
  ghost: string;
  /** Targets drawn under outputs. */
  target: string;
  /**
   * Where ordered conditions start on the sequential ramp: viridis begins at a dark purple that
   * vanishes on a dark background, so the dark theme starts further along.
   */
  rampStart: number;
}

export const LIGHT_THEME: PlotTheme = {
  background: 'rgba(0,0,0,0)',
  foreground: '#1d232b',
  grid: '#d9dde3',
  ghost: 'rgba(120,120,120,0.35)',
  target: 'rgba(60,60,60,0.55)',
  rampStart: 0,
};

export const DARK_THEME: PlotTheme = {
  background: 'rgba(0,0,0,0)',
  foreground: '#e3e7ec',
  grid: '#39414c',
  ghost: 'rgba(190,190,190,0.6)',
  target: 'rgba(220,220,220,0.6)',
  // Viridis below 0.4 is darker than 3:1 against the dark panel surface.
  rampStart: 0.4,
};

export function prefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
}

export function plotTheme(dark = prefersDark()): PlotTheme {
  return dark ? DARK_THEME : LIGHT_THEME;
}
