/**
 * WGSL for the NM-RNN and low-rank RNN scans: the same recurrence and BPTT as cpu/nmrnnScan.ts,
 * the whole of it in one dispatch each way, one workgroup per trial looping over time.
 *
 * Per step, forward: every invocation forms φ(x_{t−1}) for its units and its share of the R
 * sums Vᵀφ(x) (and, with feedback, the M sums W_zx φ(x)), which one tree reduction in workgroup
 * memory completes; NM unit m = lid updates z_m, component k = lid forms s_k and w_k = s_k·q_k;
 * then every invocation updates its units of x from L̃ w. Backward mirrors it, with the R sums of
 * Vᵀφ(x) and L̃ᵀg_x reduced together, and each invocation accumulates the gradients of the
 * parameters it owns in registers, written once per trial into a [B, P] block that the kernel
 * sums over trials.
 *
 * Sizes are compile-time constants (workgroup arrays need them); T, B and the time constants are
 * uniforms, so a change of batch, trial length or τ reuses the compiled pipeline.
 */
import { nmrnnLayout, type NmrnnDims } from '../layout';
import {
  activationsWgsl,
  SCAN_PROLOGUE,
  scanProgram,
  treeReduceWgsl,
  type GpuProgram,
} from './gpuProgram';
import type { WorkgroupPlan } from './sizing';

/** The uniforms both programs declare, in this order (see nmrnnUniforms). */
const UNIFORMS = 'steps : i32, batch : i32, ax : f32, cx : f32, rs : f32, az : f32, cz : f32,';

function constants(d: NmrnnDims, plan: WorkgroupPlan): string {
  const lay = nmrnnLayout(d);
  const { N, R, M } = d;
  return `
const K_N = ${N};
const K_R = ${R};
const K_M = ${M};
const K_MM = ${Math.max(M, 1)};
const K_P = ${lay.size};
const K_WG = ${plan.WG};
const K_UPT = ${plan.UPT};
const O_L = ${lay.Lt};
const O_V = ${lay.V};
const O_WZ = ${lay.Wz};
const O_AZ = ${lay.Az};
const O_BZ = ${lay.bz};
const O_WZX = ${lay.Wzx};
const O_X0 = ${lay.x0};
const O_Z0 = ${lay.z0};
${activationsWgsl()}`;
}

function key(kind: string, d: NmrnnDims, plan: WorkgroupPlan): string {
  return `nmrnn${kind}_N${d.N}_R${d.R}_M${d.M}_fb${d.feedback ? 1 : 0}_wg${plan.WG}`;
}

/**
 * Forward. Inputs driveX [B,T,N], params (nmrnnLayout), and with M > 0 driveZ [B,T,M], mul and add
 * [T,R]. Output, flat: x [B,T,N], then (M > 0) z [B,T,M], then s [B,T,R].
 */
