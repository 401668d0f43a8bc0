/**
 * `npm run reproduce -- EXPERIMENT [--plan | --job ID | --report] [--jobs N] [--only REGEX]`
 *
 * A reproduction is a set of jobs (experiment × model × protocol × seed; see
 * src/core/reproduce/jobs/plan.ts). Each finished job writes its own result file under
 * results/<experiment>/, so a rerun skips what is done and a stopped sweep resumes. `--job ID` runs
 * exactly one (for a cluster scheduler), `--jobs N` runs N processes, `--report` rebuilds
 * docs/REPRODUCTION.md from the committed result files alone.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { Command } from 'commander';
import * as tf from '@tensorflow/tfjs';
import {
  findJob,
  JOB_EXPERIMENTS,
  measuredMinutes,
  siblingKey,
  planJobs,
  priorityOrder,
  scaleBudget,
  type JobExperiment,
  type JobSpec,
} from '../core/reproduce/jobs/plan';
import { jsonSafeDeep, runJob } from '../core/reproduce/jobs/runJob';
import { analyzeRank1 } from '../core/reproduce/rank1';
import { parseModelFile } from '../core/io/modelFile';
import { createExperiment } from '../core/experiment';
import { modelFromArrays } from '../core/models/model';
import { buildReport, summaryTable } from '../core/reproduce/jobs/report';
import { spliceSection } from '../core/reproduce/report';
import { runJobPool } from './jobPool';
import {
  DEFAULT_RESULTS_DIR,
  isFinished,
  readCheckpoint,
  readResults,
  removeCheckpoint,
  rewriteResult,
  writeCheckpoint,
  writeResult,
} from './jobStore';
import { CHECKPOINT_EVERY, type JobState } from '../core/reproduce/jobs/checkpoint';
import {
  configureErrors,
  parseChoice,
  parseFloatArg,
  parseIntArg,
  runCli,
  setupBackend,
  UsageError,
  type CliBackend,
} from './common';
import { defaultThreads } from './stepThreads';

const TARGETS = [...JOB_EXPERIMENTS, 'all'] as const;
type Target = (typeof TARGETS)[number];

interface Args {
  plan?: boolean;
  job?: string;
  jobs: number;
  report?: boolean;
  reanalyze?: boolean;
  only?: string;
  results: string;
  doc: string;
  backend: CliBackend;
  logEvery: number;
  budgetScale: number;
  threads?: number;
}

function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, tfjs ${tf.version.tfjs} ${tf.getBackend()}`;
}

function jobsOf(target: Target, only?: string): JobSpec[] {
  const experiments: JobExperiment[] = target === 'all' ? [...JOB_EXPERIMENTS] : [target];
  let jobs = experiments.flatMap((e) => planJobs(e));
  if (only) {
    let re: RegExp;
    try {
      re = new RegExp(only);
    } catch (e) {
      throw new UsageError(`--only: not a regular expression: ${(e as Error).message}`);
    }
    jobs = jobs.filter((j) => re.test(j.id));
  }
  return priorityOrder(jobs);
}

/** "training, 45000 steps" / "retraining, 5000 steps" */
function describeState(state: JobState): string {
  return `${state.stage === 'train' ? 'training' : 'retraining'}, ${state.losses.length} steps`;
}

