/**
 * Applies the light or dark plot chrome (background, font, grid) to a layout, so trace builders
 * never need to know the colour scheme for anything but their own series.
 */
import type { PlotTheme } from '../palette';
import type { FigureLayout } from './figure';

const AXIS_KEY = /^[xy]axis\d*$/;
const SCENE_KEY = /^scene\d*$/;
const POLAR_KEY = /^polar\d*$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function themedAxis(axis: Obj, theme: PlotTheme): Obj {
  return {
    gridcolor: theme.grid,
    zerolinecolor: theme.grid,
    linecolor: theme.grid,
    ...axis,
    color: theme.foreground,
  };
}

/** A copy of `layout` coloured for `theme`; the caller's own axis settings win except text colour. */
export function themedLayout(layout: FigureLayout, theme: PlotTheme): FigureLayout {
  const out: Obj = {
    ...layout,
    paper_bgcolor: theme.background,
    plot_bgcolor: theme.background,
    // 12 px at least: ticks and legends must read on a projector.
    font: { size: 12, ...(layout.font ?? {}), color: theme.foreground },
    legend: { bgcolor: 'rgba(0,0,0,0)', ...(layout.legend ?? {}) },
    hoverlabel: { namelength: -1, ...(layout.hoverlabel ?? {}) },
  };
  for (const [key, value] of Object.entries(layout)) {
    if (!isObj(value)) continue;
    if (AXIS_KEY.test(key)) out[key] = themedAxis(value, theme);
    else if (SCENE_KEY.test(key)) {
      const scene: Obj = { ...value, bgcolor: theme.background };
      for (const a of ['xaxis', 'yaxis', 'zaxis']) {
        scene[a] = {
          backgroundcolor: theme.background,
          ...themedAxis(isObj(value[a]) ? value[a] : {}, theme),
        };
      }
      out[key] = scene;
    } else if (POLAR_KEY.test(key)) {
      out[key] = {
        ...value,
        bgcolor: theme.background,
        radialaxis: themedAxis(isObj(value.radialaxis) ? value.radialaxis : {}, theme),
        angularaxis: themedAxis(isObj(value.angularaxis) ? value.angularaxis : {}, theme),
      };
    }
  }
  return out as FigureLayout;
}
