/**
 * The one place that talks to Plotly. Panels hand it plain data and layout; it draws with
 * Plotly.react (which diffs against the previous figure), coalesces updates to a few redraws a
 * second however fast snapshots arrive, follows the system colour scheme, resizes with its
 * container, and purges the plot on unmount. A visually hidden summary gives screen readers the
 * current values, since the SVG itself says nothing useful.
 */
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import type { Config } from 'plotly.js-dist-min';
import type { Figure, FigureLayout, Trace } from './figure';
import { themedLayout } from './theme';
import { usePlotTheme } from './useDarkMode';
import { bundleFor, loadPlotly, type PlotlyBundle } from './loadPlotly';
import { figureCsv, fileStem } from './figureCsv';
import { useMediaQuery } from '../shell/useMediaQuery';
import { downloadText } from '../../state/download';
import './plots.css';

export interface PlotlyChartProps {
  data: Trace[];
  layout: FigureLayout;
  /** Put on the plot container, for tests and the App. */
  testId: string;
  /** Accessible name of the figure, e.g. "Training loss over steps". */
  label: string;
  /** Text alternative (a sentence or a small table) with the current values. */
  summary: ReactNode;
  /** CSS height of the plot area; the width follows the container. */
  height?: number | string;
  /** Minimum time between redraws. */
  minIntervalMs?: number;
  config?: Partial<Config>;
  /**
   * Called with the x span of a box dragged in `dragmode: 'select'` and the id of the y axis it
   * was drawn on ("y", "y2", …), so a panel can turn a drag into a setting.
   */
  onSelectSpan?: (span: [number, number], yAxis: string) => void;
}

/** The part of Plotly's selection event this component reads. */
interface SelectionEvent {
  range?: Record<string, [number, number]>;
}

/**
 * Nothing in the toolbar may send anything off the page (Plotly 4 offers "Share chart…" to its
 * cloud by default); image and data export are our own buttons below the plot.
 */
const BASE_CONFIG: Partial<Config> = {
  responsive: true,
  displaylogo: false,
  showSendToCloud: false,
  modeBarButtonsToRemove: ['lasso2d', 'select2d', 'toImage', 'sendChartToCloud'],
};

/** The page's phone layout (App.tsx uses the same width for its tabs). */
const PHONE_QUERY = '(max-width: 799px)';

export function PlotlyChart({
  data,
  layout,
  testId,
  label,
  summary,
  height = 240,
  minIntervalMs = 250,
  config,
  onSelectSpan,
}: PlotlyChartProps) {
  const theme = usePlotTheme();
  const divRef = useRef<HTMLDivElement>(null);
  const latest = useRef<Figure | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastDraw = useRef(0);
  const alive = useRef(true);
  // On a phone the toolbar would sit over the legend (drawn above the plot): it goes, and the
  // Export disclosure and a double tap (reset zoom) remain.
  const phone = useMediaQuery(PHONE_QUERY);
  const fullConfig = useMemo(
    () => ({ ...BASE_CONFIG, ...(phone ? { displayModeBar: false } : {}), ...config }),
    [config, phone],
  );
  const configRef = useRef(fullConfig);
  /** The bundle that drew the div last: only it may resize, export or purge what it drew. */
  const drawnWith = useRef<PlotlyBundle | null>(null);
  const onSelect = useRef(onSelectSpan);
  /** Whether the div drawn now carries our selection listener (a purge removes it). */
  const listening = useRef(false);

  const draw = useRef(async () => {
    timer.current = null;
    const el = divRef.current;
    const fig = latest.current;
    if (!el || !fig || !alive.current) return;
    lastDraw.current = performance.now();
    const bundle = bundleFor(fig.data);
    const Plotly = await loadPlotly(bundle);
    if (!alive.current || divRef.current !== el) return;
    const previous = drawnWith.current;
    if (previous !== null && previous !== bundle) {
      (await loadPlotly(previous)).purge(el);
      // purge forgets the figure but can leave the WebGL scene's nodes behind.
      el.replaceChildren();
      listening.current = false;
    }
    drawnWith.current = bundle;
    const plot = await Plotly.react(el, fig.data, fig.layout, configRef.current);
    if (!listening.current) {
      listening.current = true;
      plot.on('plotly_selected', (ev: unknown) => {
        const range = (ev as SelectionEvent | undefined)?.range;
        const x = range?.x;
        const yAxis = range && Object.keys(range).find((key) => key.startsWith('y'));
        if (x && yAxis) onSelect.current?.([x[0], x[1]], yAxis);
      });
    }
  });

  useEffect(() => {
    onSelect.current = onSelectSpan;
  }, [onSelectSpan]);

  useEffect(() => {
    configRef.current = fullConfig;
    latest.current = { data, layout: themedLayout({ autosize: true, ...layout }, theme) };
    if (timer.current !== null) return;
    const wait = Math.max(0, lastDraw.current + minIntervalMs - performance.now());
    timer.current = setTimeout(() => void draw.current(), wait);
  }, [data, layout, theme, minIntervalMs, fullConfig]);

  useEffect(() => {
    alive.current = true;
    const el = divRef.current;
    let observer: ResizeObserver | undefined;
    if (el && typeof ResizeObserver === 'function') {
      // config.responsive only reacts to window resizes; panels also resize when the grid reflows.
      observer = new ResizeObserver(() => {
        const bundle = drawnWith.current;
        if (bundle === null) return;
        void loadPlotly(bundle).then((Plotly) => {
          if (alive.current && el.querySelector('.main-svg')) void Plotly.Plots.resize(el);
        });
      });
      observer.observe(el);
    }
    return () => {
      alive.current = false;
      observer?.disconnect();
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
      const bundle = drawnWith.current;
      if (el && bundle !== null) void loadPlotly(bundle).then((Plotly) => Plotly.purge(el));
    };
  }, []);

  const exportImage = async (format: 'png' | 'svg'): Promise<void> => {
    const el = divRef.current;
    const bundle = drawnWith.current;
    if (!el || bundle === null || !el.querySelector('.main-svg')) return;
    const Plotly = await loadPlotly(bundle);
    await Plotly.downloadImage(el, {
      format,
      filename: fileStem(label),
      width: el.clientWidth,
      height: el.clientHeight,
    });
  };

  return (
    <figure className="nm-chart" aria-label={label}>
      <div ref={divRef} className="nm-chart-plot" data-testid={testId} style={{ height }} />
      {/* One tab stop per plot: the three formats sit behind an "Export" disclosure. */}
      <details className="nm-chart-export">
        <summary aria-label={`Export ${label}`}>Export</summary>
        <div role="group" aria-label={`Export formats of ${label}`}>
          <button
            type="button"
            aria-label={`Download ${label} as PNG`}
            onClick={() => void exportImage('png')}
          >
            PNG
          </button>
          <button
            type="button"
            aria-label={`Download ${label} as SVG`}
            onClick={() => void exportImage('svg')}
          >
            SVG
          </button>
          <button
            type="button"
            aria-label={`Download the data of ${label} as CSV`}
            onClick={() => downloadText(figureCsv(data), `${fileStem(label)}.csv`, 'text/csv')}
          >
            CSV
          </button>
        </div>
      </details>
      <figcaption className="nm-visually-hidden" aria-live="polite">
        {summary}
      </figcaption>
    </figure>
  );
}