async function runOne(id: string, args: Args): Promise<void> {
  const planned = findJob(id);
  if (!planned) throw new UsageError(`no job "${id}"; list them with --plan`);
  const spec = scaleBudget(planned, args.budgetScale);
  if (isFinished(args.results, spec)) {
    console.log(`${id}: already finished, skipped`);
    return;
  }
  const threads = await setupBackend(args.backend, args.threads ?? defaultThreads());
  const t0 = performance.now();
  const scale = args.budgetScale;
  const found = readCheckpoint(args.results, spec, scale);
  const saved = typeof found === 'string' ? undefined : found;
  if (typeof found === 'string')
    console.log(`${id}: checkpoint not used (${found}); starting over`);
  const from = saved ? `, resuming at ${describeState(saved)}` : '';
  const on = `${machine()}, ${threads} thread${threads > 1 ? 's' : ''}`;
  console.log(`${id}: started (${spec.estimatedMinutes} min estimated${from}) on ${on}`);
  const { result, models } = await runJob(spec, {
    progressEvery: args.logEvery,
    onProgress: (p) =>
      console.log(
        `${p.label}: step ${p.step}/${p.steps} loss ${p.loss.toExponential(3)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
      ),
    checkpoints: {
      saved,
      every: Math.max(1, Math.round(CHECKPOINT_EVERY * scale)),
      save: (state) => {
        writeCheckpoint(args.results, spec, state, scale);
        console.log(`${id}: checkpoint at ${describeState(state)}`);
      },
    },
  });
  const file = writeResult(
    args.results,
    {
      ...result,
      ...(args.budgetScale !== 1 ? { budgetScale: args.budgetScale } : {}),
      run: {
        machine: machine(),
        date: new Date().toISOString().slice(0, 10),
        command: `npm run reproduce -- ${spec.experiment} --job ${id}`,
        threads,
      },
    },
    models,
  );
  removeCheckpoint(args.results, spec, scale);
  console.log(`${id}: finished in ${((performance.now() - t0) / 1000).toFixed(0)} s → ${file}`);
}

/**
 * The rank-1 comparison again, from each finished job's saved model: for results written before
 * the analysis changed (docs/SCIENCE.md §4 now uses the exact theory). Rewrites only `rank1`.
 */
async function reanalyze(args: Args): Promise<void> {
  await setupBackend(args.backend);
  for (const result of readResults(args.results, 'mwg')) {
    if (!result.rank1 || result.budgetScale !== undefined) continue;
    const spec = findJob(result.id);
    if (!spec) continue;
    const text = readFileSync(join(args.results, result.modelFiles.trained), 'utf8');
    const file = parseModelFile(text);
    const experiment = createExperiment(spec.config);
    const model = modelFromArrays(experiment.modelConfig, file.params);
    try {
      const rank1 = jsonSafeDeep(await analyzeRank1(model, experiment));
      rewriteResult(args.results, { ...result, rank1 });
      console.log(`${result.id}: rank-1 analysis recomputed (RMSE vs exact theory ${rank1.rmse})`);
    } finally {
      model.dispose();
    }
  }
}

/** One job in a child process (`--job ID`), so a crash or a kill loses only that job. */
function launchChild(spec: JobSpec, args: Args): Promise<boolean> {
  const childArgs = [
    ...process.execArgv,
    process.argv[1],
    spec.experiment,
    '--job',
    spec.id,
    '--results',
    args.results,
    '--backend',
    args.backend,
    '--log-every',
    String(args.logEvery),
    '--budget-scale',
    String(args.budgetScale),
    // The pool's processes share the cores: each gets its share of threads unless told.
    '--threads',
    String(args.threads ?? Math.max(1, Math.floor(defaultThreads() / args.jobs))),
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, childArgs, { stdio: 'inherit' });
    child.on('exit', (code) => resolve(code === 0));
  });
}

async function main(): Promise<void> {
  const program = configureErrors(new Command('reproduce'))
    .description("Reproduce the paper's experiments as resumable jobs, one result file per job.")
    .argument('<experiment>', `one of ${TARGETS.join(', ')}`, parseChoice('experiment', TARGETS))
    .option(
      '--plan',
      'list the jobs, their estimated minutes (measured where a seed has finished) and whether each has finished',
    )
    .option('--job <id>', 'run exactly this job (for schedulers: SLURM arrays, GNU parallel)')
    .option('--jobs <n>', 'processes to run at once', parseIntArg('--jobs', 1, 256), cpus().length)
    .option('--report', 'rebuild the report from the result files only (no training)')
    .option(
      '--reanalyze',
      "recompute finished rank-1 jobs' theory comparison from their saved models (no training)",
    )
    .option('--only <regex>', 'restrict to job ids matching this regular expression')
    .option('--results <dir>', 'results folder', DEFAULT_RESULTS_DIR)
    .option('--doc <file>', 'the report --report rewrites', 'docs/REPRODUCTION.md')
    .option(
      '--backend <name>',
      // wasm by default: measured 1.5–3× faster than cpu for the RNN and LSTM steps (the tfjs
      // ops around the fused scans), and never slower (docs/PERFORMANCE.md).
      'tfjs backend: cpu or wasm',
      parseChoice('--backend', ['cpu', 'wasm'] as const),
      'wasm',
    )
    .option('--log-every <n>', 'progress every n steps', parseIntArg('--log-every', 1, 1e9), 5000)
    .option(
      '--threads <n>',
      'threads sharing each training step (default: the cores for --job, the cores ÷ --jobs per process otherwise)',
      parseIntArg('--threads', 1, 256),
    )
    .option(
      '--budget-scale <f>',
      'multiply every step count (smoke tests only; the report leaves such results out)',
      parseFloatArg('--budget-scale', 1e-6, 1),
      1,
    )
    .allowExcessArguments(false);
  program.parse(process.argv);
  const target = program.processedArgs[0] as Target;
  const args = program.opts<Args>();
  const modes = [args.plan, args.job !== undefined, args.report, args.reanalyze].filter(
    Boolean,
  ).length;
  if (modes > 1) throw new UsageError('choose one of --plan, --job, --report, --reanalyze');
  if (args.reanalyze) return reanalyze(args);

  if (args.job !== undefined) return runOne(args.job, args);
  const jobs = jobsOf(target, args.only);
  if (args.plan) {
    const measured = measuredMinutes(readResults(args.results));
    let total = 0;
    for (const j of jobs) {
      const done = isFinished(args.results, j);
      const seen = measured.get(siblingKey(j));
      if (!done) total += seen ?? j.estimatedMinutes;
      const partial = done ? undefined : readCheckpoint(args.results, j);
      const notes = [
        ...(seen !== undefined ? [`measured ~${seen} min`] : []),
        ...(typeof partial === 'object' ? [`checkpoint: ${describeState(partial)}`] : []),
      ];
      const note = notes.length ? ` (${notes.join('; ')})` : '';
      console.log(
        `${done ? 'done   ' : 'pending'}  ${j.id.padEnd(40)} ~${j.estimatedMinutes} min${note}`,
      );
    }
    console.log(
      `${jobs.length} jobs; ~${total} single-core minutes pending (measured where a seed has finished)`,
    );
    return;
  }
  if (args.report) {
    // The summary needs every experiment, so --report always rebuilds them all.
    let doc = readFileSync(args.doc, 'utf8');
    const reports = JOB_EXPERIMENTS.map((e) => ({
      experiment: e,
      report: buildReport(e, readResults(args.results, e), planJobs(e)),
    }));
    for (const { experiment, report } of reports) doc = spliceSection(doc, experiment, report.text);
    doc = spliceSection(doc, 'summary', summaryTable(reports));
    writeFileSync(args.doc, doc);
    console.log(`rebuilt ${JOB_EXPERIMENTS.join(', ')} and the summary in ${args.doc}`);
    return;
  }
  const report = await runJobPool(
    jobs,
    args.jobs,
    (j) => isFinished(args.results, j),
    (j) => launchChild(j, args),
    (line) => console.log(line),
  );
  console.log(
    `${report.ran.length} ran, ${report.failed.length} failed, ${report.skipped} skipped`,
  );
  if (report.failed.length > 0) process.exitCode = 1;
}

void runCli('reproduce', main);
