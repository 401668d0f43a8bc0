/**
 * The neuromodulatory signal s(t): one subplot per component, trials coloured by condition, cue
 * markers, aligned to trial start or to a task event; ablated traces over the intact ghost, with
 * the ablation window shaded.
 */
import { useMemo } from 'react';
import type { EvalView } from '../../worker/protocol';
import type { Ablation } from '../../core/models/types';
import { PlotlyChart } from '../plots/PlotlyChart';
import { alignmentOptions, resolveAlignment, type Alignment } from '../plots/alignment';
import { evalFamily } from '../plots/evalData';
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
}

export function SignalPanel({
  evalView,
  alignment,
  onAlignmentChange,
  ablation,
  rowHeight = 72,
}: SignalPanelProps) {
  const theme = usePlotTheme();
  const family = evalView ? evalFamily(evalView) : undefined;
  const options = alignmentOptions(family);
  const effective = resolveAlignment(family, alignment).value;
  const fig = useMemo(
    () =>
      evalView?.s && evalView.K > 0
        ? signalFigure(evalView, { alignment, ablation, theme })
        : undefined,
    [evalView, alignment, ablation, theme],
  );
  const K = Math.min(evalView?.K ?? 0, MAX_COMPONENTS);

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
    <Panel title="Modulation s(t)" testId="signal-panel" help={PANEL_HELP.signal} actions={picker}>
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
          <PlotlyChart
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
