import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tsx = join('node_modules', '.bin', 'tsx');

function cli(script: 'train' | 'evaluate', args: string[]) {
  const r = spawnSync(tsx, [`src/cli/${script}.ts`, ...args], {
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('CLI', () => {
  it('lists the presets', () => {
    const r = cli('train', ['--list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^mwg-nmrnn\s/m);
    expect(r.stdout).toMatch(/^eft-rnn\s/m);
  });

  it('answers bad arguments with one line and exit code 2', () => {
    for (const [script, args] of [
      ['train', ['--preset', 'nope']],
      ['train', ['--preset', 'mwg-nmrnn', '--steps', '-3']],
      ['train', ['--preset', 'mwg-nmrnn', '--backend', 'tpu']],
      ['train', ['--bogus']],
      ['evaluate', []],
      ['evaluate', ['--model', 'x.json', '--task-set', 'everything']],
    ] as const) {
      const r = cli(script, [...args]);
      expect(r.code, `${script} ${args.join(' ')}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('prints --help and exits 0', () => {
    const r = cli('evaluate', ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--task-set/);
  });

  it('trains, writes a model file, and evaluate --json prints exactly one JSON object', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nmrnn-cli-'));
    const out = join(dir, 'model.json');
    const t = cli('train', [
      '--preset',
      'mwg-nmrnn',
      '--steps',
      '5',
      '--out',
      out,
      '--log-every',
      '1',
    ]);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/fused|reference/);
    expect(t.stdout).toMatch(/step\s+5\s+loss/);
    const file = JSON.parse(readFileSync(out, 'utf8'));
    expect(file.format).toBe('nmrnn-playground/model');

    const e = cli('evaluate', ['--model', out, '--task-set', 'extrapolate', '--json']);
    expect(e.code, e.stderr).toBe(0);
    const parsed = JSON.parse(e.stdout);
    expect(Object.keys(parsed).sort()).toEqual(['inputs', 'meta', 'metrics', 'outputs', 'targets']);
    expect(parsed.outputs).toHaveLength(12);
    expect(parsed.outputs[0]).toHaveLength(110);
    expect(parsed.inputs[0][0]).toHaveLength(3);
    // The metric recorded at training time is the one evaluate recomputes.
    expect(parsed.metrics.mse).toBeCloseTo(file.metrics['extrapolate.mse'], 6);
  });

  it('rejects a broken model file with a message naming the problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nmrnn-cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format":"something-else"}');
    const r = cli('evaluate', ['--model', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/format/);
  });
});
