/**
 * WGSL for the vanilla-RNN and LSTM scans (the recurrences and BPTT of cpu/rnnScan.ts and
 * cpu/lstmScan.ts), one workgroup per trial looping over time.
 *
 * Both have a full N×N (LSTM: 4N×N) recurrent matrix, so each step every invocation needs the
 * whole previous state: it lives in workgroup memory. Invocation lid owns units lid + u·WG: their
 * rows in the forward pass, and in the backward pass their columns, so that it alone accumulates
 * the weight gradients of those columns (in the [B, P] partials block of its trial, in global
 * memory, which for N×N weights is too much for registers) and forms g_h_{t−1} for its units.
 */
import { lstmLayout, rnnLayout } from '../layout';
import {
  activationsWgsl,
  SCAN_PROLOGUE,
  scanProgram,
  type GpuProgram,
  type ProgramUniform,
} from './gpuProgram';
import type { WorkgroupPlan } from './sizing';

const RNN_UNIFORMS = 'steps : i32, batch : i32, ax : f32, cx : f32, rs : f32,';
const LSTM_UNIFORMS = 'steps : i32, batch : i32,';

function header(N: number, plan: WorkgroupPlan, P: number, extra: string): string {
  return `
const K_N = ${N};
const K_P = ${P};
const K_WG = ${plan.WG};
const K_UPT = ${plan.UPT};
${extra}
${activationsWgsl()}`;
}

/** Each owned unit n of this invocation: `body` sees n and u (its slot in private arrays). */
function forUnits(body: string): string {
  return `
    for (var u = 0; u < K_UPT; u++) {
      let n = lid + u * K_WG;
      if (n < K_N) {${body}
      }
    }`;
}

export function rnnUniforms(T: number, B: number, tau: number, scale: number): ProgramUniform[] {
  const ax = 1 / tau;
  return [
    { type: 'int32', data: [T] },
    { type: 'int32', data: [B] },
    { type: 'float32', data: [ax] },
    { type: 'float32', data: [1 - ax] },
    { type: 'float32', data: [ax * scale] },
  ];
}

export function lstmUniforms(T: number, B: number): ProgramUniform[] {
  return [
    { type: 'int32', data: [T] },
    { type: 'int32', data: [B] },
  ];
}

/** Inputs driveX [B,T,N], params [W (N×N), x0]. Output x [B,T,N] (flat). */
export function rnnForwardProgram(
  N: number,
  B: number,
  T: number,
  plan: WorkgroupPlan,
): GpuProgram {
  const lay = rnnLayout(N);
  const code = `${header(N, plan, lay.size, `const O_W = ${lay.W};\nconst O_X0 = ${lay.x0};`)}
var<workgroup> phs : array<f32, K_N>;

fn main(index : i32) {${SCAN_PROLOGUE}
  var x : array<f32, K_UPT>;${forUnits(`
        x[u] = params[O_X0 + n];`)}
  for (var t = 0; t < T; t++) {
    let bt = b * T + t;${forUnits(`
        phs[n] = nm_tanh(x[u]);`)}
    workgroupBarrier();${forUnits(`
        var acc = 0.0;
        for (var j = 0; j < K_N; j++) {
          acc = acc + params[O_W + n * K_N + j] * phs[j];
        }
        let xn = uniforms.cx * x[u] + uniforms.rs * acc + uniforms.ax * driveX[bt * K_N + n];
        x[u] = xn;
        result[bt * K_N + n] = xn;`)}
    workgroupBarrier();
  }
}`;
  const key = `rnnFwd_N${N}_wg${plan.WG}`;
  return scanProgram(key, ['driveX', 'params'], B * T * N, B, plan.WG, RNN_UNIFORMS, code);
}

/**
 * Inputs params, trX [B,T,N], dyX [B,T,N]. Output, flat: g driveX [B,T,N], then per-trial
 * parameter gradients [B, P] from partialsOffset.
 */
