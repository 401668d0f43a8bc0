import type { JobResult } from './runJob';
import type { JobExperiment, JobSpec } from './plan';

export function buildReport(
  experiment: JobExperiment,
  results: JobResult[],
  plan: JobSpec[],
): string {
  return `${experiment}: ${results.length} of ${plan.length} jobs finished`;
}
