/**
 * `npm run bench [-- --backends cpu,wasm --families nmrnn,lrrnn,rnn,lstm --batches 40,100,400
 *   --steps 20 --rounds 1 --warmup 3 --max-reference-batch 400 --no-simd --no-relaxed-simd --json FILE
 *   --peers]`
 *
 * ms per MWG training step (forward + backward + clipped AdamW + one loss read-back; median over
 * --steps after --warmup) for each model family at its MWG preset size, reference (op-by-op tfjs)
 * vs fused kernels, on each Node backend. Prints a table with ratios. Never fails on a timing.
 * With --peers it also runs scripts/bench-peers.py (PyTorch on the same machine, same batch) and
 * prints our fused figures beside PyTorch's as ratios.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Command } from 'commander';
import * as tf from '@tensorflow/tfjs';
import {
  BENCH_BATCHES,
  BENCH_FAMILIES,
  benchBackend,
  benchPreset,
  formatBenchTable,
  type BenchRow,
} from '../core/bench/stepBench';
import { describePeak, formatPeerTable, type PeerRow } from '../core/bench/benchTable';
import { gigaMultiplyAddsPerSecond, percentOfPeak } from '../core/bench/arithmetic';
import { measurePeak, type Peak } from '../core/bench/peak';
import { setNmrnnSimdEnabled } from '../core/kernels/simd/nmrnnSimd';
import { setRnnSimdEnabled } from '../core/kernels/simd/rnnSimd';
import { setLstmSimdEnabled } from '../core/kernels/simd/lstmSimd';
import { setNmrnnLanesEnabled } from '../core/kernels/simd/nmrnnLanesSimd';
import { relaxedSimdInUse, setRelaxedSimdEnabled } from '../core/kernels/simd/lanes';
import type { ModelKind } from '../core/models/types';
import { setHostStepsEnabled } from '../core/models/fusedRegistry';
import {
  configureErrors,
  parseIntArg,
  runCli,
  setupBackend,
  UsageError,
  type CliBackend,
} from './common';

interface BenchArgs {
  backends: string;
  families: string;
  batches: string;
  steps: number;
  rounds: number;
  warmup: number;
  maxReferenceBatch: number;
  simd: boolean;
  relaxedSimd: boolean;
  nmPerTrial?: boolean;
  hostSteps: boolean;
  impl: string;
  json?: string;
  peers?: boolean;
  presets?: string;
  threads: string;
}

/** PyTorch's figures from scripts/bench-peers.py, or the reason there are none. */
function runPeers(families: ModelKind[], batches: number[], steps: number): PeerRow[] | string {
  const peerFamilies = families.filter((f) => f === 'nmrnn' || f === 'rnn' || f === 'lstm');
  if (peerFamilies.length === 0) return 'no family with a PyTorch peer was benchmarked';
  const args = [
    'scripts/bench-peers.py',
    '--json',
    '--families',
    peerFamilies.join(','),
    '--batches',
    batches.join(','),
    '--steps',
    String(steps),
    '--threads',
    String(cpus().length),
  ];
  // The first interpreter that has PyTorch: $PYTHON, then python3 on the PATH (often a pyenv
  // without it), then the system one that Debian's python3-torch installs into.
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string =>
    Boolean(c),
  );
  let r = spawnSync(candidates[0], args, { encoding: 'utf8' });
  for (const python of candidates.slice(1)) {
    if (r.status === 0) break;
    r = spawnSync(python, args, { encoding: 'utf8' });
  }
  if (r.error) return `python3 could not start (${r.error.message})`;
  if (r.status !== 0) return (r.stderr || `bench-peers.py exited with ${r.status}`).trim();
  try {
    return JSON.parse(r.stdout) as PeerRow[];
  } catch {
    return 'bench-peers.py printed something other than JSON';
  }
}

function list<T extends string>(name: string, value: string, allowed: readonly T[]): T[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const it of items) {
    if (!(allowed as readonly string[]).includes(it)) {
      throw new UsageError(`--${name}: "${it}" is not one of ${allowed.join(', ')}`);
    }
  }
  return items as T[];
}

