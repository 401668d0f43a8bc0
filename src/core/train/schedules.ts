/**
 * Named training schedules and their one-line text form (`group:steps[:lr]`, comma-separated) for
 * links and menus. docs/SCIENCE.md §3.
 */
import { trainingPhaseSchema, type TrainingPhase } from '../config/schema';

/** The authors' timing-task NM-RNN: output 10k → NM 10k → all 50k, fresh moments per stage. */
export const MWG_NM_SCHEDULE: readonly TrainingPhase[] = Object.freeze([
  { group: 'output', steps: 10_000, resetOptimizer: true },
  { group: 'nm', steps: 10_000, resetOptimizer: true },
  { group: 'all', steps: 50_000, resetOptimizer: true },
]);

export const NAMED_SCHEDULES = {
  none: [] as readonly TrainingPhase[],
  staged: MWG_NM_SCHEDULE,
} as const;
export type ScheduleName = keyof typeof NAMED_SCHEDULES;

const samePhases = (a: readonly TrainingPhase[], b: readonly TrainingPhase[]): boolean =>
  a.length === b.length && a.every((p, i) => formatPhase(p) === formatPhase(b[i]));

/** The schedule's name, or 'custom' for any other list of phases. */
export function scheduleName(phases: readonly TrainingPhase[]): ScheduleName | 'custom' {
  for (const [name, s] of Object.entries(NAMED_SCHEDULES)) {
    if (samePhases(phases, s)) return name as ScheduleName;
  }
  return 'custom';
}

function formatPhase(p: TrainingPhase): string {
  return `${p.group}:${p.steps}${p.lr !== undefined ? `:${p.lr}` : ''}${p.resetOptimizer ? '' : ':keep'}`;
}

export function formatSchedule(phases: readonly TrainingPhase[]): string {
  return phases.map(formatPhase).join(',');
}

/** Parse `group:steps[:lr][:keep],…`; an error names the phase at fault. */
export function parseSchedule(
  text: string,
): { ok: true; phases: TrainingPhase[] } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: true, phases: [] };
  const parts = text.split(',');
  if (parts.length > 8)
    return { ok: false, error: `a schedule has at most 8 phases, not ${parts.length}` };
  const phases: TrainingPhase[] = [];
  for (const [i, part] of parts.entries()) {
    const [group, steps, ...rest] = part.split(':');
    const keep = rest[rest.length - 1] === 'keep';
    const lrText = keep ? rest.slice(0, -1)[0] : rest[0];
    const candidate = {
      group,
      steps: Number(steps),
      ...(lrText !== undefined ? { lr: Number(lrText) } : {}),
      resetOptimizer: !keep,
    };
    const r = trainingPhaseSchema.safeParse(candidate);
    if (!r.success) {
      return {
        ok: false,
        error: `phase ${i + 1} ("${part.slice(0, 40)}"): ${r.error.issues[0]?.message ?? 'invalid'}`,
      };
    }
    phases.push(r.data);
  }
  return { ok: true, phases };
}
