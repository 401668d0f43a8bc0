/**
 * `npx tsx scripts/render-figures.ts [--in out/reproduce] [--out docs/figures]`
 * Renders the report's figures from the reproduce results JSON with Plotly (the app's plotting
 * library, the app's palette and light theme) in headless Chromium, as small PNGs.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './chromium.mjs';
import { categorical, conditionColor, LIGHT_THEME } from '../src/ui/palette';
import { themedLayout } from '../src/ui/plots/theme';
import type { MwgResult } from '../src/core/reproduce/mwg';
import type { Rank1Result } from '../src/core/reproduce/rank1';
import type { EftResult } from '../src/core/reproduce/eft';
import type { MultitaskResult } from '../src/core/reproduce/multitask';
import type { Figure } from '../src/ui/plots/figure';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const IN = arg('--in', 'out/reproduce');
const OUT = arg('--out', 'docs/figures');

const read = <T>(name: string): T | undefined => {
  const f = join(IN, `${name}.json`);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as T) : undefined;
};
/** JSON nulls (NaN when written) back to NaN-free plot gaps. */
const nn = (v: number | null) => (v === null ? null : v);

interface Named extends Figure {
  name: string;
  width: number;
  height: number;
}
const figures: Named[] = [];
const base = (title: string) => ({
  title: { text: title, font: { size: 13 } },
  margin: { l: 60, r: 20, t: 40, b: 50 },
});

const mwg = read<MwgResult>('mwg');
if (mwg) {
  const lo = Math.min(...mwg.trainedIntervals);
  const hi = Math.max(...mwg.trainedIntervals);
  const range = [0, Math.max(...mwg.intervals) + 14];
  figures.push({
    name: 'mwg-produced',
    width: 560,
    height: 420,
    data: [
      {
        type: 'scatter',
        mode: 'lines',
        x: range,
        y: range,
        name: 'identity',
        line: { color: '#888', dash: 'dot' },
      },
      ...mwg.models.map((m, i) => ({
        type: 'scatter' as const,
        mode: 'lines+markers' as const,
        name: m.label,
        x: mwg.intervals,
        y: m.producedMedian.map(nn),
        line: { color: categorical(i) },
        error_y: {
          type: 'data' as const,
          symmetric: false,
          array: mwg.intervals.map((_, j) => {
            const v = m.runs.map((r) => r.produced[j]).filter((x): x is number => x !== null);
            return v.length ? Math.max(...v) - (m.producedMedian[j] ?? 0) : 0;
          }),
          arrayminus: mwg.intervals.map((_, j) => {
            const v = m.runs.map((r) => r.produced[j]).filter((x): x is number => x !== null);
            return v.length ? (m.producedMedian[j] ?? 0) - Math.min(...v) : 0;
          }),
          thickness: 1,
          width: 2,
        },
      })),
    ],
    layout: {
      ...base(`MWG: produced vs target interval (median, range over ${mwg.seeds.length} seeds)`),
      xaxis: { title: { text: 'target interval I (steps)' }, range: [0, 28] },
      yaxis: { title: { text: 'produced interval (steps)' }, range: [0, 40] },
      shapes: [
        {
          type: 'rect',
          xref: 'x',
          yref: 'paper',
          x0: lo,
          x1: hi,
          y0: 0,
          y1: 1,
          fillcolor: '#999',
          opacity: 0.15,
          line: { width: 0 },
        },
      ],
      legend: { x: 0.02, y: 0.98 },
    },
  });
  figures.push({
    name: 'mwg-mse',
    width: 560,
    height: 380,
    data: (['mseTrained', 'mseExtrapolated'] as const).map((key, g) => ({
      type: 'scatter' as const,
      mode: 'markers' as const,
      name: key === 'mseTrained' ? 'trained intervals' : 'extrapolated intervals',
      x: mwg.models.flatMap((m) => m.runs.map(() => m.label)),
      y: mwg.models.flatMap((m) => m.runs.map((r) => r[key])),
      marker: { color: categorical(g), size: 9, symbol: g === 0 ? 'circle' : 'diamond' },
      offsetgroup: String(g),
    })),
    layout: {
      ...base('MWG: MSE per seed on the evaluation set'),
      yaxis: { type: 'log', title: { text: 'MSE' } },
      scattermode: 'group',
      legend: { orientation: 'h', y: -0.15 },
    },
  });
  const nm = mwg.models.find((m) => m.label === 'NM-RNN');
  const outs = nm?.runs[0]?.outputs;
  if (nm && outs) {
    const panels = outs.length;
    const titles = ['intact', ...Array.from({ length: panels - 1 }, (_, k) => `s${k + 1} → 0`)];
    const data: Figure['data'] = [];
    outs.forEach((rows, p) => {
      rows.forEach((y, b) => {
        const I = mwg.intervals[b];
        data.push({
          type: 'scatter',
          mode: 'lines',
          x: y.map((_, t) => t),
          y,
          xaxis: p === 0 ? 'x' : (`x${p + 1}` as 'x2'),
          yaxis: p === 0 ? 'y' : (`y${p + 1}` as 'y2'),
          line: { color: conditionColor(I, 4, 26), width: 1.3 },
          name: `I=${I}`,
          showlegend: p === 0,
        });
      });
    });
    const layout: Figure['layout'] = {
      ...base(`MWG NM-RNN (seed ${nm.runs[0].seed}): output with each s_k clamped to 0`),
      grid: { rows: 1, columns: panels, pattern: 'independent' },
      annotations: titles.map((t, p) => ({
        text: t,
        xref: `x${p === 0 ? '' : p + 1} domain` as 'x domain',
        yref: 'paper',
        x: 0.5,
        y: 1.0,
        yanchor: 'bottom',
        showarrow: false,
      })),
      legend: { font: { size: 8 }, tracegroupgap: 0 },
    };
    for (let p = 0; p < panels; p++) {
      const k = p === 0 ? '' : String(p + 1);
      (layout as Record<string, unknown>)[`yaxis${k}`] = { range: [-1.2, 1.2] };
      (layout as Record<string, unknown>)[`xaxis${k}`] = { title: { text: 'step' } };
    }
    figures.push({ name: 'mwg-ablation', width: 900, height: 340, data, layout });
  }
}

