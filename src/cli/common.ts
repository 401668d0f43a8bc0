/**
 * What the Node entry points share: argument errors as one line and exit code 2, the tfjs backend
 * set-up (with the fused kernels registered), and reading files.
 */
import * as tf from '@tensorflow/tfjs';
import { CommanderError, type Command } from 'commander';
import { registerFusedKernels } from '../core/kernels/register';
import { defaultThreads, startStepThreads } from './stepThreads';
import { enableRelaxedSimd } from './relaxedSimd';

export type CliBackend = 'cpu' | 'wasm';

/** Bad usage: the message is printed as one line and the process exits with code 2. */
export class UsageError extends Error {}

/** Make commander report bad arguments as one line and exit 2, and --help exit 0. */
export function configureErrors(program: Command): Command {
  return program.exitOverride().configureOutput({
    writeErr: (s) => process.stderr.write(s.split('\n')[0].trim() ? `${s.split('\n')[0]}\n` : ''),
  });
}

/** Run a CLI main, mapping errors to exit codes: 2 for usage errors, 1 for anything else. */
export async function runCli(name: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exit(err.exitCode === 0 ? 0 : 2);
    }
    if (err instanceof UsageError) {
      process.stderr.write(`${name}: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

export function parseIntArg(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new UsageError(`${name} must be an integer in [${min}, ${max}], got "${value}"`);
    }
    return n;
  };
}

export function parseFloatArg(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new UsageError(`${name} must be a number in [${min}, ${max}], got "${value}"`);
    }
    return n;
  };
}

export function parseChoice<T extends string>(name: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new UsageError(`${name} must be one of ${choices.join(', ')}, got "${value}"`);
    }
    return value as T;
  };
}

/**
 * Start tfjs on the requested backend, quietly, with the fused kernels registered, and `threads`
 * step threads (1: every step on this thread). Returns the threads in use.
 */
export async function setupBackend(backend: CliBackend, threads = 1): Promise<number> {
  enableRelaxedSimd();
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  registerFusedKernels();
  // The cpu backend greets Node users with an advert for tfjs-node, which cannot install here;
  // drop that one message so progress output stays readable.
  const warn = console.warn;
  console.warn = (...a: unknown[]) => {
    if (!String(a[0]).includes('tfjs-node')) warn(...a);
  };
  let ok: boolean;
  try {
    ok = await tf.setBackend(backend);
    // The advert comes with the backend's first tensor write.
    tf.scalar(0).dispose();
  } finally {
    console.warn = warn;
  }
  if (!ok) throw new Error(`could not start the ${backend} backend`);
  await tf.ready();
  return startStepThreads(threads);
}

/** `--threads`: step threads for the fused training steps (core/kernels/threads). */
export function withThreadsOption(program: Command, fallback = defaultThreads()): Command {
  return program.option(
    '--threads <n>',
    `threads that share each training step (default ${fallback})`,
    parseIntArg('--threads', 1, 256),
    fallback,
  );
}

/** The --backend and --impl options every engine-running command takes. */
export function withEngineOptions(program: Command): Command {
  return program
    .option(
      '--backend <name>',
      'tfjs backend: cpu or wasm',
      parseChoice('--backend', ['cpu', 'wasm'] as const),
      'cpu',
    )
    .option(
      '--impl <impl>',
      'recurrence implementation: fused or reference (default: fused where available)',
      parseChoice('--impl', ['fused', 'reference'] as const),
    );
}
