/**
 * Named, complete configurations for the paper's experiments. Sizes are the parameter-matched
 * sets of science.md §1.5; learning rates and optimisers follow §3; task settings follow §2.
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
}

const mwg = DEFAULT_EXPERIMENT;

const multitask = withOverrides(DEFAULT_EXPERIMENT, {
  task: { family: 'multitask' },
  // science.md §1.2: context NM-RNN N100 R3 M20; §3: multitask lr 1e-3. The batch size is not
  // given in science.md; 64 fresh trials per step is our choice.
  model: { M: 20 },
  training: { lr: 1e-3, batchSize: 64, steps: 20000 },
});

// science.md §1.3: the authors' EFT variant — feedback, 1/N recurrence, no orthonormalisation,
// no readout bias, τx 2, τz 10, its own init; §2.3: Adam lr 0.01 ε 1e-7, fresh batches of 128.
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
    source: 'science.md §1.1, §2.1; 1059 parameters',
  },
  {
    name: 'mwg-nmrnn-rank1',
    title: 'MWG: rank-1 NM-RNN',
    question: 'Does one modulated direction suffice, and does s(t) follow the rank-1 theory?',
    config: withOverrides(mwg, { model: { R: 1 } }),
    source: 'science.md §4 (rank-1 theory)',
  },
  {
    name: 'mwg-lrrnn',
    title: 'MWG: low-rank RNN (N106, R3)',
    question: 'Without a neuromodulator, how far do the ramps extrapolate?',
    config: withOverrides(mwg, { model: { ...baselineModel, kind: 'lrrnn', N: 106 } }),
    source: 'science.md §1.4, §1.5; 1061 parameters',
  },
  {
    name: 'mwg-lrrnn-paper',
    title: "MWG: low-rank RNN, the authors' 1/N recurrence (N106, R3)",
    question: "The paper's own baseline: does dividing the recurrence by N change how it times?",
    config: withOverrides(mwg, {
      model: { ...baselineModel, kind: 'lrrnn', N: 106, recurrentScale: 'invN' },
    }),
    source: 'docs/SCIENCE.md "Protocols"; paper, Fig. 3; 1061 parameters',
  },
  {
    name: 'mwg-rnn',
    title: 'MWG: vanilla RNN (N31)',
    question: 'Does a full-rank RNN of the same size time intervals as well?',
    config: withOverrides(mwg, {
      model: { ...baselineModel, kind: 'rnn', N: 31 },
      training: { lr: 1e-3 },
    }),
    source: 'science.md §1.4, §1.5; 1086 parameters; lr 1e-3 (§3)',
  },
  {
    name: 'mwg-lstm',
    title: 'MWG: LSTM (N15)',
    question: 'The LSTM fits the trained intervals: does it extrapolate?',
    config: withOverrides(mwg, { model: { ...baselineModel, kind: 'lstm', N: 15 } }),
    source: 'science.md §1.4, §1.5; 1155 parameters',
  },
  {
    name: 'multitask-nmrnn',
    title: 'Cognitive tasks: context NM-RNN (N100, R3, M20)',
    question: 'Can one network do Delay Pro, Delay Anti and Memory Pro by switching s?',
    config: multitask,
    source: 'science.md §1.2, §2.2',
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
    source: 'docs/SCIENCE.md "Retraining"; paper, Fig. 4',
  },
  {
    name: 'multitask-lrrnn',
    title: 'Cognitive tasks: low-rank RNN (N100, R3)',
    question: 'How does a low-rank RNN with the context as plain input compare?',
    config: withOverrides(multitask, { model: { ...baselineModel, kind: 'lrrnn' } }),
    source: 'science.md §1.5',
  },
  {
    name: 'multitask-rnn',
    title: 'Cognitive tasks: vanilla RNN (N18)',
    question: 'A small full-rank RNN on the same three tasks',
    config: withOverrides(multitask, { model: { ...baselineModel, kind: 'rnn', N: 18 } }),
    source: 'science.md §1.5',
  },
  {
    name: 'multitask-lstm',
    title: 'Cognitive tasks: LSTM (N8)',
    question: 'A small LSTM on the same three tasks',
    config: withOverrides(multitask, { model: { ...baselineModel, kind: 'lstm', N: 8 } }),
    source: 'science.md §1.5',
  },
  {
    name: 'eft-nmrnn',
    title: 'Element Finder: NM-RNN with feedback (M5, N18, R8)',
    question: 'Can ~500 parameters remember which element was asked for?',
    config: eft,
    source: 'science.md §1.3, §2.3',
  },
  {
    name: 'eft-nmrnn-n13r12',
    title: 'Element Finder: NM-RNN with feedback (M5, N13, R12)',
    question: 'Trade width for rank: does a higher-rank, narrower network do better?',
    config: withOverrides(eft, { model: { N: 13, R: 12 } }),
    source: 'science.md §1.5',
  },
  {
    name: 'eft-nmrnn-m10',
    title: 'Element Finder: NM-RNN with feedback (M10, N12, R7)',
    question: 'Does a larger neuromodulator help?',
    config: withOverrides(eft, { model: { M: 10, N: 12, R: 7 } }),
    source: 'science.md §1.5',
  },
  {
    name: 'eft-lstm',
    title: 'Element Finder: LSTM (N10)',
    question: 'The gated baseline at 490 parameters',
    config: withOverrides(eft, {
      model: { ...baselineModel, kind: 'lstm', N: 10, tauX: 10, tauZ: 100 },
    }),
    source: 'science.md §1.5',
  },
  {
    name: 'eft-rnn',
    title: 'Element Finder: vanilla RNN (N21)',
    question: 'Without gates or modulation, does a vanilla RNN fail?',
    config: withOverrides(eft, {
      model: { ...baselineModel, kind: 'rnn', N: 21, tauX: 2, tauZ: 100 },
    }),
    source: 'science.md §2.3, §5; N21 = 484 parameters, closest to the ~490 of the others',
  },
];

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
