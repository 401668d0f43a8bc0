/**
 * Network output vs target on the evaluation trials, live, with the behavioural readout beside it
 * (MWG produced intervals, percent correct per task, EFT error by query). An active ablation is
 * drawn over a faded intact ghost.
 */
import { useMemo, useState } from 'react';
import type { EvalView } from '../../worker/protocol';
import { PlotlyChart } from '../plots/PlotlyChart';
import { behaviourFigure, behaviourSummary } from '../plots/behaviourTraces';
import { outputFigure } from '../plots/outputTraces';
import { usePlotTheme } from '../plots/useDarkMode';
import { Panel } from './Panel';
import { PANEL_HELP } from '../help/panelHelp';

export interface OutputPanelProps {
  evalView?: EvalView;
  /**
   * Trial to show or highlight (index into evalView.meta): MWG highlights it (undefined = all);
   * cognitive tasks plot its channels (undefined = the first). Uncontrolled when no
   * onSelectTrial is given.
   */
  selectedTrial?: number;
  onSelectTrial?: (trial: number | undefined) => void;
  height?: number;
}

export function OutputPanel({
  evalView,
  selectedTrial,
  onSelectTrial,
  height = 230,
}: OutputPanelProps) {
  const theme = usePlotTheme();
  const [own, setOwn] = useState<number | undefined>(undefined);
  const requested = onSelectTrial ? selectedTrial : own;
  const select = onSelectTrial ?? setOwn;
  const family = evalView?.family;
  const selected =
    evalView && requested !== undefined && requested >= 0 && requested < evalView.B
      ? requested
      : undefined;
  const outFig = useMemo(
    () => (evalView ? outputFigure(evalView, theme, selected) : undefined),
    [evalView, theme, selected],
  );
  const behFig = useMemo(
    () => (evalView ? behaviourFigure(evalView, theme) : undefined),
    [evalView, theme],
  );
  const summary = useMemo(() => (evalView ? behaviourSummary(evalView) : ''), [evalView]);

  const picker =
    evalView && family !== 'eft' ? (
      <label className="nm-field">
        <span>Trial</span>
        <select
          aria-label="Trial"
          value={selected === undefined ? '' : String(selected)}
          onChange={(e) => select(e.target.value === '' ? undefined : Number(e.target.value))}
        >
          {family === 'mwg' ? <option value="">All intervals</option> : null}
          {evalView.meta.map((m, b) => (
            <option key={b} value={b}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
    ) : null;

  return (
    <Panel title="Output" testId="output-panel" help={PANEL_HELP.output} actions={picker}>
      {!evalView || !outFig || !behFig ? (
        <p className="nm-hint">Outputs appear after the first evaluation.</p>
      ) : (
        <>
          <PlotlyChart
            data={outFig.data}
            layout={outFig.layout}
            testId="output-plot"
            label={
              family === 'eft'
                ? 'Predicted vs true value on the evaluation trials'
                : 'Network output and target over time on the evaluation trials'
            }
            summary={`Evaluation at step ${evalView.step} on the ${evalView.setName} set (${evalView.B} trials). ${summary}`}
            height={height}
          />
          <PlotlyChart
            data={behFig.data}
            layout={behFig.layout}
            testId="behaviour-plot"
            label={
              family === 'mwg'
                ? 'Produced vs target interval'
                : family === 'multitask'
                  ? 'Decoded angle vs target, and percent correct per task'
                  : 'Final-step error by query position'
            }
            summary={summary}
            height={Math.round(height * 0.8)}
          />
        </>
      )}
    </Panel>
  );
}
