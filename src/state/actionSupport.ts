/**
 * What every page action shares: a readable error text, a notice, the classroom check (one owner:
 * state/classroom.ts) and the latest-wins queue for worker calls that rebuild the model.
 */
import { refusedAction, type UserAction } from './classroom';
import { useNotices } from './noticeStore';
import { usePlayground } from './playgroundStore';

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const notify = (level: 'info' | 'warning' | 'error', text: string, source: string) =>
  useNotices.getState().push(level, text, source);

/**
 * Whether the classroom link lets these actions run (state/classroom.ts decides); a refused one
 * says so in a notice and changes nothing. Every user action of this module asks first.
 */
export function allowed(...actions: UserAction[]): boolean {
  if (refusedAction(usePlayground.getState(), actions) === undefined) return true;
  useNotices
    .getState()
    .replaceSource('classroom', 'info', ['That control is locked by the teacher’s link.']);
  return false;
}

export /** Run `task` with the newest arguments only: calls made while one runs collapse into one. */
function latestOnly<A>(task: (arg: A) => Promise<void>): (arg: A) => Promise<void> {
  let running: Promise<void> | undefined;
  let pending: { arg: A } | undefined;
  const drain = async (): Promise<void> => {
    while (pending) {
      const { arg } = pending;
      pending = undefined;
      try {
        await task(arg);
      } catch (e) {
        notify('error', errorText(e), 'worker');
      }
    }
    running = undefined;
  };
  return (arg: A) => {
    pending = { arg };
    if (!running) running = drain();
    return running;
  };
}

/** The parts of a config that need a new model and trainer when they change. */
