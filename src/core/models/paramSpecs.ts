/**
 * The parameters each model kind has: names, shapes (docs/SCIENCE.md §1, row-major, as stored in model
 * files), whether they are trained, and the groups used for staged training.
 */
import type { ModelConfig, ParamGroup } from './types';

export interface ParamSpec {
  name: string;
  shape: number[];
  /** False for the fixed initial states (x0, z0, h0, c0). */
  trainable: boolean;
}

const LSTM_GATES = ['i', 'f', 'g', 'o'] as const;

/** Every parameter of `config`'s model, trainable ones first, in a stable order. */
export function paramSpecs(c: ModelConfig): ParamSpec[] {
  const p = (name: string, ...shape: number[]): ParamSpec => ({ name, shape, trainable: true });
  const fixed = (name: string, n: number): ParamSpec => ({ name, shape: [n], trainable: false });
  const { N, R, M, U, Ux, O } = c;
  switch (c.kind) {
    case 'nmrnn':
    case 'lrrnn': {
      const specs = [p('L', N, R)];
      if (!c.symmetric) specs.push(p('V', N, R));
      specs.push(p('Bx', N, c.kind === 'nmrnn' ? Ux : U));
      specs.push(p('C', O, N));
      if (c.readoutBias) specs.push(p('d', O));
      if (c.kind === 'lrrnn') return [...specs, fixed('x0', N)];
      specs.push(p('Wz', M, M), p('Bz', M, U), p('Az', R, M), p('bz', R));
      if (c.feedback) specs.push(p('Wzx', M, N), p('bzx', M));
      return [...specs, fixed('x0', N), fixed('z0', M)];
    }
    case 'rnn': {
      const specs = [p('W', N, N), p('Bx', N, U), p('C', O, N)];
      if (c.readoutBias) specs.push(p('d', O));
      return [...specs, fixed('x0', N)];
    }
    case 'lstm':
      return [
        ...LSTM_GATES.map((g) => p(`W${g}`, N, U)),
        ...LSTM_GATES.map((g) => p(`U${g}`, N, N)),
        ...LSTM_GATES.map((g) => p(`b${g}`, N)),
        p('C', O, N),
        fixed('h0', N),
        fixed('c0', N),
      ];
  }
}

const NM_NAMES = new Set(['Wz', 'Bz', 'Az', 'bz', 'Wzx', 'bzx']);

/**
 * Trainable names per group. 'nm' is the NM subnetwork; 'output' the output-generating network (all
 * of a baseline); 'input' the weights the multitask protocol retrains when a task is added: B_z
 * for the NM-RNN, the input weights for the baselines (docs/SCIENCE.md §2.2).
 */
export function paramGroups(c: ModelConfig): Record<ParamGroup, string[]> {
  const all = paramSpecs(c)
    .filter((s) => s.trainable)
    .map((s) => s.name);
  const nm = all.filter((n) => NM_NAMES.has(n));
  const output = all.filter((n) => !NM_NAMES.has(n));
  let input: string[];
  if (c.kind === 'nmrnn') input = ['Bz'];
  else if (c.kind === 'lstm') input = LSTM_GATES.map((g) => `W${g}`);
  else input = ['Bx'];
  return { all, nm, output, input };
}
