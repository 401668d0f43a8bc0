/** The shapes trace builders return, in Plotly's own types. */
import type { Data, Layout } from 'plotly.js-dist-min';

export type Trace = Data;
export type FigureLayout = Layout;

export interface Figure {
  data: Trace[];
  layout: FigureLayout;
}

/** Plotly names the first axis `xaxis` (referenced as `x`) and later ones `xaxis2` (`x2`), …. */
export const xAxisKey = (i: number): 'xaxis' | `xaxis${number}` =>
  i === 0 ? 'xaxis' : `xaxis${i + 1}`;
export const yAxisKey = (i: number): 'yaxis' | `yaxis${number}` =>
  i === 0 ? 'yaxis' : `yaxis${i + 1}`;
export const xRef = (i: number): string => (i === 0 ? 'x' : `x${i + 1}`);
export const yRef = (i: number): string => (i === 0 ? 'y' : `y${i + 1}`);
