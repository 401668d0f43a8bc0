/**
 * Named, complete configurations for the paper's experiments. Sizes are the parameter-matched
 * sets of docs/SCIENCE.md §1.5; learning rates and optimisers follow §3; task settings follow §2.
 */
import { DEFAULT_EXPERIMENT, withOverrides, type ExperimentConfig } from './schema';

export interface Preset {
  name: string;
  /** Short title for the gallery card. */
  title: string;
  /** The one-line question the preset invites a user to answer. */
  question: string;
  config: ExperimentConfig;
  /** Where the numbers come from. */
  source: string;
  /** Two or three things to try that show the preset's point, in order. */
  guide: string[];
}

const mwg = DEFAULT_EXPERIMENT;

const multitask = withOverrides(DEFAULT_EXPERIMENT, {
  task: { family: 'multitask' },
  // docs/SCIENCE.md §1.2: context NM-RNN N100 R3 M20; §3: multitask lr 1e-3. Our clean protocol
  // draws 64 fresh trials per step; the paper protocol (reproduce jobs) uses pools and batch 100.
  model: { M: 20 },
  training: { lr: 1e-3, batchSize: 64, steps: 20000 },
});

// docs/SCIENCE.md §1.3: the authors' EFT variant — feedback, 1/N recurrence, no orthonormalisation,
// no readout bias, τx 2, τz 10, its own init; §3: Adam lr 0.01 ε 1e-7, fresh batches of 128.
const eft = withOverrides(DEFAULT_EXPERIMENT, {
  task: { family: 'eft' },
  model: {
    kind: 'nmrnn',
    feedback: true,
    recurrentScale: 'invN',
    orthonormalize: false,
    readoutBias: false,
    init: 'eft',
    tauX: 2,
    tauZ: 10,
    M: 5,
    N: 18,
    R: 8,
  },
  training: {
    optimizer: 'adam',
    lr: 0.01,
    eps: 1e-7,
    weightDecay: 0,
    batchSize: 128,
    steps: 20000,
  },
});

const baselineModel = {
  feedback: false,
  orthonormalize: true,
  recurrentScale: 'one',
  readoutBias: true,
  init: 'paper',
} as const;

