/**
 * "What am I looking at?" for every panel, in plain words. The science behind each sentence is in
 * the project's docs/SCIENCE.md and the paper (Costacurta et al., NeurIPS 2024); the figures cited
 * are the paper's.
 */
export const PANEL_HELP = {
  training:
    'Play trains the network on the task, one gradient step at a time; the step counter and speed show how far it has got. "Train" chooses which parameters learn; "Schedule" can follow the paper’s stages (first the output network, then the neuromodulatory subnetwork, then everything).',
  task: 'The behaviour the network must learn. Measure-Wait-Go: after measure and wait cues an interval I apart, ramp the output up over the same interval after go. Cognitive tasks: report a direction (or its opposite) after a delay. Element Finder: remember a sequence and return the element a query asked for.',
  model:
    'The NM-RNN is two networks: a small neuromodulatory subnetwork z that reads the inputs and emits s(t), and a larger output network x whose recurrence has R fixed rank-1 directions, each scaled by one entry of s(t). The baselines (low-rank RNN, vanilla RNN, LSTM) are sized to the same number of parameters.',
  output:
    'The network’s output on the evaluation trials against the target. Untrained intervals (shorter and longer than the trained 12–18) test whether the network extrapolates.',
  signal:
    's(t) is the neuromodulatory signal: each component is the gain, between 0 and 1, of one rank-1 direction of the recurrence. A gain near 1 lets activity along that direction persist; near 0 it decays in about τx steps — like an LSTM’s forget gate (paper, Fig. 2). In the timing task, watch how the components switch at the cues and how their level sets the ramp’s speed (paper, Fig. 3).',
  loss: 'The training loss (mean squared error on each step’s batch) and the task’s own measures on the fixed evaluation set, over training steps. A preset opened trained shows how it got there.',
  ablation:
    'Clamping s_k to a fixed value removes that component’s modulation without retraining, over the whole trial or a window. A window counts from trial start or from a task event such as the go cue, which moves from trial to trial; “Drag a window” on the s(t) plot sets one by dragging across a component’s row. If behaviour breaks in a specific way, that component carried that part of the computation (paper, Fig. 3: one component stops the ramp, another sets its speed).',
  pca: 'The population activity x(t) of every evaluation trial projected onto its first principal components, so trajectories of different conditions can be compared. Rotate the 3-D view; colours follow the conditions of the other plots.',
} as const;

export type PanelHelpKey = keyof typeof PANEL_HELP;
