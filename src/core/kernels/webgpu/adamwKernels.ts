/**
 * The fused clipped-AdamW step (ADAMW_UPDATE, kernels/adamwOp.ts) on WebGPU. Per parameter, three
 * element-wise programs write θ′, m′ and v′, each recomputing the clipped gradient and the moments
 * it needs (cheaper than one packed output cut into three by copies); the squared norms of the raw
 * gradients come from one program per seven of them (a program reads at most seven inputs), one
 * workgroup per gradient summing its squares by a tree reduction, the groups then joined. That is
 * 3k + ⌈k/7⌉ + (⌈k/7⌉ − 1) dispatches for k parameters, against ≈ 19 tfjs ops per parameter.
 * Arithmetic in f32, as the tfjs ops do.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { AdamWAttrs } from '../adamwOp';
import { adamwInputNames } from '../adamwOp';
import {
  asGpuBackend,
  concatFlat,
  f32,
  flatProgram,
  inputOf,
  scanProgram,
  treeReduceWgsl,
  withTemporaries,
  type GpuBackend,
  type KernelArgs,
  type ProgramUniform,
} from './gpuProgram';

const UNIFORMS =
  'count : i32, lr : f32, beta1 : f32, beta2 : f32, eps : f32, wd : f32, clip : f32, c1 : f32, c2 : f32,';

/** The clipped gradient and the new moments of element `index` (WGSL, inside main). */
const MOMENTS = `
    let gj = g[index];
    var gc = gj;
    if (uniforms.clip > 0.0) { gc = clamp(gj, -uniforms.clip, uniforms.clip); }`;
const M_NEW = 'uniforms.beta1 * m[index] + (1.0 - uniforms.beta1) * gc';
const V_NEW = 'uniforms.beta2 * v[index] + (1.0 - uniforms.beta2) * gc * gc';

type Output = 'theta' | 'm' | 'v';

const PROGRAMS: Record<Output, { inputs: string[]; body: string }> = {
  theta: {
    inputs: ['theta', 'g', 'm', 'v'],
    body: `${MOMENTS}
    let mj = ${M_NEW};
    let vj = ${V_NEW};
    let t = theta[index];
    let step = uniforms.lr * (mj / uniforms.c1) / (sqrt(vj / uniforms.c2) + uniforms.eps)
      + uniforms.lr * uniforms.wd * t;
    result[index] = t - step;`,
  },
  m: { inputs: ['g', 'm'], body: `${MOMENTS}\n    result[index] = ${M_NEW};` },
  v: { inputs: ['g', 'v'], body: `${MOMENTS}\n    result[index] = ${V_NEW};` },
};

const WG = 64;

/** Σ g² of each of `grads` (at most seven), one workgroup each: a [count] tensor. */
function sumSquares(backend: GpuBackend, grads: TensorInfo[]): TensorInfo {
  const names = grads.map((_, i) => `g${i}`);
  const sizes = grads.map((g) => g.shape.reduce((a, b) => a * b, 1));
  const branches = names
    .map(
      (n, i) => `if (w == ${i}) {
    for (var j = lid; j < uniforms.n${i}; j = j + K_WG) { let x = ${n}[j]; acc = acc + x * x; }
  }`,
    )
    .join(' else ');
  const code = `
const K_WG = ${WG};
var<workgroup> red : array<f32, ${WG}>;
fn main(index : i32) {
  let lid = i32(localId.x);
  let w = i32(workgroupId.x);
  var acc = ${f32(0)};
  ${branches}
  red[lid] = acc;${treeReduceWgsl('1')}
  if (lid == 0) { result[w] = red[0]; }
}`;
  const program = scanProgram(
    `adamwSumSquares${grads.length}`,
    names,
    grads.length,
    grads.length,
    WG,
    names.map((_, i) => `n${i} : i32,`).join(' '),
    code,
  );
  return backend.runWebGPUProgram(
    program,
    grads,
    'float32',
    sizes.map((n) => ({ type: 'int32', data: [n] })),
  );
}

/** Outputs θ′₀, m′₀, v′₀, θ′₁, … and the [k] squared gradient norms, as the host kernel. */
export function adamwWebgpuKernel(args: KernelArgs): TensorInfo[] {
  const a = args.attrs as unknown as AdamWAttrs;
  const backend = asGpuBackend(args.backend);
  const k = a.c1.length;
  const out: TensorInfo[] = [];
  const grads: TensorInfo[] = [];
  for (let i = 0; i < k; i++) {
    const [tn, gn, mn, vn] = adamwInputNames(i);
    const byName: Record<string, TensorInfo> = {
      theta: inputOf(args, tn),
      g: inputOf(args, gn),
      m: inputOf(args, mn),
      v: inputOf(args, vn),
    };
    grads.push(byName.g);
    const shape = byName.theta.shape;
    const count = shape.reduce((x, y) => x * y, 1);
    const uniforms: ProgramUniform[] = [
      { type: 'int32', data: [count] },
      ...[a.lr, a.beta1, a.beta2, a.epsilon, a.weightDecay, a.clip, a.c1[i], a.c2[i]].map(
        (x): ProgramUniform => ({ type: 'float32', data: [x] }),
      ),
    ];
    for (const which of ['theta', 'm', 'v'] as const) {
      const { inputs, body } = PROGRAMS[which];
      const program = flatProgram(`adamw_${which}`, inputs, shape, UNIFORMS, body);
      out.push(
        backend.runWebGPUProgram(
          program,
          inputs.map((n) => byName[n]),
          'float32',
          uniforms,
        ),
      );
    }
  }
  const gradSq = withTemporaries(backend, (temp) => {
    let acc: TensorInfo | undefined;
    for (let i = 0; i < k; i += 7) {
      const part = sumSquares(backend, grads.slice(i, i + 7));
      acc = acc === undefined ? part : concatFlat(backend, temp(acc), temp(part));
    }
    return acc!;
  });
  out.push({ ...gradSq, shape: [k] });
  return out;
}
