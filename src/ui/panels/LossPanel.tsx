/** Training loss and evaluation metrics over steps, live (log loss axis, % correct on the right). */
import { useMemo } from 'react';
import type { EvalPoint, LossPoint } from '../../worker/protocol';
import { PlotlyChart } from '../plots/PlotlyChart';
import { lossFigure, lossSummary } from '../plots/lossTraces';
import { usePlotTheme } from '../plots/useDarkMode';
import { Panel } from './Panel';
import { PANEL_HELP } from '../help/panelHelp';

export interface LossPanelProps {
  loss: LossPoint[];
  evals: EvalPoint[];
  height?: number;
}

export function LossPanel({ loss, evals, height = 230 }: LossPanelProps) {
  const theme = usePlotTheme();
  const fig = useMemo(() => lossFigure(loss, evals, theme), [loss, evals, theme]);
  return (
    <Panel title="Loss" testId="loss-panel" help={PANEL_HELP.loss}>
      {loss.length === 0 && evals.length === 0 ? (
        <p className="nm-hint">Press Play or Step to start training; the loss appears here.</p>
      ) : null}
      <PlotlyChart
        data={fig.data}
        layout={fig.layout}
        testId="loss-plot"
        label="Training loss and evaluation metrics over training steps"
        summary={lossSummary(loss, evals)}
        height={height}
      />
    </Panel>
  );
}
