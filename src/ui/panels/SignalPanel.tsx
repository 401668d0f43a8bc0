/**
 * The neuromodulatory signal s(t): one subplot per component, trials coloured by condition, cue
 * markers, aligned to trial start or to a task event; ablated traces over the intact ghost, with
 * the ablation window shaded.
 */
import { useMemo, useState } from 'react';
import type { EvalView } from '../../worker/protocol';
import type { Ablation } from '../../core/models/types';
import { PlotlyChart } from '../plots/PlotlyChart';
import { alignmentOptions, resolveAlignment, type Alignment } from '../plots/alignment';
import { MAX_COMPONENTS, signalFigure, signalSummary } from '../plots/signalTraces';
import { usePlotTheme } from '../plots/useDarkMode';
import { Panel } from './Panel';
import { PANEL_HELP } from '../help/panelHelp';

export interface SignalPanelProps {
  evalView?: EvalView;
  /** Requested alignment; one that does not fit the task falls back to trial start. */
  alignment: Alignment;
  onAlignmentChange: (alignment: Alignment) => void;
  ablation?: Ablation;
  /** Height of one component's subplot, in px. */
  rowHeight?: number;
  /**
   * A span dragged across component k's row, in the plot's aligned time, and the cue that time
   * counts from (undefined: trial start). Absent: the plot offers no dragging (ablation locked).
   */
  onWindowDrag?: (k: number, span: [number, number], cue: string | undefined) => void;
}

export function SignalPanel({
  evalView,
  alignment,
  onAlignmentChange,
  ablation,
  rowHeight = 72,
  onWindowDrag,
}: SignalPanelProps) {
  const theme = usePlotTheme();
  const [dragging, setDragging] = useState(false);
  /** Bumped after each drag so Plotly forgets the drawn selection box. */
  const [drags, setDrags] = useState(0);
  const family = evalView?.family;
  const options = alignmentOptions(family);
  const option = resolveAlignment(family, alignment);
  const effective = option.value;
  const canDrag = onWindowDrag !== undefined;
  const drag = dragging && canDrag;
  const fig = useMemo(() => {
    if (!evalView?.s || evalView.K === 0) return undefined;
    const f = signalFigure(evalView, { alignment, ablation, theme });
    if (!drag) return f;
    return {
      data: f.data,
      layout: {
        ...f.layout,
        dragmode: 'select' as const,
        selectdirection: 'h' as const,
        selectionrevision: drags,
      },
    };
  }, [evalView, alignment, ablation, theme, drag, drags]);
  const K = Math.min(evalView?.K ?? 0, MAX_COMPONENTS);

  const onSelectSpan = (span: [number, number], yAxis: string) => {
    const k = yAxis === 'y' ? 0 : Number(yAxis.slice(1)) - 1;
    if (!Number.isInteger(k) || k < 0 || k >= K) return;
    onWindowDrag?.(k, span, option.cue);
    setDrags((n) => n + 1);
  };

  const dragButton =
    canDrag && fig ? (
      <button
        type="button"
        aria-pressed={drag}
        onClick={() => setDragging((d) => !d)}
        title="Then drag across one s row: that component is ablated during the span you drag"
      >
        Drag a window
      </button>
    ) : null;

  const picker = (
    <label className="nm-field">
      <span>Align to</span>
      <select
        aria-label="Align to"
        value={effective}
        onChange={(e) => onAlignmentChange(e.target.value as Alignment)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <Panel
      title="Modulation s(t)"
      testId="signal-panel"
      help={PANEL_HELP.signal}
      actions={
        <>
          {dragButton}
          {picker}
        </>
      }
    >
      {!evalView ? (
        <p className="nm-hint">s(t) appears after the first evaluation.</p>
      ) : !fig ? (
        <p className="nm-hint">
          This model has no neuromodulatory signal. Choose the NM-RNN to see s(t).
        </p>
      ) : (
        <>
          {evalView.K > MAX_COMPONENTS ? (
            <p className="nm-hint">
              Showing s1–s{MAX_COMPONENTS} of {evalView.K} components.
            </p>
          ) : null}
          {drag ? (
            <p className="nm-hint" role="status">
              Drag across an s row: that component is ablated (clamped to 0 unless you set another
              level) during the span, counted from{' '}
              {option.cue ? `the ${option.label.toLowerCase()}` : 'trial start'}.
            </p>
          ) : null}
          <PlotlyChart
            onSelectSpan={drag ? onSelectSpan : undefined}
            data={fig.data}
            layout={fig.layout}
            testId="signal-plot"
            label="Neuromodulatory signal s(t), one subplot per component"
            summary={signalSummary(evalView, effective)}
            height={70 + K * rowHeight}
          />
        </>
      )}
    </Panel>
  );
}
