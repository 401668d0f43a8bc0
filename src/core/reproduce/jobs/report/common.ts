/**
 * What every experiment's report section shares: formatting, grouping results by protocol and
 * model, the claim table and the NM-RNN-vs-baselines verdict from one-sided Mann–Whitney tests.
 */
import { mannWhitney, type Summary } from '../../stats';
import type { JobResult } from '../jobResult';
import type { JobSpec, Protocol } from '../plan';

export type Verdict = 'reproduced' | 'partly reproduced' | 'not reproduced' | 'pending';

/** Fewer seeds than this per model and a claim is "pending", not judged. */
export const MIN_SEEDS_FOR_VERDICT = 3;
/** One-sided significance level of the NM-RNN-vs-baseline tests. */
export const ALPHA = 0.05;

export interface ClaimRow {
  claim: string;
  verdict: Verdict;
  why: string;
}

export const fmt = (v: number, digits = 3): string => {
  if (!Number.isFinite(v)) return 'n/a';
  if (v !== 0 && (Math.abs(v) < 1e-2 || Math.abs(v) >= 1e4)) return v.toExponential(digits - 1);
  return v.toPrecision(digits);
};
export const fmtSummary = (s: Summary): string =>
  s.n === 0 ? 'n/a' : s.n === 1 ? fmt(s.median) : `${fmt(s.median)} [${fmt(s.q1)}–${fmt(s.q3)}]`;
export const fmtValues = (s: Summary): string => s.values.map((v) => fmt(v, 3)).join(', ');
export const fmtP = (p: number): string =>
  Number.isFinite(p) ? (p < 0.001 ? '<0.001' : p.toFixed(3)) : 'n/a';
export const minutes = (s: number): string =>
  s < 120 ? `${s.toFixed(0)} s` : `${(s / 60).toFixed(1)} min`;
export const metric = (r: JobResult, key: string): number => r.metrics[key] ?? NaN;

export interface Group {
  model: string;
  label: string;
  protocol: Protocol;
  runs: JobResult[];
}

/** Results grouped by (protocol, model), in the plan's model order. */
function groups(results: JobResult[], plan: JobSpec[]): Group[] {
  const order: string[] = [];
  for (const j of plan)
    if (!order.includes(`${j.protocol}|${j.model}`)) order.push(`${j.protocol}|${j.model}`);
  const out: Group[] = [];
  for (const key of order) {
    const [protocol, model] = key.split('|') as [Protocol, string];
    const runs = results.filter((r) => r.protocol === protocol && r.model === model);
    const label = plan.find((j) => j.model === model)?.label ?? model;
    out.push({ model, label, protocol, runs: runs.sort((a, b) => a.seed - b.seed) });
  }
  return out;
}

/** Each protocol's groups, in the order given, leaving out protocols with no finished run. */
export function protocolGroups(
  results: JobResult[],
  plan: JobSpec[],
  protocols: readonly Protocol[],
): [Protocol, Group[]][] {
  const all = groups(results, plan);
  return protocols.flatMap((protocol): [Protocol, Group[]][] => {
    const gs = all.filter((g) => g.protocol === protocol);
    return gs.some((g) => g.runs.length > 0) ? [[protocol, gs]] : [];
  });
}

export function progressLine(results: JobResult[], plan: JobSpec[]): string {
  const seconds = results.reduce((a, r) => a + r.seconds + (r.retrain?.seconds ?? 0), 0);
  const machines = [...new Set(results.map((r) => r.run.machine))];
  return (
    `${results.length} of ${plan.length} planned jobs finished; training time ${minutes(seconds)} in all` +
    (machines.length ? ` on ${machines.join('; ')}` : '') +
    '. Values: median [interquartile range] over seeds; every seed listed.'
  );
}

export function claimTable(rows: ClaimRow[]): string[] {
  return [
    '| claim | verdict | computed from |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.claim} | **${r.verdict}** | ${r.why} |`),
  ];
}

/**
 * The smallest one-sided p an exact rank test can give with n1 and n2 seeds: 1 / C(n1+n2, n1).
 * With 3 seeds against 3 it is 0.05, so no difference can reach p < 0.05 there.
 */
export function smallestP(n1: number, n2: number): number {
  let c = 1;
  for (let k = 1; k <= n1; k++) c = (c * (n2 + k)) / k;
  return 1 / c;
}

/**
 * "NM-RNN better than every baseline" from one-sided tests: reproduced when every test is
 * significant, partly when some are, not when none. Pending while any model has too few seeds, or
 * while a comparison cannot reach significance whatever the numbers (smallestP); the tests already
 * possible are listed all the same.
 */
export function versusBaselines(
  nm: number[],
  baselines: { label: string; values: number[] }[],
  lowerIsBetter: boolean,
): { verdict: Verdict; why: string } {
  const n = nm.filter(Number.isFinite).length;
  const tests = baselines.map((b) => {
    const m = b.values.filter(Number.isFinite).length;
    const enough = n >= MIN_SEEDS_FOR_VERDICT && m >= MIN_SEEDS_FOR_VERDICT;
    const decidable = enough && smallestP(n, m) < ALPHA;
    const t = lowerIsBetter ? mannWhitney(nm, b.values) : mannWhitney(b.values, nm);
    return { label: b.label, p: t.pLess, m, enough, decidable };
  });
  const listed = tests
    .map((t) =>
      t.enough
        ? `${t.label} ${fmtP(t.p)} (${n} vs ${t.m} seeds${t.decidable ? '' : `; smallest possible ${fmtP(smallestP(n, t.m))}`})`
        : `${t.label}: ${n} vs ${t.m} seeds`,
    )
    .join('; ');
  if (tests.some((t) => !t.decidable)) {
    const short = tests.some((t) => !t.enough);
    const need = short
      ? `needs ≥ ${MIN_SEEDS_FOR_VERDICT} seeds per model`
      : `needs more seeds: an exact one-sided test on these counts cannot reach p < ${ALPHA}`;
    return { verdict: 'pending', why: `${need}; one-sided Mann–Whitney p so far: ${listed}` };
  }
  const wins = tests.filter((t) => t.p < ALPHA).length;
  const verdict: Verdict =
    wins === tests.length ? 'reproduced' : wins > 0 ? 'partly reproduced' : 'not reproduced';
  return { verdict, why: `one-sided Mann–Whitney p: ${listed}` };
}

export interface ExperimentReport {
  /** The Markdown section. */
  text: string;
  claims: ClaimRow[];
}
