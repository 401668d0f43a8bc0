/** The latest snapshot from the worker, and whether the worker is up yet. */
import { create } from 'zustand';
import type { Snapshot } from '../worker/protocol';

export type SessionPhase = 'starting' | 'ready' | 'failed';

interface SnapshotState {
  snapshot: Snapshot | undefined;
  phase: SessionPhase;
  /** Why the worker could not start (phase 'failed'). */
  error?: string;
  setSnapshot: (snapshot: Snapshot) => void;
  setPhase: (phase: SessionPhase, error?: string) => void;
}

export const useSnapshot = create<SnapshotState>((set) => ({
  snapshot: undefined,
  phase: 'starting',
  setSnapshot: (snapshot) => set({ snapshot }),
  setPhase: (phase, error) => set({ phase, error }),
}));
