/**
 * A page step thread (stepThreads.ts starts it): waits for its mailbox, then serves parts of fused
 * training steps until told to stop.
 */
import { serveStepParts } from '../core/kernels/threads/stepHelper';

self.onmessage = (
  e: MessageEvent<{ control: SharedArrayBuffer; mailbox: SharedArrayBuffer; index: number }>,
) => {
  self.onmessage = null;
  serveStepParts(e.data.control, e.data.mailbox, e.data.index);
};
