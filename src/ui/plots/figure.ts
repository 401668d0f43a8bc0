/** The shapes trace builders return, in Plotly's own types. */
import type { Annotation, Data, Layout, LayoutAxis, ScatterData, Shape } from 'plotly.js-dist-min';

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

/**
 * Plotly's types spell out every axis id ("y", "y2", … "y99 domain") as literals, which a computed
 * id cannot satisfy; the ids built here are always among them, hence the casts.
 */
export type AxisId = NonNullable<LayoutAxis['anchor']>;
export const xRef = (i: number): AxisId => (i === 0 ? 'x' : `x${i + 1}`) as AxisId;
export const yRef = (i: number): AxisId => (i === 0 ? 'y' : `y${i + 1}`) as AxisId;
const yDomain = (i: number): string => (i === 0 ? 'y domain' : `y${i + 1} domain`);
/** The id of a y axis's whole extent, for a shape spanning one subplot ("y2 domain"). */
export const shapeYDomain = (i: number) => yDomain(i) as NonNullable<Shape['yref']>;
/** The same for an annotation (Plotly types the two separately). */
export const noteYDomain = (i: number) => yDomain(i) as NonNullable<Annotation['yref']>;

/** A single scatter marker symbol (Plotly's type also admits per-point arrays). */
export type Symbol2d = Exclude<
  NonNullable<NonNullable<ScatterData['marker']>['symbol']>,
  readonly unknown[]
>;
