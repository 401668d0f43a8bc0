/**
 * A Node step thread's body (stepHelper.thread.mjs loads it): serves parts of fused training steps
 * from its shared-memory mailbox until told to stop.
 */
import { workerData } from 'node:worker_threads';
import { serveStepParts } from '../core/kernels/threads/stepHelper';

const { control, mailbox, index } = workerData as {
  control: SharedArrayBuffer;
  mailbox: SharedArrayBuffer;
  index: number;
};
serveStepParts(control, mailbox, index);
