/**
 * TrainingSession on webgpu with the fused kernels against the same session with the reference
 * scan: a few optimiser steps from the same initial parameters must report the same losses. This
 * is the path the playground's worker trains through, so it also catches what surrounds the
 * kernels (loss, clipping, AdamW, the session's diagnostics) misbehaving on WebGPU. The fused run
 * goes as one block of steps with a single read-back (TrainingSession.steps), as the page trains
 * on a GPU; a second block meets a NaN batch in its middle and must stop and restore there.
 */
import { webgpuKernelCalls } from '../core/kernels/webgpu/registerWebgpu';
import { NMRNN_SCAN, LOWRANK_SCAN, RNN_SCAN, LSTM_SCAN } from '../core/kernels/names';
import { createModel, defaultModelConfig, type ModelKind } from '../core/models';
import { Rng } from '../core/random';
import type { TaskBatch } from '../core/tasks/types';
import { TrainingSession, type StepReport } from '../core/train/session';

export interface SessionRow {
  kind: ModelKind;
  trainable: number;
  fusedLosses: number[];
  referenceLosses: number[];
  /** Largest |fused − reference| / |reference| over the steps (Infinity if a step failed). */
  maxLossRel: number;
  /** Fused forward-kernel calls during the fused run (must be > 0). */
  fusedCalls: number;
  /** A block of 4 whose third batch holds a NaN: the reports it returned. */
  nanBlock: StepReport[];
  /** After that block: steps done and whether every parameter is finite. */
  nanBlockStepCount: number;
  nanBlockParamsFinite: boolean;
}

const FORWARD: Record<ModelKind, string> = {
  nmrnn: NMRNN_SCAN,
  lrrnn: LOWRANK_SCAN,
  rnn: RNN_SCAN,
  lstm: LSTM_SCAN,
};

const STEPS = 3;

function randomBatch(U: number, O: number, B: number, T: number, rng: Rng): TaskBatch {
  return {
    family: 'mwg',
    B,
    T,
    U,
    O,
    inputs: rng.normals(B * T * U),
    targets: rng.normals(B * T * O, 0.5),
    mask: new Float32Array(B * T).fill(1),
    meta: Array.from({ length: B }, (_, b) => ({
      label: `trial ${b}`,
      condition: b,
      cues: {},
      values: {},
    })),
  };
}

async function lossesOf(
  kind: ModelKind,
  impl: 'fused' | 'reference',
  batch: TaskBatch,
): Promise<{ losses: number[]; trainable: number }> {
  const config = defaultModelConfig(kind, { N: 8, R: 2, M: 3, tauX: 3, tauZ: 5 });
  const model = createModel(config, new Rng(21).stream('init'));
  const session = new TrainingSession(model, () => batch, { lr: 1e-2, impl });
  const losses: number[] = [];
  try {
    if (impl === 'fused') {
      for (const r of await session.steps(STEPS)) losses.push(r.ok ? r.loss : NaN);
    } else {
      for (let i = 0; i < STEPS; i++) {
        const r = await session.step();
        losses.push(r.ok ? r.loss : NaN);
      }
    }
  } finally {
    session.dispose();
    model.dispose();
  }
  return { losses, trainable: model.groups.all.length };
}

/** A fused block of 4 steps whose third batch has a NaN input. */
async function nanBlock(
  kind: ModelKind,
  batch: TaskBatch,
): Promise<Pick<SessionRow, 'nanBlock' | 'nanBlockStepCount' | 'nanBlockParamsFinite'>> {
  const config = defaultModelConfig(kind, { N: 8, R: 2, M: 3, tauX: 3, tauZ: 5 });
  const model = createModel(config, new Rng(21).stream('init'));
  const bad = { ...batch, inputs: batch.inputs.slice() };
  bad.inputs[5] = NaN;
  let calls = 0;
  const session = new TrainingSession(model, () => (++calls === 3 ? bad : batch), { lr: 1e-2 });
  try {
    const reports = await session.steps(4);
    const params = await model.toArrays();
    return {
      nanBlock: reports,
      nanBlockStepCount: session.stepCount,
      nanBlockParamsFinite: Object.values(params).every((p) => p.data.every(Number.isFinite)),
    };
  } finally {
    session.dispose();
    model.dispose();
  }
}

export async function sessionCheck(kinds: ModelKind[]): Promise<SessionRow[]> {
  const rows: SessionRow[] = [];
  for (const kind of kinds) {
    const batch = randomBatch(3, 1, 3, 8, new Rng(4));
    const before = webgpuKernelCalls[FORWARD[kind]] ?? 0;
    const fused = await lossesOf(kind, 'fused', batch);
    const fusedCalls = (webgpuKernelCalls[FORWARD[kind]] ?? 0) - before;
    const reference = await lossesOf(kind, 'reference', batch);
    let maxLossRel = 0;
    fused.losses.forEach((l, i) => {
      const r = reference.losses[i];
      const rel = Math.abs(l - r) / Math.abs(r);
      maxLossRel = Number.isFinite(rel) ? Math.max(maxLossRel, rel) : Infinity;
    });
    rows.push({
      kind,
      trainable: fused.trainable,
      fusedLosses: fused.losses,
      referenceLosses: reference.losses,
      maxLossRel,
      fusedCalls,
      ...(await nanBlock(kind, batch)),
    });
  }
  return rows;
}
