/**
 * The latest snapshot from the worker, and whether the worker is up yet.
 *
 * Plots are the main thread's heaviest work, so while training runs the store passes on new
 * plot data at a calmer pace than snapshots arrive: the loss at most twice a second, the
 * evaluation view (output, s(t), PCA) once a second. The status (step, steps/s) always updates,
 * and once training stops every update goes through at once, so a paused page is exact.
 */
import { create } from 'zustand';
import type { EvalPoint, Snapshot } from '../worker/protocol';

export type SessionPhase = 'starting' | 'ready' | 'failed';

interface SnapshotState {
  snapshot: Snapshot | undefined;
  phase: SessionPhase;
  /** Why the worker could not start (phase 'failed'). */
  error?: string;
  setSnapshot: (snapshot: Snapshot) => void;
  setPhase: (phase: SessionPhase, error?: string) => void;
  /**
   * True while the worker rebuilds the model for new settings: the plots still show the old
   * model and say so.
   */
  rebuilding: boolean;
  setRebuilding: (rebuilding: boolean) => void;
}

const LOSS_INTERVAL_RUNNING_MS = 500;
const EVAL_INTERVAL_RUNNING_MS = 1000;

let lossShownAt = 0;
let evalShownAt = 0;

function sameEvalHistory(a: EvalPoint[], b: EvalPoint[]): boolean {
  return a.length === b.length && (a.length === 0 || a[a.length - 1].step === b[b.length - 1].step);
}

export const useSnapshot = create<SnapshotState>((set) => ({
  snapshot: undefined,
  phase: 'starting',
  rebuilding: false,
  setRebuilding: (rebuilding) => set({ rebuilding }),
  setSnapshot: (next) =>
    set((s) => {
      const prev = s.snapshot;
      const now = performance.now();
      const calm = next.status.running && prev !== undefined;

      // Snapshots arrive as fresh copies: keep unchanged parts as the same objects so the plots
      // that depend on them neither recompute nor redraw.
      let evalView = next.eval;
      if (prev?.eval && next.eval) {
        const unchanged = prev.eval.id !== undefined && prev.eval.id === next.eval.id;
        const tooSoon = calm && now - evalShownAt < EVAL_INTERVAL_RUNNING_MS;
        if (unchanged || tooSoon) evalView = prev.eval;
      }
      if (evalView !== prev?.eval) evalShownAt = now;

      let loss = next.loss;
      let evals = next.evals;
      if (prev && calm && now - lossShownAt < LOSS_INTERVAL_RUNNING_MS) {
        loss = prev.loss;
        evals = prev.evals;
      } else {
        lossShownAt = now;
        if (prev && sameEvalHistory(prev.evals, next.evals)) evals = prev.evals;
      }
      return { snapshot: { ...next, eval: evalView, loss, evals } };
    }),
  setPhase: (phase, error) => set({ phase, error }),
}));