export function rnnBackwardProgram(
  N: number,
  B: number,
  T: number,
  plan: WorkgroupPlan,
): { program: GpuProgram; partialsOffset: number } {
  const lay = rnnLayout(N);
  const partialsOffset = B * T * N;
  const consts = `const O_W = ${lay.W};\nconst O_X0 = ${lay.x0};\nconst K_PO = ${partialsOffset};`;
  const code = `${header(N, plan, lay.size, consts)}
var<workgroup> phs : array<f32, K_N>;
var<workgroup> rg : array<f32, K_N>;

fn main(index : i32) {${SCAN_PROLOGUE}
  let po = K_PO + b * K_P;
  var gx : array<f32, K_UPT>;
  var gxc : array<f32, K_UPT>;${forUnits(`
        for (var i = 0; i < K_N; i++) {
          result[po + O_W + i * K_N + n] = 0.0;
        }`)}
  for (var tt = 0; tt < T; tt++) {
    let t = T - 1 - tt;
    let bt = b * T + t;${forUnits(`
        var xp = 0.0;
        if (t > 0) {
          xp = trX[(bt - 1) * K_N + n];
        } else {
          xp = params[O_X0 + n];
        }
        phs[n] = nm_tanh(xp);
        let g = dyX[bt * K_N + n] + gxc[u];
        gx[u] = g;
        result[bt * K_N + n] = uniforms.ax * g;
        rg[n] = uniforms.rs * g;`)}
    workgroupBarrier();${forUnits(`
        let p = phs[n];
        var dph = 0.0;
        for (var i = 0; i < K_N; i++) {
          let r = rg[i];
          let wi = O_W + i * K_N + n;
          result[po + wi] = result[po + wi] + r * p;
          dph = dph + params[wi] * r;
        }
        gxc[u] = uniforms.cx * gx[u] + dph * (1.0 - p * p);`)}
    workgroupBarrier();
  }${forUnits(`
        result[po + O_X0 + n] = gxc[u];`)}
}`;
  const key = `rnnBwd_N${N}_wg${plan.WG}`;
  const size = partialsOffset + B * lay.size;
  return {
    program: scanProgram(key, ['params', 'trX', 'dyX'], size, B, plan.WG, RNN_UNIFORMS, code),
    partialsOffset,
  };
}

function lstmConsts(N: number): string {
  const lay = lstmLayout(N);
  return `const O_WH = ${lay.Wh};\nconst O_H0 = ${lay.h0};\nconst O_C0 = ${lay.c0};`;
}

/**
 * Inputs drive [B,T,4N] (gate order i, f, g, o), params [Wh (4N×N), h0, c0]. Output, flat:
 * h [B,T,N], c [B,T,N], gates [B,T,4N] (post-activation).
 */
export function lstmForwardProgram(
  N: number,
  B: number,
  T: number,
  plan: WorkgroupPlan,
): GpuProgram {
  const lay = lstmLayout(N);
  const code = `${header(N, plan, lay.size, lstmConsts(N))}
var<workgroup> hs : array<f32, K_N>;

fn main(index : i32) {${SCAN_PROLOGUE}
  let cBase = uniforms.batch * T * K_N;
  let gBase = 2 * cBase;
  var c : array<f32, K_UPT>;
  var hn : array<f32, K_UPT>;${forUnits(`
        c[u] = params[O_C0 + n];
        hs[n] = params[O_H0 + n];`)}
  workgroupBarrier();
  for (var t = 0; t < T; t++) {
    let bt = b * T + t;
    let og = bt * 4 * K_N;${forUnits(`
        var pre : array<f32, 4>;
        for (var q = 0; q < 4; q++) {
          let row = q * K_N + n;
          var acc = drive[og + row];
          for (var k = 0; k < K_N; k++) {
            acc = acc + params[O_WH + row * K_N + k] * hs[k];
          }
          pre[q] = acc;
        }
        let gi = nm_sigmoid(pre[0]);
        let gf = nm_sigmoid(pre[1]);
        let gg = nm_tanh(pre[2]);
        let go = nm_sigmoid(pre[3]);
        let cn = gf * c[u] + gi * gg;
        let h = go * nm_tanh(cn);
        c[u] = cn;
        hn[u] = h;
        result[bt * K_N + n] = h;
        result[cBase + bt * K_N + n] = cn;
        result[gBase + og + n] = gi;
        result[gBase + og + K_N + n] = gf;
        result[gBase + og + 2 * K_N + n] = gg;
        result[gBase + og + 3 * K_N + n] = go;`)}
    workgroupBarrier();${forUnits(`
        hs[n] = hn[u];`)}
    workgroupBarrier();
  }
}`;
  const key = `lstmFwd_N${N}_wg${plan.WG}`;
  return scanProgram(key, ['drive', 'params'], B * T * 6 * N, B, plan.WG, LSTM_UNIFORMS, code);
}

