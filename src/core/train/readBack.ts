/**
 * How many training steps to queue between two read-backs of the loss (TrainingSession.steps).
 * On cpu and wasm a read costs nothing: every step is read, so a divergence stops at once. On a
 * GPU a read waits for the queue to drain, which costs far more than a small model's step
 * (docs/PERFORMANCE.md), so the steps of a block go out back to back and are checked together;
 * a divergence inside a block is undone exactly (session.ts).
 */
export const GPU_READ_EVERY = 8;

export function readEveryFor(backend: string): number {
  return backend === 'webgpu' || backend === 'webgl' ? GPU_READ_EVERY : 1;
}