export function nmrnnForwardProgram(
  d: NmrnnDims,
  B: number,
  T: number,
  plan: WorkgroupPlan,
): GpuProgram {
  const { N, R, M, feedback } = d;
  const nm = M > 0;
  const rows = R + (feedback ? M : 0);
  const partials = `
      for (var r = 0; r < K_R; r++) {
        part[r] = part[r] + params[O_V + n * K_R + r] * p;
      }${
        feedback
          ? `
      for (var m = 0; m < K_M; m++) {
        part[K_R + m] = part[K_R + m] + params[O_WZX + m * K_N + n] * p;
      }`
          : ''
      }`;
  const nmStep = nm
    ? `
    if (lid < K_M) {
      var acc = driveZ[bt * K_M + lid];
      for (var j = 0; j < K_M; j++) {
        acc = acc + params[O_WZ + lid * K_M + j] * phz[j];
      }${feedback ? '\n      acc = acc + red[(K_R + lid) * K_WG];' : ''}
      let zn = uniforms.cz * zsh[lid] + uniforms.az * acc;
      zsh[lid] = zn;
      result[zBase + bt * K_M + lid] = zn;
    }
    workgroupBarrier();
    if (lid < K_R) {
      var pre = params[O_BZ + lid];
      for (var m = 0; m < K_M; m++) {
        pre = pre + params[O_AZ + lid * K_M + m] * zsh[m];
      }
      let s = nm_sigmoid(pre) * mulT[bt * K_R + lid] + addT[bt * K_R + lid];
      result[sBase + bt * K_R + lid] = s;
      w[lid] = s * red[lid * K_WG];
    }
    if (lid < K_M) {
      phz[lid] = nm_tanh(zsh[lid]);
    }
    workgroupBarrier();`
    : `
    if (lid < K_R) {
      w[lid] = red[lid * K_WG];
    }
    workgroupBarrier();`;

  const code = `${constants(d, plan)}
const K_ROWS = ${rows};
var<workgroup> red : array<f32, ${rows * plan.WG}>;
var<workgroup> w : array<f32, K_R>;
var<workgroup> zsh : array<f32, K_MM>;
var<workgroup> phz : array<f32, K_MM>;

fn main(index : i32) {${SCAN_PROLOGUE}
  let zBase = uniforms.batch * T * K_N;
  let sBase = zBase + uniforms.batch * T * K_M;
  var x : array<f32, K_UPT>;
  for (var u = 0; u < K_UPT; u++) {
    let n = lid + u * K_WG;
    if (n < K_N) {
      x[u] = params[O_X0 + n];
    }
  }
  if (lid < K_M) {
    zsh[lid] = params[O_Z0 + lid];
    phz[lid] = nm_tanh(zsh[lid]);
  }
  for (var t = 0; t < T; t++) {
    let bt = b * T + t;
    var part : array<f32, K_ROWS>;
    for (var r = 0; r < K_ROWS; r++) {
      part[r] = 0.0;
    }
    for (var u = 0; u < K_UPT; u++) {
      let n = lid + u * K_WG;
      if (n < K_N) {
        let p = nm_tanh(x[u]);${partials}
      }
    }
    for (var r = 0; r < K_ROWS; r++) {
      red[r * K_WG + lid] = part[r];
    }${treeReduceWgsl('K_ROWS')}${nmStep}
    for (var u = 0; u < K_UPT; u++) {
      let n = lid + u * K_WG;
      if (n < K_N) {
        var acc = 0.0;
        for (var r = 0; r < K_R; r++) {
          acc = acc + params[O_L + n * K_R + r] * w[r];
        }
        let xn = uniforms.cx * x[u] + uniforms.rs * acc + uniforms.ax * driveX[bt * K_N + n];
        x[u] = xn;
        result[bt * K_N + n] = xn;
      }
    }
    workgroupBarrier();
  }
}`;
  const names = nm ? ['driveX', 'driveZ', 'params', 'mulT', 'addT'] : ['driveX', 'params'];
  const size = B * T * (N + (nm ? M + R : 0));
  return scanProgram(key('Fwd', d, plan), names, size, B, plan.WG, UNIFORMS, code);
}

/**
 * Backward. Inputs, M > 0: pm = params ‖ mul (flat), trX, trZ, trS, dyX, dyZ, dyS (seven, the
 * most a program may have; `add` is not needed, s is read back). M = 0: params, trX, dyX.
 * Output, flat: g driveX [B,T,N], (M > 0) g driveZ [B,T,M], then per-trial parameter gradients
 * [B, P] (trial-major) from offset partialsOffset.
 */
