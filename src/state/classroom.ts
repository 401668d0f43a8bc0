/**
 * Classroom links (`hide=` / `lock=`) decide here, and only here, which user actions may run: the
 * controller asks before acting and the page renders its controls from the same answers, so a
 * control that is hidden or locked can neither be shown as usable nor reached another way (a
 * keyboard shortcut, a drag on a plot, a stale button).
 */
import type { ExperimentConfig } from '../core/config/schema';
import type { ClassroomControl } from './link/shareCodec';

/** How a classroom link treats a control: shown and usable, shown but locked, or hidden. */
export type ControlAccess = 'open' | 'locked' | 'hidden';

/** What a user can do on the page, by the state it changes. */
export type UserAction =
  | 'train'
  | 'reset'
  | 'newSeed'
  | 'lr'
  | 'batch'
  | 'stage'
  | 'trainingSettings'
  | 'task'
  | 'model'
  | 'preset'
  | 'scratch'
  | 'file'
  | 'ablation'
  | 'backend'
  | 'share';

/** The classroom controls that gate each action; any one hidden or locked stops it. */
const GATES: Record<UserAction, readonly ClassroomControl[]> = {
  train: ['training'],
  reset: ['training'],
  newSeed: ['seed', 'training'],
  lr: ['lr', 'training'],
  batch: ['batch', 'training'],
  stage: ['stage', 'training'],
  trainingSettings: ['training'],
  task: ['task'],
  model: ['model'],
  // A preset replaces the task and the model too.
  preset: ['presets', 'task', 'model'],
  scratch: ['training'],
  file: ['file'],
  ablation: ['ablation'],
  backend: ['backend'],
  share: ['share'],
};

export interface ClassroomFlags {
  hide: readonly ClassroomControl[];
  lock: readonly ClassroomControl[];
}

export function controlAccess(flags: ClassroomFlags, control: ClassroomControl): ControlAccess {
  if (flags.hide.includes(control)) return 'hidden';
  return flags.lock.includes(control) ? 'locked' : 'open';
}

/** The most restrictive access among the action's gates. */
export function actionAccess(flags: ClassroomFlags, action: UserAction): ControlAccess {
  const access = GATES[action].map((c) => controlAccess(flags, c));
  if (access.includes('hidden')) return 'hidden';
  return access.includes('locked') ? 'locked' : 'open';
}

/** The actions a change of configuration amounts to (each must be allowed for it to apply). */
export function configChangeActions(prev: ExperimentConfig, next: ExperimentConfig): UserAction[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const out: UserAction[] = [];
  if (!same(prev.task, next.task)) out.push('task');
  if (!same(prev.model, next.model)) out.push('model');
  if (!same(prev.seeds, next.seeds)) out.push('newSeed');
  const { lr, batchSize, stage, schedule, ...rest } = prev.training;
  const n = next.training;
  if (lr !== n.lr) out.push('lr');
  if (batchSize !== n.batchSize) out.push('batch');
  if (stage !== n.stage || !same(schedule, n.schedule)) out.push('stage');
  const { lr: _lr, batchSize: _batchSize, stage: _stage, schedule: _schedule, ...nextRest } = n;
  if (!same(rest, nextRest)) out.push('trainingSettings');
  return out;
}

/** The first of `actions` the flags stop, or undefined when all may run. */
export function refusedAction(
  flags: ClassroomFlags,
  actions: readonly UserAction[],
): UserAction | undefined {
  return actions.find((a) => actionAccess(flags, a) !== 'open');
}
