/** The playground's panels. Each renders from protocol data + config and reports user actions. */
export { Panel } from './Panel';
export type { PanelProps } from './Panel';
export { TrainingControls, STAGE_LABELS } from './TrainingControls';
export type { TrainingControlsProps, TrainStage } from './TrainingControls';
export { LossPanel } from './LossPanel';
export type { LossPanelProps } from './LossPanel';
export { AblationPanel } from './AblationPanel';
export { ablationReadout } from './ablationReadout';
export type { AblationPanelProps } from './AblationPanel';
export * from './ablationEdit';
export { PlotlyChart } from '../plots/PlotlyChart';
export type { PlotlyChartProps } from '../plots/PlotlyChart';