export function nmrnnBackwardProgram(
  d: NmrnnDims,
  B: number,
  T: number,
  plan: WorkgroupPlan,
): { program: GpuProgram; partialsOffset: number } {
  const { N, R, M, feedback } = d;
  const nm = M > 0;
  const P = nmrnnLayout(d).size;
  const partialsOffset = B * T * (N + M);
  const pv = nm ? 'pm' : 'params';
  const fbMem = feedback ? `\n  var gWzx : array<f32, ${plan.UPT * M}>;` : '';

  const code = `${constants(d, plan)}
const K_PO = ${partialsOffset};
var<workgroup> red : array<f32, ${2 * R * plan.WG}>;
var<workgroup> sq : array<f32, K_R>;
var<workgroup> dqs : array<f32, K_R>;
var<workgroup> dpre : array<f32, K_R>;
var<workgroup> zc : array<f32, K_MM>;
var<workgroup> phzp : array<f32, K_MM>;
var<workgroup> rzs : array<f32, K_MM>;

fn main(index : i32) {${SCAN_PROLOGUE}
  let gzBase = uniforms.batch * T * K_N;
  let mulBase = K_P;
  var ph : array<f32, K_UPT>;
  var gx : array<f32, K_UPT>;
  var gxc : array<f32, K_UPT>;
  var dpx : array<f32, K_UPT>;
  var gL : array<f32, ${plan.UPT * R}>;
  var gV : array<f32, ${plan.UPT * R}>;${fbMem}
  var gWzRow : array<f32, K_MM>;
  var gAzRow : array<f32, K_MM>;
  var gzc = 0.0;
  var gzOwn = 0.0;
  var gbz = 0.0;
  for (var tt = 0; tt < T; tt++) {
    let t = T - 1 - tt;
    let bt = b * T + t;
    var part : array<f32, ${2 * R}>;
    for (var r = 0; r < 2 * K_R; r++) {
      part[r] = 0.0;
    }
    for (var u = 0; u < K_UPT; u++) {
      let n = lid + u * K_WG;
      if (n < K_N) {
        var xp = 0.0;
        if (t > 0) {
          xp = trX[(bt - 1) * K_N + n];
        } else {
          xp = ${pv}[O_X0 + n];
        }
        let p = nm_tanh(xp);
        ph[u] = p;
        let g = dyX[bt * K_N + n] + gxc[u];
        gx[u] = g;
        result[bt * K_N + n] = uniforms.ax * g;
        for (var r = 0; r < K_R; r++) {
          part[r] = part[r] + ${pv}[O_V + n * K_R + r] * p;
          part[K_R + r] = part[K_R + r] + ${pv}[O_L + n * K_R + r] * g;
        }
      }
    }
    for (var r = 0; r < 2 * K_R; r++) {
      red[r * K_WG + lid] = part[r];
    }${
      nm
        ? `
    if (lid < K_M) {
      zc[lid] = trZ[bt * K_M + lid];
      var zp = 0.0;
      if (t > 0) {
        zp = trZ[(bt - 1) * K_M + lid];
      } else {
        zp = pm[O_Z0 + lid];
      }
      phzp[lid] = nm_tanh(zp);
    }`
        : ''
    }${treeReduceWgsl('2 * K_R')}
    if (lid < K_R) {
      let q = red[lid * K_WG];
      let dw = uniforms.rs * red[(K_R + lid) * K_WG];${
        nm
          ? `
      let s = trS[bt * K_R + lid];
      let ds = dyS[bt * K_R + lid] + dw * q;
      var pre = pm[O_BZ + lid];
      for (var m = 0; m < K_M; m++) {
        pre = pre + pm[O_AZ + lid * K_M + m] * zc[m];
      }
      let sr = nm_sigmoid(pre);
      let dp = ds * pm[mulBase + bt * K_R + lid] * sr * (1.0 - sr);
      dpre[lid] = dp;
      gbz = gbz + dp;
      for (var m = 0; m < K_M; m++) {
        gAzRow[m] = gAzRow[m] + dp * zc[m];
      }`
          : `
      let s = 1.0;`
      }
      sq[lid] = s * q;
      dqs[lid] = dw * s;
    }
    workgroupBarrier();
    for (var u = 0; u < K_UPT; u++) {
      let n = lid + u * K_WG;
      if (n < K_N) {
        var acc = 0.0;
        for (var r = 0; r < K_R; r++) {
          gL[u * K_R + r] = gL[u * K_R + r] + uniforms.rs * gx[u] * sq[r];
          gV[u * K_R + r] = gV[u * K_R + r] + ph[u] * dqs[r];
          acc = acc + ${pv}[O_V + n * K_R + r] * dqs[r];
        }
        dpx[u] = acc;
      }
    }${
      nm
        ? `
    if (lid < K_M) {
      var gz = dyZ[bt * K_M + lid] + gzc;
      for (var k = 0; k < K_R; k++) {
        gz = gz + pm[O_AZ + k * K_M + lid] * dpre[k];
      }
      gzOwn = gz;
      let rz = uniforms.az * gz;
      rzs[lid] = rz;
      result[gzBase + bt * K_M + lid] = rz;
      for (var j = 0; j < K_M; j++) {
        gWzRow[j] = gWzRow[j] + rz * phzp[j];
      }
    }
    workgroupBarrier();
    if (lid < K_M) {
      var acc = 0.0;
      for (var m = 0; m < K_M; m++) {
        acc = acc + pm[O_WZ + m * K_M + lid] * rzs[m];
      }
      gzc = uniforms.cz * gzOwn + acc * (1.0 - phzp[lid] * phzp[lid]);
    }`
        : ''
    }
    for (var u = 0; u < K_UPT; u++) {
      let n = lid + u * K_WG;
      if (n < K_N) {${
        feedback
          ? `
        for (var m = 0; m < K_M; m++) {
          gWzx[u * K_M + m] = gWzx[u * K_M + m] + rzs[m] * ph[u];
          dpx[u] = dpx[u] + pm[O_WZX + m * K_N + n] * rzs[m];
        }`
          : ''
      }
        gxc[u] = uniforms.cx * gx[u] + dpx[u] * (1.0 - ph[u] * ph[u]);
      }
    }
    workgroupBarrier();
  }
  let po = K_PO + b * K_P;
  for (var u = 0; u < K_UPT; u++) {
    let n = lid + u * K_WG;
    if (n < K_N) {
      for (var r = 0; r < K_R; r++) {
        result[po + O_L + n * K_R + r] = gL[u * K_R + r];
        result[po + O_V + n * K_R + r] = gV[u * K_R + r];
      }${
        feedback
          ? `
      for (var m = 0; m < K_M; m++) {
        result[po + O_WZX + m * K_N + n] = gWzx[u * K_M + m];
      }`
          : ''
      }
      result[po + O_X0 + n] = gxc[u];
    }
  }${
    nm
      ? `
  if (lid < K_M) {
    for (var j = 0; j < K_M; j++) {
      result[po + O_WZ + lid * K_M + j] = gWzRow[j];
    }
    result[po + O_Z0 + lid] = gzc;
  }
  if (lid < K_R) {
    for (var m = 0; m < K_M; m++) {
      result[po + O_AZ + lid * K_M + m] = gAzRow[m];
    }
    result[po + O_BZ + lid] = gbz;
  }`
      : ''
  }
}`;
  const names = nm ? ['pm', 'trX', 'trZ', 'trS', 'dyX', 'dyZ', 'dyS'] : ['params', 'trX', 'dyX'];
  return {
    program: scanProgram(
      key('Bwd', d, plan),
      names,
      partialsOffset + B * P,
      B,
      plan.WG,
      UNIFORMS,
      code,
    ),
    partialsOffset,
  };
}

/** Uniform values in UNIFORMS order. */
export function nmrnnUniforms(
  T: number,
  B: number,
  tauX: number,
  tauZ: number,
  scale: number,
  M: number,
): { type: 'int32' | 'float32'; data: number[] }[] {
  const ax = 1 / tauX;
  const az = M > 0 ? 1 / tauZ : 0;
  return [
    { type: 'int32', data: [T] },
    { type: 'int32', data: [B] },
    { type: 'float32', data: [ax] },
    { type: 'float32', data: [1 - ax] },
    { type: 'float32', data: [ax * scale] },
    { type: 'float32', data: [az] },
    { type: 'float32', data: [1 - az] },
  ];
}
