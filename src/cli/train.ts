/**
 * `npm run train -- --preset NAME [--steps N] [--seed S] [--backend cpu|wasm] [--out FILE]`
 * Trains a preset in Node, prints progress and final metrics, and writes a model file.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Command } from 'commander';
import * as tf from '@tensorflow/tfjs';
import { PRESETS, findPreset } from '../core/config/presets';
import { BOUNDS, withOverrides, TRAIN_STAGES } from '../core/config/schema';
import { resolveModelConfig } from '../core/experiment';
import { activeImpl } from '../core/kernels/register';
import { createRun, disposeRun } from '../core/train/run';
import { evaluateModel } from '../core/analysis';
import { serializeModel } from '../core/io/modelFile';
import type { ScanImpl } from '../core/models/types';
import {
  configureErrors,
  withEngineOptions,
  withThreadsOption,
  parseChoice,
  parseFloatArg,
  parseIntArg,
  runCli,
  setupBackend,
  UsageError,
  type CliBackend,
} from './common';
import { createdWith, jsonSafe } from '../core/io/experimentFile';
import { formatMetrics } from './format';

interface TrainArgs {
  threads: number;
  preset?: string;
  list?: boolean;
  steps?: number;
  seed?: number;
  dataSeed?: number;
  backend: CliBackend;
  impl?: ScanImpl;
  lr?: number;
  stage?: (typeof TRAIN_STAGES)[number];
  out?: string;
  logEvery: number;
  quiet?: boolean;
}

async function main(): Promise<void> {
  const program = withThreadsOption(withEngineOptions(configureErrors(new Command('train'))))
    .description('Train a preset NM-RNN (or baseline) in Node and write a model file.')
    .option('--preset <name>', 'preset to train (see --list)')
    .option('--list', 'list the presets and exit')
    .option(
      '--steps <n>',
      'training steps (default: the preset’s)',
      parseIntArg('--steps', 0, BOUNDS.steps[1]),
    )
    .option('--seed <s>', 'initialisation seed', parseIntArg('--seed', 0, BOUNDS.seed[1]))
    .option('--data-seed <s>', 'trial-sampling seed', parseIntArg('--data-seed', 0, BOUNDS.seed[1]))
    .option(
      '--lr <rate>',
      'learning rate (default: the preset’s)',
      parseFloatArg('--lr', BOUNDS.lr[0], BOUNDS.lr[1]),
    )
    .option(
      '--stage <group>',
      'parameters that train: all, nm, output or input',
      parseChoice('--stage', TRAIN_STAGES),
    )
    .option('--out <file>', 'write the trained model file here')
    .option(
      '--log-every <n>',
      'print progress every n steps',
      parseIntArg('--log-every', 1, 1e9),
      100,
    )
    .option('--quiet', 'print only the final metrics')
    .showHelpAfterError(false)
    .allowExcessArguments(false);
  program.parse(process.argv);
  const args = program.opts<TrainArgs>();

  if (args.list) {
    const width = Math.max(...PRESETS.map((p) => p.name.length));
    for (const p of PRESETS) console.log(`${p.name.padEnd(width)}  ${p.title} — ${p.question}`);
    return;
  }
  if (!args.preset) throw new UsageError('--preset is required (see --list)');
  const preset = findPreset(args.preset);
  if (!preset) {
    throw new UsageError(
      `unknown preset "${args.preset}"; known: ${PRESETS.map((p) => p.name).join(', ')}`,
    );
  }

  const config = withOverrides(preset.config, {
    seeds: {
      ...(args.seed !== undefined ? { init: args.seed } : {}),
      ...(args.dataSeed !== undefined ? { data: args.dataSeed } : {}),
    },
    training: {
      ...(args.lr !== undefined ? { lr: args.lr } : {}),
      ...(args.stage !== undefined ? { stage: args.stage } : {}),
      ...(args.steps !== undefined ? { steps: args.steps } : {}),
    },
  });

  const threads = await setupBackend(args.backend, args.threads);
  const modelConfig = resolveModelConfig(config);
  const impl = args.impl ?? activeImpl(modelConfig.kind, modelConfig);
  const run = createRun(config, { impl });
  const { experiment: exp, model, trainer: session } = run;

  const log = (s: string) => {
    if (!args.quiet) console.log(s);
  };
  log(
    `preset ${preset.name}: ${exp.modelConfig.kind} N=${exp.modelConfig.N} R=${exp.modelConfig.R} ` +
      `M=${exp.modelConfig.M}, ${model.paramCount()} parameters; backend ${tf.getBackend()} ` +
      `(${threads} thread${threads > 1 ? 's' : ''}), ` +
      `${impl} recurrence; ${config.training.steps} steps, lr ${config.training.lr}`,
  );

  const steps = config.training.steps;
  const start = performance.now();
  let windowStart = start;
  let windowSteps = 0;
  let lastLoss = NaN;
  for (let i = 0; i < steps; i++) {
    const r = await session.step();
    if (!r.ok) {
      console.error(`stopped: ${r.reason}`);
      break;
    }
    lastLoss = r.loss;
    windowSteps++;
    if (r.step % args.logEvery === 0 || r.step === steps || r.step === 1) {
      const now = performance.now();
      const rate = (windowSteps / (now - windowStart)) * 1000;
      log(
        `step ${String(r.step).padStart(6)}  loss ${r.loss.toExponential(4)}  ${rate.toFixed(1)} steps/s`,
      );
      windowStart = now;
      windowSteps = 0;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  log(
    `trained ${session.stepCount} steps in ${seconds.toFixed(1)} s (last loss ${lastLoss.toExponential(4)})`,
  );

  const metrics: Record<string, number> = {};
  for (const set of exp.evalSets) {
    const ev = await evaluateModel(model, set.batch, { impl });
    const m = exp.metrics(set, ev.outputs.data);
    console.log(`\n${set.name} set (${set.batch.B} trials):`);
    console.log(formatMetrics(m));
    for (const [k, v] of Object.entries(m)) metrics[`${set.name}.${k}`] = v;
    metrics[`${set.name}.loss`] = ev.loss;
  }

  if (args.out) {
    const params = await session.getParams();
    const text = serializeModel({
      config: { ...exp.modelConfig, experiment: config },
      params,
      metrics: jsonSafe(metrics),
      seeds: config.seeds,
      createdWith: createdWith('cli', session.stepCount),
    });
    mkdirSync(dirname(args.out), { recursive: true });
    writeFileSync(args.out, text);
    console.log(`\nwrote ${args.out} (${(text.length / 1024).toFixed(1)} KiB)`);
  }
  disposeRun(run);
}

void runCli('train', main);
