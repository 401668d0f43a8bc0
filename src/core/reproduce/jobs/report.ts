/**
 * docs/REPRODUCTION.md sections built from committed job results alone (no training): per claim,
 * every seed's value, the median and interquartile range, a one-sided Mann–Whitney U test of the
 * NM-RNN against each baseline, and a verdict computed from those numbers. Paper figures are quoted
 * beside ours where the paper is quantitative (docs/SCIENCE.md "Claims").
 */
import type { JobResult } from './jobResult';
import type { JobExperiment, JobSpec } from './plan';
import type { ExperimentReport } from './report/common';
import { eftReport } from './report/eft';
import { multitaskReport } from './report/multitask';
import { mwgReport } from './report/mwg';

export {
  ALPHA,
  MIN_SEEDS_FOR_VERDICT,
  type ClaimRow,
  type ExperimentReport,
  type Verdict,
} from './report/common';

/** The doc section of one experiment, from its finished results (smoke-test results left out). */
export function buildReport(
  experiment: JobExperiment,
  all: JobResult[],
  plan: JobSpec[],
): ExperimentReport {
  const results = all.filter((r) => r.budgetScale === undefined);
  switch (experiment) {
    case 'mwg':
      return mwgReport(results, plan);
    case 'eft':
      return eftReport(results, plan);
    case 'multitask':
      return multitaskReport(results, plan);
  }
}

const EXPERIMENT_TITLES: Record<JobExperiment, string> = {
  mwg: 'Measure-Wait-Go',
  eft: 'Element Finder',
  multitask: 'Cognitive tasks',
};

/** Every claim's verdict in one table, for the top of the report. */
export function summaryTable(
  reports: { experiment: JobExperiment; report: ExperimentReport }[],
): string {
  return [
    '| experiment | claim | verdict | computed from |',
    '|---|---|---|---|',
    ...reports.flatMap(({ experiment, report }) =>
      report.claims.map(
        (c) => `| ${EXPERIMENT_TITLES[experiment]} | ${c.claim} | **${c.verdict}** | ${c.why} |`,
      ),
    ),
  ].join('\n');
}
