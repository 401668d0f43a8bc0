/**
 * Runs the unfinished jobs of a plan on up to n workers. Which jobs count as finished is asked of
 * the results folder before each job starts, so two sweeps sharing a folder, or a sweep restarted
 * after a kill, never redo a finished job.
 */
import type { JobSpec } from '../core/reproduce/jobs/plan';

export interface PoolReport {
  skipped: number;
  ran: string[];
  failed: string[];
}

export async function runJobPool(
  jobs: readonly JobSpec[],
  n: number,
  isFinished: (spec: JobSpec) => boolean,
  launch: (spec: JobSpec) => Promise<boolean>,
  log: (line: string) => void = () => {},
): Promise<PoolReport> {
  const pending = jobs.filter((j) => !isFinished(j));
  const report: PoolReport = { skipped: jobs.length - pending.length, ran: [], failed: [] };
  log(
    `${report.skipped} of ${jobs.length} jobs already finished; running ${pending.length} with ${n} process(es)`,
  );
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pending.length) {
      const spec = pending[next++];
      if (isFinished(spec)) {
        report.skipped++;
        continue;
      }
      const ok = await launch(spec);
      (ok ? report.ran : report.failed).push(spec.id);
      if (!ok) log(`${spec.id}: failed; the next run retries it`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, n) }, worker));
  return report;
}
