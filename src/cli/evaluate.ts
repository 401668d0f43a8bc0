/**
 * `npm run evaluate -- --model FILE [--task-set train|extrapolate|test] [--json]`
 * Prints a model file's task metrics; with --json, one JSON object with the metrics and the raw
 * inputs, outputs and targets, so other tools can check our numbers.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import {
  createExperiment,
  evalSetByName,
  TASK_SET_NAMES,
  type TaskSetName,
} from '../core/experiment';
import { modelFromArrays } from '../core/models';
import { evaluateModel } from '../core/analysis';
import { parseModelFile } from '../core/io/modelFile';
import type { ScanImpl } from '../core/models/types';
import {
  configureErrors,
  withEngineOptions,
  parseChoice,
  runCli,
  setupBackend,
  UsageError,
  type CliBackend,
} from './common';
import { experimentOf } from './modelOutput';
import { jsonSafe } from '../core/io/experimentFile';
import { formatMetrics } from './format';

interface EvaluateArgs {
  model?: string;
  taskSet: TaskSetName;
  json?: boolean;
  backend: CliBackend;
  impl?: ScanImpl;
}

/** [B][T][C] nested arrays from a row-major Float32Array. */
function nest(data: Float32Array, B: number, T: number, C: number): number[][][] {
  const out: number[][][] = [];
  for (let b = 0; b < B; b++) {
    const trial: number[][] = [];
    for (let t = 0; t < T; t++) {
      const o = (b * T + t) * C;
      trial.push(Array.from(data.subarray(o, o + C)));
    }
    out.push(trial);
  }
  return out;
}

async function main(): Promise<void> {
  const program = withEngineOptions(configureErrors(new Command('evaluate')))
    .description('Evaluate a model file on its task and print the metrics.')
    .option('--model <file>', 'model file written by `npm run train` or the page')
    .option(
      '--task-set <name>',
      'train, extrapolate or test',
      parseChoice('--task-set', TASK_SET_NAMES),
      'test',
    )
    .option(
      '--json',
      'print one JSON object {metrics, inputs, outputs, targets, meta} and nothing else',
    )
    .allowExcessArguments(false);
  program.parse(process.argv);
  const args = program.opts<EvaluateArgs>();
  if (!args.model) throw new UsageError('--model FILE is required');

  let text: string;
  try {
    text = readFileSync(args.model, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read ${args.model}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  const file = parseModelFile(text);
  const config = experimentOf(file.config, args.model);

  await setupBackend(args.backend);
  const exp = createExperiment(config);
  const set = evalSetByName(exp, args.taskSet);
  const model = modelFromArrays(file.config, file.params);
  const ev = await evaluateModel(model, set.batch, { impl: args.impl });
  const metrics = { loss: ev.loss, ...exp.metrics(set, ev.outputs.data) };
  const { B, T, U, O } = set.batch;

  if (args.json) {
    process.stdout.write(
      JSON.stringify({
        metrics: jsonSafe(metrics),
        inputs: nest(set.batch.inputs, B, T, U),
        outputs: nest(ev.outputs.data, B, T, O),
        targets: nest(set.batch.targets, B, T, O),
        meta: set.batch.meta,
      }) + '\n',
    );
  } else {
    console.log(
      `${args.model}: ${file.config.kind} on ${config.task.family}, ${set.name} set (${B} trials)`,
    );
    console.log(formatMetrics(metrics));
  }
  model.dispose();
}

void runCli('evaluate', main);