/**
 * Inputs params, trH, trC, trG (the forward's h, c, gates), dyH, dyC, dyG. Output, flat:
 * g drive [B,T,4N], then per-trial parameter gradients [B, P] from partialsOffset.
 */
export function lstmBackwardProgram(
  N: number,
  B: number,
  T: number,
  plan: WorkgroupPlan,
): { program: GpuProgram; partialsOffset: number } {
  const lay = lstmLayout(N);
  const partialsOffset = B * T * 4 * N;
  const code = `${header(N, plan, lay.size, `${lstmConsts(N)}\nconst K_PO = ${partialsOffset};`)}
var<workgroup> dps : array<f32, ${4 * N}>;
var<workgroup> hp : array<f32, K_N>;

fn main(index : i32) {${SCAN_PROLOGUE}
  let po = K_PO + b * K_P;
  var ghc : array<f32, K_UPT>;
  var gcc : array<f32, K_UPT>;${forUnits(`
        for (var j = 0; j < 4 * K_N; j++) {
          result[po + O_WH + j * K_N + n] = 0.0;
        }`)}
  for (var tt = 0; tt < T; tt++) {
    let t = T - 1 - tt;
    let bt = b * T + t;
    let on = bt * K_N;
    let og = bt * 4 * K_N;${forUnits(`
        let gi = trG[og + n];
        let gf = trG[og + K_N + n];
        let gg = trG[og + 2 * K_N + n];
        let go = trG[og + 3 * K_N + n];
        var cprev = 0.0;
        if (t > 0) {
          cprev = trC[on - K_N + n];
          hp[n] = trH[on - K_N + n];
        } else {
          cprev = params[O_C0 + n];
          hp[n] = params[O_H0 + n];
        }
        let tc = nm_tanh(trC[on + n]);
        let gH = dyH[on + n] + ghc[u];
        let gC = dyC[on + n] + gcc[u] + gH * go * (1.0 - tc * tc);
        let dI = gC * gg + dyG[og + n];
        let dF = gC * cprev + dyG[og + K_N + n];
        let dG = gC * gi + dyG[og + 2 * K_N + n];
        let dO = gH * tc + dyG[og + 3 * K_N + n];
        gcc[u] = gC * gf;
        let d0 = dI * gi * (1.0 - gi);
        let d1 = dF * gf * (1.0 - gf);
        let d2 = dG * (1.0 - gg * gg);
        let d3 = dO * go * (1.0 - go);
        dps[n] = d0;
        dps[K_N + n] = d1;
        dps[2 * K_N + n] = d2;
        dps[3 * K_N + n] = d3;
        result[og + n] = d0;
        result[og + K_N + n] = d1;
        result[og + 2 * K_N + n] = d2;
        result[og + 3 * K_N + n] = d3;`)}
    workgroupBarrier();${forUnits(`
        let hk = hp[n];
        var acc = 0.0;
        for (var j = 0; j < 4 * K_N; j++) {
          let d = dps[j];
          let wi = O_WH + j * K_N + n;
          result[po + wi] = result[po + wi] + d * hk;
          acc = acc + params[wi] * d;
        }
        ghc[u] = acc;`)}
    workgroupBarrier();
  }${forUnits(`
        result[po + O_H0 + n] = ghc[u];
        result[po + O_C0 + n] = gcc[u];`)}
}`;
  const key = `lstmBwd_N${N}_wg${plan.WG}`;
  const names = ['params', 'trH', 'trC', 'trG', 'dyH', 'dyC', 'dyG'];
  const size = partialsOffset + B * lay.size;
  return {
    program: scanProgram(key, names, size, B, plan.WG, LSTM_UNIFORMS, code),
    partialsOffset,
  };
}
