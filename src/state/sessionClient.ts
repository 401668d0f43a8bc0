/**
 * The page's handle on the training worker. Created once, lazily, so tests and the first paint do
 * not wait for tfjs to load.
 */
import * as Comlink from 'comlink';
import type { SessionApi } from '../worker/protocol';

let remote: Comlink.Remote<SessionApi> | undefined;

export function session(): Comlink.Remote<SessionApi> {
  if (!remote) {
    const worker = new Worker(new URL('../worker/session.worker.ts', import.meta.url), {
      type: 'module',
      name: 'nmrnn-session',
    });
    remote = Comlink.wrap<SessionApi>(worker);
  }
  return remote;
}
