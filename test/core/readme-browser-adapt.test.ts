// bench:browser's adapt-cnn rows hold the README's browser-worker figures ("Learn my handwriting"):
// the check finds them in the README as it is, passes runs that reproduce them, and fails a run
// slower than the slack allows or over the 10 s target. No browser runs here: the runs are made
// from what the README quotes, then moved.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adaptTargets, README_SLACK, readmeAdaptFigures, summarizeAdapt, type AdaptRun } from '../../bench/browser-adapt.mjs';

const readme = readFileSync('README.md', 'utf8');
const ENGINES = ['chromium', 'firefox', 'webkit'] as const;

/** Two runs per engine: the README's figures, and a slower one. */
function runs(scale: (engine: string, key: 'adapt' | 'total') => number = () => 1): AdaptRun[] {
  const figures = readmeAdaptFigures(readme)!;
  return ENGINES.flatMap((engine) => [1, 1.3].map((slower) => {
    const adapt = figures[engine].adapt * scale(engine, 'adapt') * slower;
    const total = figures[engine].total * scale(engine, 'total') * slower;
    return { engine, name: 'adapt-cnn', backend: { name: 'wasm', wasmVariant: 'simd', threads: 1 }, startSeconds: 1, mnistSeconds: total - adapt - 1, adaptSeconds: adapt, totalSeconds: total, examplesAccuracyBefore: 0.9, examplesAccuracy: 1, othersAfter: 10 };
  }));
}
const missed = (r: AdaptRun[], text = readme) => adaptTargets(summarizeAdapt(r), text).filter((t) => !t.met).map((t) => t.target);

describe('bench:browser holds the README\'s browser-worker adapt figures', () => {
  it('finds the two figures of each engine (adapt alone below start to adapted) and passes runs that reproduce them', () => {
    const figures = readmeAdaptFigures(readme);
    expect(figures).not.toBeNull();
    for (const engine of ENGINES) expect(figures![engine].adapt).toBeLessThan(figures![engine].total);
    expect(missed(runs())).toEqual([]);
  });

  it('fails a figure the best run exceeds by more than the slack, a run over 10 s, and a sentence it cannot find', () => {
    expect(missed(runs((e, k) => (e === 'firefox' && k === 'adapt' ? README_SLACK * 1.01 : 1)))).toEqual([`firefox: README's Firefox figure for adapt alone holds (best run ≤ ${README_SLACK}× it)`]);
    const slow = runs().map((r) => (r.engine === 'webkit' ? { ...r, totalSeconds: 10.5 + r.totalSeconds! / 100 } : r));
    expect(missed(slow).filter((t) => t.includes('≤ 10 s'))).toEqual(['webkit: adapt the shipped CNN in the worker ≤ 10 s, starting the worker and loading MNIST (10,000) included']);
    expect(missed(runs(), readme.replace(/the adaptation\s+takes/, 'adapting takes'))).toHaveLength(1);
    expect(missed([{ engine: 'chromium', name: 'adapt-cnn', failed: 'worker crashed' }])).toHaveLength(1);
  });
});
