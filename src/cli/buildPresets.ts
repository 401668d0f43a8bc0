/**
 * `npm run presets:build [-- --only NAME,NAME] [--steps N] [--out DIR]`
 * Trains every shipped gallery preset with its fixed seeds and writes public/presets/<name>.json
 * (model-file format) for the page to open trained.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import * as tf from '@tensorflow/tfjs';
import { BOUNDS } from '../core/config/schema';
import { PRESET_BUILD_PLAN, type PresetBuild } from '../core/reproduce/presetPlan';
import { buildPresetFile, presetTable } from '../core/reproduce/presetFile';
import {
  configureErrors,
  parseChoice,
  parseIntArg,
  runCli,
  setupBackend,
  UsageError,
  type CliBackend,
} from './common';

interface BuildArgs {
  only?: string;
  steps?: number;
  out: string;
  backend: CliBackend;
  list?: boolean;
  summary?: boolean;
}

async function main(): Promise<void> {
  const program = configureErrors(new Command('presets:build'))
    .description('Train the gallery presets with fixed seeds and write their model files.')
    .option('--only <names>', 'comma-separated preset names (default: all shipped presets)')
    .option(
      '--steps <n>',
      'override every preset’s step count (for a quick check; do not ship such files)',
      parseIntArg('--steps', 1, BOUNDS.steps[1]),
    )
    .option('--out <dir>', 'directory to write <name>.json into', 'public/presets')
    .option(
      '--backend <name>',
      'tfjs backend: cpu or wasm',
      parseChoice('--backend', ['cpu', 'wasm'] as const),
      'cpu',
    )
    .option('--list', 'list the shipped presets and their step counts, then exit')
    .option('--summary', 'print a Markdown table of the files in --out (no training), then exit')
    .allowExcessArguments(false);
  program.parse(process.argv);
  const args = program.opts<BuildArgs>();

  if (args.list) {
    for (const b of PRESET_BUILD_PLAN) console.log(`${b.name.padEnd(20)} ${b.steps} steps`);
    return;
  }
  if (args.summary) {
    const files = readdirSync(args.out)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => ({
        name: f.replace(/\.json$/, ''),
        text: readFileSync(join(args.out, f), 'utf8'),
      }));
    console.log(presetTable(files));
    return;
  }
  let plan: PresetBuild[] = [...PRESET_BUILD_PLAN];
  if (args.only) {
    const wanted = args.only.split(',').map((s) => s.trim());
    const unknown = wanted.filter((n) => !plan.some((b) => b.name === n));
    if (unknown.length > 0) {
      throw new UsageError(
        `not a shipped preset: ${unknown.join(', ')}; shipped: ${plan.map((b) => b.name).join(', ')}`,
      );
    }
    plan = plan.filter((b) => wanted.includes(b.name));
  }
  if (args.steps !== undefined) plan = plan.map((b) => ({ ...b, steps: args.steps ?? b.steps }));

  await setupBackend(args.backend);
  mkdirSync(args.out, { recursive: true });
  const t0 = performance.now();
  let bytes = 0;
  for (const build of plan) {
    console.log(`${build.name}: ${build.steps} steps on ${tf.getBackend()}`);
    const built = await buildPresetFile(build, {
      backend: tf.getBackend(),
      progressEvery: 250,
      onProgress: (p) =>
        console.log(`  ${p.label} step ${p.step}/${p.steps}  loss ${p.loss.toExponential(3)}`),
    });
    const file = join(args.out, `${build.name}.json`);
    writeFileSync(file, built.text);
    bytes += Buffer.byteLength(built.text);
    const headline = Object.entries(built.metrics)
      .filter(([k]) =>
        /^(extrapolate|train|test)\.(mse|mseTrained|mseExtrapolated|percentCorrect)$/.test(k),
      )
      .map(([k, v]) => `${k}=${v === null ? 'n/a' : v.toPrecision(4)}`)
      .join('  ');
    console.log(
      `  wrote ${file} (${(Buffer.byteLength(built.text) / 1024).toFixed(1)} KiB) in ` +
        `${built.seconds.toFixed(0)} s; ${headline}`,
    );
  }
  console.log(
    `\n${plan.length} presets, ${(bytes / 1024).toFixed(1)} KiB in all, ` +
      `${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
}

void runCli('presets:build', main);