export const PRESETS: Preset[] = [
  {
    name: 'mwg-nmrnn',
    title: 'MWG: NM-RNN (N100, R3, M5)',
    question: 'Which s component sets the interval?',
    config: mwg,
    source: 'Paper, Fig. 3; 1,059 parameters',
    guide: [
      'Look at Output: each ramp rises over its own interval I, including the untrained 4–10 and 20–26 (the shipped model produces 4→6, 26→27).',
      'Open Ablation and clamp s₁ to 0: no ramp reaches the top. Clamp s₂ to 0 instead: every interval comes out 28–39 steps. s₃ = 0: every interval comes out shorter. Each component carries its own part of the timing (paper, Fig. 3).',
      'Look at s(t) aligned to go: the components switch at the cues, and their level during the ramp differs by interval.',
    ],
  },
  {
    name: 'mwg-nmrnn-rank1',
    title: 'MWG: rank-1 NM-RNN',
    question: 'Does one modulated direction suffice, and does s(t) follow the rank-1 theory?',
    config: withOverrides(mwg, { model: { R: 1 } }),
    source: 'Paper, Fig. 2 (rank-1 theory)',
    guide: [
      'With one modulated direction, watch s(t) during each ramp: the theory says shorter intervals need a different gain than longer ones.',
      'Clamp s to 0 in Ablation: with a single direction, the whole timing behaviour depends on it.',
    ],
  },
  {
    name: 'mwg-nmrnn-rank1-linear',
    title: 'MWG: linear rank-1 NM-RNN',
    question: 'In a linear network, is s(t) exactly what the rank-1 theory asks for?',
    config: withOverrides(mwg, { model: { R: 1, activation: 'linear' } }),
    source: 'Paper, Fig. 2 (rank-1 theory, linear network)',
    guide: [
      'Look at s(t) aligned to go: during each ramp s sets how fast activity along the one modulated direction grows; shorter intervals need a different level than longer ones.',
      'Compare with the tanh rank-1 preset: trained with the authors’ staged schedule, this linear network’s s(t) follows the exact theory within an RMS error of 0.02–0.04 over the ramps in four of five seeds; the tanh network’s is 0.14–0.37 away (the project’s reproduction runs).',
    ],
  },
  {
    name: 'mwg-nmrnn-rank1-symmetric',
    title: 'MWG: linear, symmetric rank-1 NM-RNN',
    question: 'When the one direction reads what it writes (V ≡ L̃), is s(t) a leak rate?',
    config: withOverrides(mwg, { model: { R: 1, activation: 'linear', symmetric: true } }),
    source: 'Paper, Fig. 2 (rank-1 theory: linear, symmetric network)',
    guide: [
      'Here the recurrence is s(t)·ℓℓᵀ with ℓ of unit length, so activity along ℓ leaks at the rate (1 − s)/τ: s near 1 holds it, s near 0 lets it leak, and no s in (0, 1) can make it grow (docs/SCIENCE.md §4).',
      'Look at s(t) aligned to go and compare it with the linear preset, whose V is free: there the exact theory’s s stays inside (0, 1) and the trained s follows it; here the theory asks for s outside (0, 1) over part of the ramps (the project’s reproduction runs), which a sigmoid cannot give.',
    ],
  },
  {
    name: 'mwg-lrrnn',
    title: 'MWG: low-rank RNN (N106, R3)',
    question: 'Without a neuromodulator, how far do the ramps extrapolate?',
    config: withOverrides(mwg, { model: { ...baselineModel, kind: 'lrrnn', N: 106 } }),
    source: 'Paper, Fig. 3 (our scale-1 variant); 1,061 parameters',
    guide: [
      'Compare Output with the NM-RNN preset: the trained intervals fit, but look at the untrained short and long ones.',
      'There is no s(t) to ablate: the recurrence is fixed once trained.',
    ],
  },
  {
    name: 'mwg-lrrnn-paper',
    title: "MWG: low-rank RNN, the authors' 1/N recurrence (N106, R3)",
    question: "The paper's own baseline: does dividing the recurrence by N change how it times?",
    config: withOverrides(mwg, {
      model: { ...baselineModel, kind: 'lrrnn', N: 106, recurrentScale: 'invN' },
    }),
    source: "Paper, Fig. 3 (the authors' baseline); 1,061 parameters",
    guide: [
      'This is the authors’ low-rank baseline (recurrence divided by N). Compare its produced intervals on 4 and 26 with the NM-RNN’s (paper: 4→10, 26→38 against 4→7, 26→29).',
      'Switch to the scale-1 variant (the mwg-lrrnn preset) to see how much the 1/N choice matters.',
    ],
  },
  {
    name: 'mwg-rnn',
    title: 'MWG: vanilla RNN (N31)',
    question: 'Does a full-rank RNN of the same size time intervals as well?',
    config: withOverrides(mwg, {
      model: { ...baselineModel, kind: 'rnn', N: 31 },
      training: { lr: 1e-3 },
    }),
    source: 'Paper, Fig. 3; 1,086 parameters; lr 1e-3',
    guide: [
      'A full-rank network of the same size: watch how slowly it learns at lr 1e-3, and how its ramps extrapolate.',
    ],
  },
  {
    name: 'mwg-lstm',
    title: 'MWG: LSTM (N15)',
    question: 'The LSTM fits the trained intervals: does it extrapolate?',
    config: withOverrides(mwg, { model: { ...baselineModel, kind: 'lstm', N: 15 } }),
    source: 'Paper, Fig. 3; 1,155 parameters',
    guide: [
      'The LSTM fits the trained intervals: check Output on I = 12–18.',
      'Now look at the untrained intervals: does the ramp length follow I outside the trained range?',
    ],
  },
  {
    name: 'multitask-nmrnn',
    title: 'Cognitive tasks: context NM-RNN (N100, R3, M20)',
    question: 'Can one network do Delay Pro, Delay Anti and Memory Pro by switching s?',
    config: multitask,
    source: 'Paper, Fig. 4',
    guide: [
      'Pick a trial of each task in Output: the fixation output holds until fix-off, then the (sin, cos) output points at the answer.',
      'In s(t), compare Pro and Anti trials: the context reaches only the neuromodulator, so s is what switches the task (paper, Fig. 4).',
      'Open the Memory Anti preset to see a fourth task learned by retraining s alone.',
    ],
  },
  {
    name: 'multitask-nmrnn-memoryanti',
    title: 'Cognitive tasks: NM-RNN after learning Memory Anti by retraining only s',
    question: 'Can a fourth task be learned by changing only the neuromodulator?',
    // Pressing Play continues what made this model: the NM subnetwork alone, on Memory Anti,
    // lr 1e-2 (paper, Fig. 4).
    config: withOverrides(multitask, {
      task: { multitask: { tasks: ['memoryAnti'], data: { poolTrials: 0, inputNoise: 0 } } },
      training: { lr: 1e-2, stage: 'nm', batchSize: 100 },
    }),
    source: 'Paper, Fig. 4 (retraining)',
    guide: [
      'This network learned Memory Anti by retraining only its neuromodulatory subnetwork; the output network is the one trained on the other three tasks.',
      'Check Memory Anti trials in Output, then the old tasks: the authors make no claim about them after retraining (no rehearsal).',
    ],
  },
  {
    name: 'multitask-lrrnn',
    title: 'Cognitive tasks: low-rank RNN (N100, R3)',
    question: 'How does a low-rank RNN with the context as plain input compare?',
    config: withOverrides(multitask, { model: { ...baselineModel, kind: 'lrrnn' } }),
    source: 'Paper, Fig. 4',
    guide: [
      'The context enters as a plain input here. Compare accuracy per task with the NM-RNN preset.',
    ],
  },
  {
    name: 'multitask-rnn',
    title: 'Cognitive tasks: vanilla RNN (N18)',
    question: 'A small full-rank RNN on the same three tasks',
    config: withOverrides(multitask, { model: { ...baselineModel, kind: 'rnn', N: 18 } }),
    source: 'Paper, Fig. 4',
    guide: [
      'A small full-rank RNN (N18) on the same three tasks: compare how far the paper’s budget gets it.',
    ],
  },
  {
    name: 'multitask-lstm',
    title: 'Cognitive tasks: LSTM (N8)',
    question: 'A small LSTM on the same three tasks',
    config: withOverrides(multitask, { model: { ...baselineModel, kind: 'lstm', N: 8 } }),
    source: 'Paper, Fig. 4',
    guide: ['A small LSTM (N8) on the same tasks: compare per-task accuracy with the NM-RNN.'],
  },
  {
    name: 'eft-nmrnn',
    title: 'Element Finder: NM-RNN with feedback (M5, N18, R8)',
    question: 'Can ~500 parameters remember which element was asked for?',
    config: eft,
    source: 'Paper, Fig. 5',
    guide: [
      'The network sees a query position, then 25 numbers, and must output the number at that position. Compare the test MSE with chance (36.7).',
      'In s(t), look at how the neuromodulator reacts to the query: with feedback from x it can gate what is stored (paper, Fig. 5).',
    ],
  },
  {
    name: 'eft-nmrnn-n13r12',
    title: 'Element Finder: NM-RNN with feedback (M5, N13, R12)',
    question: 'Trade width for rank: does a higher-rank, narrower network do better?',
    config: withOverrides(eft, { model: { N: 13, R: 12 } }),
    source: 'Paper, Fig. 5',
    guide: [
      'Same budget of ~500 parameters, narrower and higher-rank: compare its MSE with the other NM-RNN shapes.',
    ],
  },
  {
    name: 'eft-nmrnn-m10',
    title: 'Element Finder: NM-RNN with feedback (M10, N12, R7)',
    question: 'Does a larger neuromodulator help?',
    config: withOverrides(eft, { model: { M: 10, N: 12, R: 7 } }),
    source: 'Paper, Fig. 5',
    guide: ['A larger neuromodulator (M10) at the same parameter budget: compare with M5.'],
  },
  {
    name: 'eft-lstm',
    title: 'Element Finder: LSTM (N10)',
    question: 'The gated baseline at 490 parameters',
    config: withOverrides(eft, {
      model: { ...baselineModel, kind: 'lstm', N: 10, tauX: 10, tauZ: 100 },
    }),
    source: 'Paper, Fig. 5',
    guide: [
      'The gated baseline: its forget gate plays the role s plays in the NM-RNN. Compare its MSE with the NM-RNNs’.',
    ],
  },
  {
    name: 'eft-rnn',
    title: 'Element Finder: vanilla RNN (N21)',
    question: 'Without gates or modulation, does a vanilla RNN fail?',
    config: withOverrides(eft, {
      model: { ...baselineModel, kind: 'rnn', N: 21, tauX: 2, tauZ: 100 },
    }),
    source: 'Paper, Fig. 5; N21 = 484 parameters, closest to the ~490 of the others',
    guide: [
      'Without gates or modulation, the paper reports the vanilla RNN failing this task: look at its MSE against chance (36.7).',
    ],
  },
];

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
