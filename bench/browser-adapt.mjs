// The browser worker's "Learn my handwriting" rows of bench:browser: the runs
// of window.runAdapt (bench-browser.html) per engine, summarised as the best
// of a few fresh workers, printed as a table, checked against issue 13's
// target (the CNN adapted in at most 10 s, starting the worker and loading
// MNIST included) and against the README sentence that quotes them.

/** Issue 13: seconds from `createTrainer` to the adapted CNN, MNIST download included. */
export const TARGET_SECONDS = 10;

/**
 * How much slower than a README figure a run's best may be before the figure
 * counts as no longer true. The figures are timings on a 2-core machine shared
 * with other builds, where a run is only ever slowed down: the README quotes
 * the best of three fresh workers, and a later run is slower by whatever else
 * runs then. Measured here in three bench runs within ten minutes (load
 * average 4.6 to 7.7 on the 2 cores): single runs of one bench spread up to
 * 1.6× (Chromium's adapt, 3.26–5.31 s), and the best of three moved up to
 * 1.65× between bench runs (WebKit, start → adapted, 5.03 → 8.27 s; adapt
 * alone 2.56 → 4.14 s) with no change to the code it ran. 2× lets such a run
 * pass and still fails a figure the code no longer reaches (a slowdown to
 * twice or more). A run faster than the README passes: the sentence calls its
 * figures upper bounds from a loaded machine, and a quiet machine would fail
 * a two-sided check; the ratio is printed, so a re-measure shows what to update.
 */
export const README_SLACK = 2;

const ENGINE_NAMES = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' };

/** The best run (least total seconds) of each engine, with the spread of its runs. */
export function summarizeAdapt(runs) {
  const byEngine = new Map();
  for (const r of runs) byEngine.set(r.engine, [...(byEngine.get(r.engine) ?? []), r]);
  return [...byEngine].map(([engine, all]) => {
    const ok = all.filter((r) => !r.failed);
    const best = ok.reduce((a, r) => (a && a.totalSeconds <= r.totalSeconds ? a : r), null);
    const range = (key) => (ok.length ? [Math.min(...ok.map((r) => r[key])), Math.max(...ok.map((r) => r[key]))] : null);
    return { engine, name: all[0].name, runs: all.length, ok: ok.length, failed: all.find((r) => r.failed)?.failed, best, adaptRange: range('adaptSeconds'), totalRange: range('totalSeconds') };
  });
}

const describe = (b) => {
  const e = b.trainingEngine;
  const tfjs = b.name === 'wasm' ? `tfjs wasm ${b.wasmVariant} ×${b.threads}` : b.name;
  return `auto → ${tfjs}${e?.name === 'fused' ? ` (fit: fused ${e.variant.simd} ×${e.variant.threads})` : ''}`;
};
const span = ([lo, hi]) => `${lo.toFixed(2)}–${hi.toFixed(2)}`;

/** The table: per engine, the parts of the run fastest from start to adapted, and the spread over all runs. */
export function adaptTable(summaries) {
  const head = ['engine', 'row', 'backend', 'runs', 'createTrainer s', 'loadMnist(10k) s', 'adapt s', 'start→adapted s', 'adapt s, all runs', 'start→adapted s, all runs', 'drawings read right'];
  const body = summaries.map((s) =>
    !s.best
      ? [s.engine, s.name, '–', `0 of ${s.runs}`, '–', '–', '–', '–', '–', '–', `failed: ${s.failed}`]
      : [s.engine, s.name, describe(s.best.backend), `${s.ok} of ${s.runs}`, s.best.startSeconds.toFixed(2), s.best.mnistSeconds.toFixed(2), s.best.adaptSeconds.toFixed(2), s.best.totalSeconds.toFixed(2), span(s.adaptRange), span(s.totalRange), `the 10 given ${s.best.examplesAccuracyBefore * 10} → ${s.best.examplesAccuracy * 10}; 10 others after: ${s.best.othersAfter}`],
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n');
}

/**
 * The README's browser-worker figures ("Learn my handwriting"): seconds of
 * `adapt` alone and from starting the worker, per engine; null when the
 * sentence is not found (which fails the check: the bench holds those figures).
 */
export function readmeAdaptFigures(readme) {
  const start = readme.indexOf('\n## Learn my handwriting');
  const end = readme.indexOf('\n## ', start + 1);
  const text = readme.slice(start, end < 0 ? undefined : end).replace(/\s+/g, ' ');
  const m = /the adaptation takes ([\d.]+) s in Chromium, ([\d.]+) s in Firefox and ([\d.]+) s in WebKit, and ([\d.]+) s, ([\d.]+) s and ([\d.]+) s with starting the worker/.exec(start < 0 ? '' : text);
  if (!m) return null;
  const n = m.slice(1).map(Number);
  return { chromium: { adapt: n[0], total: n[3] }, firefox: { adapt: n[1], total: n[4] }, webkit: { adapt: n[2], total: n[5] } };
}

/** The target and the README's figures, per engine that ran: `{ target, value, met }`. */
export function adaptTargets(summaries, readme) {
  const figures = readmeAdaptFigures(readme);
  const targets = [];
  if (!figures) targets.push({ target: 'README "Learn my handwriting": the browser worker\'s adapt seconds per engine', value: 'sentence not found ("the adaptation takes … s in Chromium, … s in Firefox and … s in WebKit, and … s, … s and … s with starting the worker")', met: false });
  for (const s of summaries) {
    const best = s.best;
    targets.push({ target: `${s.engine}: adapt the shipped CNN in the worker ≤ ${TARGET_SECONDS} s, starting the worker and loading MNIST (10,000) included`, value: best ? `${best.totalSeconds.toFixed(2)} s (best of ${s.ok}; adapt alone, best of ${s.ok}: ${s.adaptRange[0].toFixed(2)} s)` : `no run completed: ${s.failed}`, met: Boolean(best && best.totalSeconds <= TARGET_SECONDS) });
    const quoted = figures?.[s.engine];
    if (!quoted || !best) continue;
    for (const [key, label] of [['adapt', 'adapt alone'], ['total', 'start → adapted']]) {
      const measured = key === 'adapt' ? s.adaptRange[0] : best.totalSeconds; // each the best of the runs
      targets.push({ target: `${s.engine}: README's ${ENGINE_NAMES[s.engine]} figure for ${label} holds (best run ≤ ${README_SLACK}× it)`, value: `README ${quoted[key]} s, best run ${measured.toFixed(2)} s (${(measured / quoted[key]).toFixed(2)}× the README)`, met: measured <= quoted[key] * README_SLACK });
    }
  }
  return targets;
}