const rank1 = read<Rank1Result>('rank1');
if (rank1?.runs[0]) {
  const run = rank1.runs[0];
  const shown = run.intervals.filter((p) => [4, 8, 12, 18, 26].includes(p.interval));
  figures.push({
    name: 'rank1-theory',
    width: 560,
    height: 400,
    data: shown.flatMap((p) => {
      const color = conditionColor(p.interval, 4, 26);
      const t = p.trained.map((_, i) => i);
      return [
        {
          type: 'scatter' as const,
          mode: 'lines' as const,
          x: t,
          y: p.trained,
          name: `trained I=${p.interval}`,
          line: { color },
        },
        {
          type: 'scatter' as const,
          mode: 'lines' as const,
          x: t,
          // Outside the plotted band (and at the singularity) the theory is left as a gap.
          y: p.theory.map((v) =>
            v === null || !Number.isFinite(v) || v < -0.2 || v > 1.2 ? null : v,
          ),
          name: `theory I=${p.interval}`,
          line: { color, dash: 'dash' },
        },
      ];
    }),
    layout: {
      ...base(`Rank-1 NM-RNN (seed ${run.seed}): s(t) over the ramp vs theory (dashed)`),
      xaxis: { title: { text: 'steps after go' } },
      yaxis: { title: { text: 's(t)' }, range: [-0.2, 1.2] },
      legend: { font: { size: 9 } },
    },
  });
}

const eft = read<EftResult>('eft');
if (eft) {
  const Q = eft.models[0]?.mseByQueryMedian.length ?? 0;
  figures.push({
    name: 'eft-mse-by-query',
    width: 600,
    height: 380,
    data: [
      ...eft.models.map((m, i) => ({
        type: 'scatter' as const,
        mode: 'lines+markers' as const,
        name: m.label,
        x: Array.from({ length: Q }, (_, q) => q),
        y: m.mseByQueryMedian.map(nn),
        line: { color: categorical(i) },
        marker: { size: 4 },
      })),
      {
        type: 'scatter',
        mode: 'lines',
        name: `chance ${eft.chanceMse.toFixed(2)}`,
        x: [0, Q - 1],
        y: [eft.chanceMse, eft.chanceMse],
        line: { color: '#888', dash: 'dot' },
      },
    ],
    layout: {
      ...base(`EFT: final MSE by query position (median over ${eft.seeds.length} seeds)`),
      xaxis: { title: { text: 'query position q' } },
      yaxis: { title: { text: 'MSE' }, rangemode: 'tozero' },
      legend: { font: { size: 9 } },
    },
  });
}

const mt = read<MultitaskResult>('multitask');
if (mt) {
  const tasks = [...mt.trainedTasks, mt.heldOut];
  const med = (v: (number | null | undefined)[]) => {
    const s = v.filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
    return s.length
      ? s.length % 2
        ? s[s.length >> 1]
        : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
      : null;
  };
  figures.push({
    name: 'multitask-percent',
    width: 640,
    height: 380,
    data: mt.models.flatMap((m, i) => [
      {
        type: 'bar' as const,
        name: `${m.label} before`,
        x: tasks,
        y: tasks.map((t) => med(m.runs.map((r) => r.before[t]))),
        marker: { color: categorical(i), opacity: 0.5, pattern: { shape: '/' } },
        offsetgroup: `${i}b`,
      },
      {
        type: 'bar' as const,
        name: `${m.label} after retraining`,
        x: tasks,
        y: tasks.map((t) => med(m.runs.map((r) => r.after[t]))),
        marker: { color: categorical(i) },
        offsetgroup: `${i}a`,
      },
    ]),
    layout: {
      ...base('Cognitive tasks: percent correct before / after Memory Anti retraining'),
      barmode: 'group',
      yaxis: { title: { text: '% correct' }, range: [0, 100] },
      legend: { font: { size: 9 } },
    },
  });
}

async function main(): Promise<void> {
  if (figures.length === 0) {
    console.log(`no results in ${IN}; run npm run reproduce first`);
    return;
  }
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumArgs() });
  try {
    const page = await browser.newPage();
    await page.setContent('<html><body style="margin:0"><div id="fig"></div></body></html>');
    await page.addScriptTag({ path: resolve('node_modules/plotly.js-dist-min/plotly.min.js') });
    for (const f of figures) {
      const layout = themedLayout({ ...f.layout, width: f.width, height: f.height }, LIGHT_THEME);
      const png = await page.evaluate(
        async ({ data, layout, width, height }) => {
          // Plotly is a page global here (loaded by the script tag above).
          const P = (
            window as unknown as {
              Plotly: {
                newPlot: (...a: unknown[]) => Promise<unknown>;
                toImage: (...a: unknown[]) => Promise<string>;
              };
            }
          ).Plotly;
          const el = document.getElementById('fig');
          await P.newPlot(el, data, layout, { staticPlot: true });
          return P.toImage(el, { format: 'png', width, height, scale: 1 });
        },
        { data: f.data, layout, width: f.width, height: f.height },
      );
      const file = join(OUT, `${f.name}.png`);
      writeFileSync(file, Buffer.from(png.replace(/^data:image\/png;base64,/, ''), 'base64'));
      console.log(`wrote ${file}`);
    }
  } finally {
    await browser.close();
  }
}

void main();