async function main(): Promise<void> {
  const program = configureErrors(new Command('bench'))
    .option('--backends <list>', 'Node tfjs backends', 'cpu,wasm')
    .option('--families <list>', 'model families', BENCH_FAMILIES.join(','))
    .option('--batches <list>', 'batch sizes', BENCH_BATCHES.join(','))
    .option('--impl <list>', 'implementations', 'reference,fused')
    .option('--steps <n>', 'timed steps per configuration', parseIntArg('--steps', 1, 10000), 20)
    .option(
      '--rounds <n>',
      'time every configuration this many times, interleaved, and report the median of the rounds (a slow spell of a shared machine then hits one round, not one row)',
      parseIntArg('--rounds', 1, 100),
      1,
    )
    .option(
      '--warmup <n>',
      'untimed steps first (and at least 1.5 s of them, so the kernels are optimised)',
      parseIntArg('--warmup', 0, 1000),
      3,
    )
    .option(
      '--max-reference-batch <n>',
      'skip reference runs above this B',
      parseIntArg('--max-reference-batch', 1, 100000),
      400,
    )
    .option('--no-simd', 'run the cpu/wasm kernels of every family as TypeScript loops')
    .option(
      '--no-relaxed-simd',
      'lane kernels from their plain-SIMD build, not the relaxed-SIMD (fused multiply-add) one',
    )
    .option(
      '--nm-per-trial',
      'NM-RNN / LR-RNN training steps with the per-trial SIMD kernel instead of trials in the lanes (for comparison)',
    )
    .option(
      '--no-host-steps',
      'train through tfjs tensors and kernels on cpu/wasm instead of on host arrays (for comparison)',
    )
    .option('--json <file>', 'also write the rows as JSON')
    .option('--peers', 'also time the PyTorch peers (scripts/bench-peers.py) and print ratios')
    .option(
      '--threads <list>',
      'step threads sharing each training step, e.g. 1,2 for the scaling',
      '1',
    )
    .option(
      '--presets <list>',
      "also time these presets' own training steps (their task, sizes and batch; name@B for another batch size), e.g. multitask-nmrnn,multitask-nmrnn@100",
    );
  program.parse();
  const args = program.opts<BenchArgs>();
  const backends = list<CliBackend>('backends', args.backends, ['cpu', 'wasm']);
  const families = list<ModelKind>('families', args.families, BENCH_FAMILIES);
  const impls = list('impl', args.impl, ['reference', 'fused'] as const);
  const batches = args.batches.split(',').map((s) => parseIntArg('--batches', 1, 100000)(s));
  setNmrnnSimdEnabled(args.simd);
  setRnnSimdEnabled(args.simd);
  setLstmSimdEnabled(args.simd);
  setNmrnnLanesEnabled(!args.nmPerTrial);
  setRelaxedSimdEnabled(args.relaxedSimd);
  setHostStepsEnabled(args.hostSteps);

  console.log(
    `bench: ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores ` +
      `(${cpus()[0]?.model ?? 'unknown CPU'}), MWG T=110`,
  );
  // After the first backend's set-up, which turns relaxed SIMD on in Node (cli/relaxedSimd.ts).
  let peak: Peak | null = null;
  const ofPeak = (rate: number, threads: number): string =>
    peak
      ? `, ${percentOfPeak(rate, peak.gigaPerSecond, threads)} % of ${threads > 1 ? `${threads} cores'` : "the core's"} peak`
      : '';
  let announced = false;
  const threadCounts = args.threads.split(',').map((s) => parseIntArg('--threads', 1, 256)(s));
  const rows: BenchRow[] = [];
  for (const backend of backends)
    for (const wanted of threadCounts) {
      const threads = await setupBackend(backend, wanted);
      if (!announced) {
        announced = true;
        peak = measurePeak();
        console.log(describePeak(peak));
        console.log(
          `lane kernels: ${relaxedSimdInUse() ? 'relaxed SIMD (fused multiply-add)' : 'plain SIMD'}; ` +
            `training steps ${args.hostSteps ? 'on host arrays' : 'through tfjs tensors'}`,
        );
      }
      console.log(`\n${backend}, ${threads} thread${threads > 1 ? 's' : ''}:`);
      const measured = await benchBackend({
        families,
        batches,
        impls,
        steps: args.steps,
        rounds: args.rounds,
        warmup: args.warmup,
        maxReferenceBatch: args.maxReferenceBatch,
        onRow: (r) =>
          console.log(
            `  ${r.family.padEnd(6)} N${String(r.N).padEnd(4)} B${String(r.B).padEnd(4)} ` +
              `${r.impl.padEnd(9)} ${r.msPerStep.toFixed(2).padStart(8)} ms/step ` +
              `(p10 ${r.p10.toFixed(2)}, p90 ${r.p90.toFixed(2)}, ${r.steps} steps)`,
          ),
      });
      rows.push(...measured.map((r) => ({ ...r, threads })));
      for (const r of measured.filter((m) => m.roundMedians)) {
        const each = r.roundMedians!.map((m) => m.toFixed(2)).join(', ');
        console.log(
          `  ${r.family.padEnd(6)} B${String(r.B).padEnd(4)} ${r.impl}: median of rounds ` +
            `${r.msPerStep.toFixed(2)} ms/step (rounds ${each})`,
        );
      }
      const presets = (args.presets ?? '').split(',').filter(Boolean);
      for (let round = 0; round < args.rounds; round++) {
        for (const name of presets) {
          const r = await benchPreset(name, args.steps, args.warmup);
          const rate = gigaMultiplyAddsPerSecond(r.multiplyAdds, r.msPerStep);
          console.log(
            `  preset ${name} B${r.B} T${r.T} ${r.msPerStep.toFixed(2)} ms/step (p10 ${r.p10.toFixed(2)}, p90 ${r.p90.toFixed(2)}, ${r.steps} steps; ` +
              `${(r.multiplyAdds / 1e6).toFixed(1)} M multiply-adds, ${rate.toFixed(2)} G/s${ofPeak(rate, threads)})`,
          );
        }
      }
      tf.disposeVariables();
    }
  console.log(`\n${formatBenchTable(rows, peak?.gigaPerSecond)}`);
  let peers: PeerRow[] | undefined;
  if (args.peers) {
    const got = runPeers(families, batches, args.steps);
    if (typeof got === 'string') console.log(`\npeers: skipped: ${got}`);
    else {
      peers = got;
      for (const threads of new Set(rows.map((r) => r.threads ?? 1))) {
        const ours = rows.filter((r) => (r.threads ?? 1) === threads);
        console.log(
          `\nPyTorch peers on the same machine (ours on ${threads} thread${threads > 1 ? 's' : ''}):\n\n${formatPeerTable(ours, got)}`,
        );
      }
    }
  }
  if (args.json) writeFileSync(args.json, JSON.stringify({ rows, peers }, null, 2));
}

void runCli('bench', main);
