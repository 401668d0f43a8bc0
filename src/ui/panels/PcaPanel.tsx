/**
 * x(t) in its first principal components (3-D, or 2-D), trials coloured by condition with cue
 * markers; ablated trajectories in the intact basis over faded intact ones. The camera is kept
 * across updates.
 */
import { useMemo, useState } from 'react';
import type { EvalView } from '../../worker/protocol';
import { PlotlyChart } from '../plots/PlotlyChart';
import { explainedVarianceText, pcaFigure, type PcaMode } from '../plots/pcaTraces';
import { usePlotTheme } from '../plots/useDarkMode';
import { Panel } from './Panel';
import { PANEL_HELP } from '../help/panelHelp';

export interface PcaPanelProps {
  evalView?: EvalView;
  /** Controlled view mode; uncontrolled (starting in 3-D) when no onModeChange is given. */
  mode?: PcaMode;
  onModeChange?: (mode: PcaMode) => void;
  height?: number;
}

export function PcaPanel({ evalView, mode, onModeChange, height = 320 }: PcaPanelProps) {
  const theme = usePlotTheme();
  const [own, setOwn] = useState<PcaMode>('3d');
  const current = onModeChange ? (mode ?? '3d') : own;
  const setMode = onModeChange ?? setOwn;
  const pca = evalView?.pca;
  const fig = useMemo(
    () => (evalView?.pca ? pcaFigure(evalView, { mode: current, theme }) : undefined),
    [evalView, current, theme],
  );
  const variance = pca ? explainedVarianceText(pca.explained) : '';

  const toggle = (
    <div className="nm-row" role="group" aria-label="PCA view">
      {(['3d', '2d'] as const).map((m) => (
        <button
          key={m}
          type="button"
          aria-pressed={current === m}
          className={current === m ? 'nm-primary' : undefined}
          onClick={() => setMode(m)}
        >
          {m === '3d' ? '3-D' : '2-D'}
        </button>
      ))}
    </div>
  );

  return (
    <Panel title="PCA of x(t)" testId="pca-panel" help={PANEL_HELP.pca} actions={toggle}>
      {!evalView || !fig || !pca ? (
        <p className="nm-hint">Principal components appear after the first evaluation.</p>
      ) : (
        <>
          <p className="nm-readout" data-testid="pca-variance">
            {variance}
            {pca.ablated ? ' · ablated run in the intact basis' : ''}
          </p>
          <PlotlyChart
            data={fig.data}
            layout={fig.layout}
            testId="pca-plot"
            label={`State trajectories in the first principal components (${current === '3d' ? '3-D' : '2-D'})`}
            summary={`x(t) of ${evalView.B} trials projected onto the first principal components: ${variance}.`}
            height={height}
          />
        </>
      )}
    </Panel>
  );
}
