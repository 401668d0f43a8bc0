/**
 * `npm run presets:build [-- --only NAME,NAME] [--results DIR] [--out DIR] [--summary]`
 * Writes every gallery preset's shipped weights from a finished reproduction job (see
 * src/core/reproduce/presetSources.ts for which job and which seed), with the job's training
 * history, plus the summary the gallery cards show. No training happens here: run
 * `npm run reproduce` first.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { parseModelFile, serializeModel, type ModelHistory } from '../core/io/modelFile';
import {
  choosePresetResult,
  headline,
  PRESET_SOURCES,
  sourceMetrics,
  type PresetSource,
} from '../core/reproduce/presetSources';
import type { PresetSummary } from '../core/config/presetResults';
import { presetTable } from '../core/reproduce/presetFile';
import { spliceSection } from '../core/reproduce/report';
import { DEFAULT_RESULTS_DIR, readResults } from './jobStore';
import { configureErrors, runCli, UsageError } from './common';

/** The gallery's shipped weights as a Markdown table (docs/REPRODUCTION.md). */
function presetsTable(summary: Record<string, PresetSummary>): string {
  const rows = PRESET_SOURCES.map((src) => {
    const s = summary[src.name];
    if (!s) return `| ${src.name} | not shipped yet (no finished job) | | |`;
    const note = [
      s.paperSaysFails ? 'the paper reports this model failing' : '',
      s.shortfall ? `**falls short**: ${s.shortfall}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return `| ${src.name} | ${s.headline} | ${s.selection}; ${s.steps.toLocaleString('en')} steps (job \`${s.job}\`) | ${note} |`;
  });
  return ['| preset | measured | which weights | note |', '|---|---|---|---|', ...rows].join('\n');
}

interface BuildArgs {
  doc: string;
  only?: string;
  results: string;
  out: string;
  summaryFile: string;
  summary?: boolean;
}

async function main(): Promise<void> {
  const program = configureErrors(new Command('presets:build'))
    .description("Write the gallery presets' weights from finished reproduction jobs.")
    .option('--only <names>', 'comma-separated preset names (default: all)')
    .option('--results <dir>', 'results folder', DEFAULT_RESULTS_DIR)
    .option('--out <dir>', 'directory to write <name>.json into', 'public/presets')
    .option(
      '--summary-file <file>',
      'the gallery summary to write',
      'src/core/config/presetResults.json',
    )
    .option('--summary', 'print a Markdown table of the files in --out, then exit')
    .option('--doc <file>', 'the report whose presets section is rewritten', 'docs/REPRODUCTION.md')
    .allowExcessArguments(false);
  program.parse(process.argv);
  const args = program.opts<BuildArgs>();

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
  let sources: PresetSource[] = [...PRESET_SOURCES];
  if (args.only) {
    const wanted = args.only.split(',').map((s) => s.trim());
    const unknown = wanted.filter((n) => !sources.some((s) => s.name === n));
    if (unknown.length > 0) {
      throw new UsageError(
        `not a gallery preset: ${unknown.join(', ')}; known: ${sources.map((s) => s.name).join(', ')}`,
      );
    }
    sources = sources.filter((s) => wanted.includes(s.name));
  }

  const results = readResults(args.results);
  const summary = JSON.parse(readFileSync(args.summaryFile, 'utf8')) as Record<
    string,
    PresetSummary
  >;
  mkdirSync(args.out, { recursive: true });
  for (const source of sources) {
    const choice = choosePresetResult(source, results);
    if (!choice) {
      // Weights not made by a finished job (older short-budget builds) fail their task: the
      // preset opens untrained instead until its job finishes.
      const file = join(args.out, `${source.name}.json`);
      if (existsSync(file) && !JSON.parse(readFileSync(file, 'utf8')).createdWith?.job) {
        rmSync(file);
        delete summary[source.name];
        console.log(`${source.name}: no finished job yet; removed weights not made by one`);
      } else {
        console.log(`${source.name}: no finished ${source.experiment}/${source.model} job yet`);
      }
      continue;
    }
    const r = choice.result;
    const file = source.network === 'retrained' ? r.modelFiles.retrained : r.modelFiles.trained;
    if (!file) throw new Error(`${r.id} has no ${source.network} model file`);
    const contents = parseModelFile(readFileSync(join(args.results, file), 'utf8'));
    const history: ModelHistory =
      source.network === 'retrained' && r.retrain
        ? { lossBlock: r.retrain.lossBlock, loss: r.retrain.loss, evals: [] }
        : r.history;
    const steps = source.network === 'retrained' ? (r.retrain?.steps ?? 0) : r.steps;
    const text = serializeModel({
      ...contents,
      createdWith: {
        ...contents.createdWith,
        app: 'nmrnn-playground presets:build',
        preset: source.name,
        steps,
        selection: choice.why,
      },
      history,
    });
    writeFileSync(join(args.out, `${source.name}.json`), text);
    const metrics = sourceMetrics(source, r);
    const shortfall = source.bar?.(metrics);
    summary[source.name] = {
      headline: headline(source, metrics),
      ...(shortfall ? { shortfall } : {}),
      selection: choice.why,
      job: r.id,
      steps: source.network === 'retrained' ? r.steps + steps : r.steps,
      ...(source.paperSaysFails ? { paperSaysFails: true } : {}),
    };
    console.log(
      `${source.name}: ${summary[source.name].headline} — ${choice.why}${shortfall ? ` — SHORT: ${shortfall}` : ''}`,
    );
  }
  const sorted = Object.fromEntries(Object.entries(summary).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(args.summaryFile, `${JSON.stringify(sorted, null, 2)}\n`);
  console.log(`wrote ${args.summaryFile}`);
  if (existsSync(args.doc)) {
    writeFileSync(
      args.doc,
      spliceSection(readFileSync(args.doc, 'utf8'), 'presets', presetsTable(sorted)),
    );
    console.log(`updated the presets section of ${args.doc}`);
  }
}

void runCli('presets:build', main);
