/**
 * Initial parameter values (docs/SCIENCE.md §1.1, §1.3, §1.4). Each parameter is drawn from its own
 * named child stream of the init Rng, so adding or resizing one parameter never changes another.
 */
import type { Rng } from '../random';
import { paramSpecs } from './paramSpecs';
import type { ModelConfig, ParamArrays } from './types';

type InitRule = { normalStd: number } | { constant: number };

const normal = (std: number): InitRule => ({ normalStd: std });
const constant = (value: number): InitRule => ({ constant: value });

/**
 * The distribution of one parameter. 'paper' (§1.1): L, V ~ N(0,1); B ~ N(0,1)/√fan-in; C, d ~
 * N(0,1)/√N; W_z, A_z, b_z ~ 0.1·N(0,1); initial states 0.1·1. 'eft' (§1.3) rescales the
 * low-rank factors and the NM subnetwork and draws random fixed initial states. The feedback
 * weights use §1.3's scales under either scheme, the only ones docs/SCIENCE.md gives for them.
 */
function initRule(c: ModelConfig, name: string): InitRule {
  const { N, R, M, U } = c;
  const eft = c.init === 'eft';
  const inv = (n: number): number => 1 / Math.sqrt(n);
  if (c.kind === 'lstm') {
    if (name === 'h0' || name === 'c0') return constant(0.1);
    if (/^W[ifgo]$/.test(name)) return normal(inv(U));
    return normal(inv(N)); // U*, b*, C
  }
  switch (name) {
    case 'L':
    case 'V':
      return normal(eft ? inv(R) : 1);
    case 'W':
      return normal(1);
    case 'Bx':
      return normal(inv(c.kind === 'nmrnn' ? c.Ux : U));
    case 'Bz':
      return normal(inv(U));
    case 'C':
    case 'd':
      return normal(inv(N));
    case 'Wz':
    case 'Az':
      return normal(eft ? inv(M) : 0.1);
    case 'bz':
      return normal(eft ? inv(R) : 0.1);
    case 'Wzx':
      return normal(inv(N));
    case 'bzx':
      return normal(inv(M));
    case 'x0':
      return eft ? normal(inv(N)) : constant(0.1);
    case 'z0':
      return eft ? normal(inv(M)) : constant(0.1);
  }
  throw new Error(`no initialisation rule for ${c.kind} parameter "${name}"`);
}

/** Fresh initial values of every parameter of `config` (fixed initial states included). */
export function initialArrays(config: ModelConfig, rng: Rng): ParamArrays {
  const out: ParamArrays = {};
  for (const spec of paramSpecs(config)) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const rule = initRule(config, spec.name);
    const data =
      'constant' in rule
        ? new Float32Array(size).fill(rule.constant)
        : rng.stream(spec.name).normals(size, rule.normalStd);
    out[spec.name] = { shape: [...spec.shape], data };
  }
  return out;
}
