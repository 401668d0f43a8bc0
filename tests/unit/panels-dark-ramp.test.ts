import { describe, expect, it } from 'vitest';
import { conditionStyle } from '../../src/ui/plots/conditionStyle';
import { DARK_THEME, LIGHT_THEME } from '../../src/ui/palette';
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
