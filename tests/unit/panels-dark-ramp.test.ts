import { describe, expect, it } from 'vitest';
import { conditionStyle } from '../../src/ui/plots/conditionStyle';
import { CATEGORICAL, DARK_THEME, LIGHT_THEME } from '../../src/ui/palette';
import { mwgEvalSet } from '../../src/core/tasks';

const luminance = (rgb: string): number => {
  const [r, g, b] = (rgb.match(/\d+/g) ?? []).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

describe('condition colours in dark mode', () => {
  it('start lighter than in light mode, so the shortest interval stays visible on dark', () => {
    const meta = mwgEvalSet().meta;
    const light = conditionStyle('mwg', meta, LIGHT_THEME).color(4);
    const dark = conditionStyle('mwg', meta, DARK_THEME).color(4);
    expect(luminance(dark)).toBeGreaterThan(luminance(light) + 30);
    // Ordered conditions remain distinct and ordered by lightness.
    expect(luminance(conditionStyle('mwg', meta, DARK_THEME).color(26))).toBeGreaterThan(
      luminance(dark),
    );
  });
});

/** WCAG relative luminance and contrast ratio; `rgba` colours are blended onto `bg` first. */
function parse(color: string): [number, number, number, number] {
  if (color.startsWith('#')) {
    const h = color.slice(1);
    return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)).concat(1) as [
      number,
      number,
      number,
      number,
    ];
  }
  const [r, g, b, a = 1] = (color.match(/[\d.]+/g) ?? []).map(Number);
  return [r, g, b, a];
}
function relLum([r, g, b]: number[]): number {
  const f = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}
function contrast(fg: string, bg: string): number {
  const [br, bgG, bb] = parse(bg);
  const [r, g, b, a] = parse(fg);
  const mix = [r * a + br * (1 - a), g * a + bgG * (1 - a), b * a + bb * (1 - a)];
  const l1 = relLum(mix);
  const l2 = relLum([br, bgG, bb]);
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

// The panel surfaces of app.css (--app-surface, light and dark).
const LIGHT_SURFACE = '#ffffff';
const DARK_SURFACE = '#1b2027';

describe('trace colours against the panel background (WCAG 3:1 for graphics)', () => {
  it('every categorical colour passes on both surfaces', () => {
    for (const c of CATEGORICAL) {
      expect(contrast(c, LIGHT_SURFACE), `${c} on light`).toBeGreaterThanOrEqual(3);
      expect(contrast(c, DARK_SURFACE), `${c} on dark`).toBeGreaterThanOrEqual(3);
    }
  });

  it('in dark mode every condition colour, the intact ghost and the target pass', () => {
    const meta = mwgEvalSet().meta;
    const style = conditionStyle('mwg', meta, DARK_THEME);
    for (const I of [4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26]) {
      expect(contrast(style.color(I), DARK_SURFACE), `I = ${I}`).toBeGreaterThanOrEqual(3);
    }
    expect(contrast(DARK_THEME.ghost, DARK_SURFACE)).toBeGreaterThanOrEqual(3);
    expect(contrast(DARK_THEME.target, DARK_SURFACE)).toBeGreaterThanOrEqual(3);
  });
});
