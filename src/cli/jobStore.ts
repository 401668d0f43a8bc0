/**
 * The committed results folder: one JSON file per finished reproduction job, plus its model files.
 * A file appears only once its job has finished (written to a temporary name, then renamed). A long
 * job also leaves a checkpoint beside it every few thousand steps (`<job>.checkpoint.json`), so a
 * run killed halfway continues from its last checkpoint; the checkpoint goes once the result is in.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { JOB_RESULT_FORMAT, type JobResult } from '../core/reproduce/jobs/jobResult';
import { resultPath, type JobSpec } from '../core/reproduce/jobs/plan';
import {
  checkpointFromText,
  checkpointToJson,
  type JobState,
} from '../core/reproduce/jobs/checkpoint';

export const DEFAULT_RESULTS_DIR = 'results';

export const isFinished = (dir: string, spec: Pick<JobSpec, 'id'>): boolean =>
  existsSync(join(dir, resultPath(spec)));

function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Model files first, the result last: the result's presence means the job is complete. */
export function writeResult(
  dir: string,
  result: Omit<JobResult, 'modelFiles'>,
  models: { trained: string; retrained?: string },
): string {
  const file = join(dir, resultPath(result));
  const base = resultPath(result).replace(/\.json$/, '');
  const modelFiles: JobResult['modelFiles'] = { trained: `${base}.model.json` };
  writeAtomic(join(dir, modelFiles.trained), models.trained);
  if (models.retrained) {
    modelFiles.retrained = `${base}.retrained.model.json`;
    writeAtomic(join(dir, modelFiles.retrained), models.retrained);
  }
  const full: JobResult = { ...result, modelFiles };
  writeAtomic(file, `${JSON.stringify(full)}\n`);
  return file;
}

/**
 * Replace a finished job's result file (same id), e.g. after re-running an analysis on its saved
 * model; the model files stay as they are.
 */
export function rewriteResult(dir: string, result: JobResult): string {
  const file = join(dir, resultPath(result));
  writeAtomic(file, `${JSON.stringify(result)}\n`);
  return file;
}

/**
 * Where a job's checkpoint lives. A smoke test's (budget scaled down) is kept apart, so it can never
 * resume a real run or the other way round.
 */
export function checkpointPath(dir: string, spec: Pick<JobSpec, 'id'>, budgetScale = 1): string {
  const scale = budgetScale === 1 ? '' : `.scale${budgetScale}`;
  return join(dir, resultPath(spec).replace(/\.json$/, `${scale}.checkpoint.json`));
}

/** The saved state of an unfinished job; a sentence when a checkpoint exists but cannot be used. */
export function readCheckpoint(
  dir: string,
  spec: Pick<JobSpec, 'id'>,
  budgetScale = 1,
): JobState | string | undefined {
  const file = checkpointPath(dir, spec, budgetScale);
  if (!existsSync(file)) return undefined;
  return checkpointFromText(spec.id, readFileSync(file, 'utf8'));
}

export function writeCheckpoint(
  dir: string,
  spec: Pick<JobSpec, 'id'>,
  state: JobState,
  budgetScale = 1,
): void {
  writeAtomic(
    checkpointPath(dir, spec, budgetScale),
    JSON.stringify(checkpointToJson(spec.id, state)),
  );
}

export function removeCheckpoint(dir: string, spec: Pick<JobSpec, 'id'>, budgetScale = 1): void {
  rmSync(checkpointPath(dir, spec, budgetScale), { force: true });
}

/** Every finished job result under `dir` (optionally of one experiment), sorted by id. */
export function readResults(dir: string, experiment?: string): JobResult[] {
  if (!existsSync(dir)) return [];
  const out: JobResult[] = [];
  const experiments = experiment ? [experiment] : readdirSync(dir);
  for (const e of experiments) {
    const sub = join(dir, e);
    if (!existsSync(sub)) continue;
    for (const f of readdirSync(sub)) {
      if (!f.endsWith('.json') || /\.(model|checkpoint)\.json$/.test(f)) continue;
      const doc = JSON.parse(readFileSync(join(sub, f), 'utf8')) as JobResult;
      if (doc.format !== JOB_RESULT_FORMAT) {
        throw new Error(`${join(sub, f)} is not a job result (format ${String(doc.format)})`);
      }
      out.push(doc);
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
