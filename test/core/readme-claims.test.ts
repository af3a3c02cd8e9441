// The benchmarks that hold the README's figures ("Not a digit", "Learn my handwriting") find every
// figure in the README as it is, and fail on one that a run does not reproduce. No model runs here:
// the "measured" figures are made from what the README quotes, then moved.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adaptClaims } from '../../bench/adapt-claims.js';
import type { AdaptBench, WriterFigure } from '../../bench/adapt-bench.js';
import { nonDigitClaims, type NonDigitFigures, type SetFigures } from '../../bench/non-digit-claims.js';
import type { ReportSetKey } from '../../bench/non-digit-sets.js';
import { type Claim } from '../../bench/readme-claims.js';
import { NON_DIGIT_KINDS } from '../../src/data/non-digits/generate-non-digits.js';

const readme = readFileSync('README.md', 'utf8');
const KEYS: ReportSetKey[] = ['mnist-test', 'pad-drawn', 'font-digits', 'synthetic', 'font-letters'];
const quotedNumber = (c: Claim | undefined) => Number(/[\d.]+/.exec(c?.quoted ?? '')?.[0]);
const readmeFigures = (c: Claim[]) => c.filter((x) => !x.claim.startsWith('target:'));

/** A figure of a model's run, named as `value` is asked for it: `${set}:${field}`, `kind:${kind}`, `atOne:own|top`, `${fonts}:digits|letters|atOne`, `zeros:flagged|read`. */
type Field = string;
const UNSEEN = ['hard', 'extra'];

/** Figures for both shipped models; `value(model, field)` gives each fraction. */
function nonDigitFigures(value: (model: string, field: Field) => number): NonDigitFigures {
  const models = ['cnn', 'mlp'].map((arg) => ({
    arg,
    label: `${arg} (shipped)`,
    threshold: 0.5,
    topThreshold: 0.5,
    sets: KEYS.map((key): SetFigures => {
      const isDigit = key !== 'synthetic' && key !== 'font-letters';
      const byKind = key === 'synthetic' ? Object.fromEntries(Object.keys(NON_DIGIT_KINDS).map((k) => [k, value(arg, `kind:${k}`)])) : {};
      return { key, name: key, isDigit, flagged: value(arg, `${key}:flagged`), flaggedTop: value(arg, `${key}:flaggedTop`), accuracy: isDigit ? value(arg, `${key}:accuracy`) : undefined, byKind };
    }),
    lettersAtOnePercent: { own: value(arg, 'atOne:own'), top: value(arg, 'atOne:top') },
    markedZeros: { flagged: value(arg, 'zeros:flagged'), readAsZero: value(arg, 'zeros:read') },
    unseenFonts: UNSEEN.map((key) => ({ key, fonts: 1, digitsFlagged: value(arg, `${key}:digits`), lettersFlagged: value(arg, `${key}:letters`), lettersAtOnePercent: value(arg, `${key}:atOne`) })),
  }));
  return { date: '', models };
}

/** The claim `nonDigitClaims` makes of a field. */
function claimOf(model: string, field: Field): string {
  const [a, b] = field.split(':');
  if (a === 'zeros') return `${model}: slashed and dotted zeros, ${b === 'read' ? 'read as 0' : 'flagged'}`;
  if (a === 'kind') return `${model}: synthetic non-digits, ${b}, flagged`;
  if (a === 'atOne') return `${model}: held-out-font letters at 1 % of their digits${b === 'top' ? ', top probability' : ''}`;
  if (UNSEEN.includes(a)) return `${model}: \`${a}\` fonts' ${b === 'atOne' ? 'letters at 1 % of their digits' : `${b} flagged`}`;
  if (b === 'flagged') return `${model}: ${a}, flagged`;
  if (b === 'flaggedTop') return `${model}: ${a}, flagged by top probability`;
  return `${model}: ${a === 'mnist-test' ? 'MNIST test' : a === 'pad-drawn' ? 'pad-drawn' : 'held-out-font'} digit accuracy`;
}

describe('bench:non-digit holds the README\'s "Not a digit" figures', () => {
  // Pass 1 reads what the README quotes; pass 2 "measures" exactly that.
  const probe = nonDigitClaims(readme, nonDigitFigures(() => 0.5));
  const quoted = (model: string, field: Field) => quotedNumber(probe.find((c) => c.claim === claimOf(model, field))) / 100;
  const perModel = KEYS.length * 2 + 3 + 2 + 2 + Object.keys(NON_DIGIT_KINDS).length + UNSEEN.length * 3;

  it('finds every figure for both shipped models: the table, the letters at 1 %, the marked zeros, each kind, each group of unseen fonts', () => {
    const figures = readmeFigures(probe);
    expect(figures).toHaveLength(2 * perModel);
    expect(figures.filter((c) => c.quoted === 'missing')).toEqual([]);
    expect(figures.every((c) => Number.isFinite(quotedNumber(c)))).toBe(true);
  });

  it('agrees with a run that reproduces the README, and fails a figure 0.3 points off', () => {
    const same = nonDigitClaims(readme, nonDigitFigures(quoted));
    expect(readmeFigures(same).filter((c) => !c.met)).toEqual([]);
    for (const [model, field] of [['mlp', 'pad-drawn:flagged'], ['cnn', 'kind:scribble'], ['mlp', 'extra:atOne'], ['cnn', 'atOne:top'], ['cnn', 'zeros:read']]) {
      const moved = nonDigitClaims(readme, nonDigitFigures((m, f) => quoted(m, f) + (m === model && f === field ? 0.003 : 0)));
      expect(readmeFigures(moved).filter((c) => !c.met).map((c) => c.claim)).toEqual([claimOf(model, field)]);
    }
  });

  it('judges each set by its target: at most 1 % of digits flagged, at least 90 % of non-digits', () => {
    const targets = nonDigitClaims(readme, nonDigitFigures((_, f) => (f.endsWith(':flagged') ? (f.startsWith('synthetic') || f.startsWith('font-letters') ? 0.89 : 0.011) : 0.5))).filter((c) => c.claim.startsWith('target:') && c.claim.endsWith('flagged'));
    expect(targets).toHaveLength(2 * KEYS.length);
    expect(targets.every((c) => c.met === false)).toBe(true);
  });
});

describe('the adapt rows of npm run bench hold the README\'s "Learn my handwriting" table', () => {
  /** A run that reproduces the README's row for `model`, read from the claims of a first pass. */
  function reproducing(model: 'cnn' | 'mlp'): AdaptBench {
    const writer = (name: string, after: number, mnistAfter: number): WriterFigure => ({ writer: name, before: 0.9, after, mnistAfter, seconds: 4 });
    const probe = adaptClaims(readme, { ...bench(model, [writer('w', 1, 0.99)]), mnistBefore: 0.99 });
    const q = (name: string) => probe.find((c) => c.claim === `adapt ${model}: ${name}`);
    const mnistBefore = quotedNumber(q('MNIST test accuracy before')) / 100;
    const kept = /^(\d+) of (\d+)/.exec(q('writers keeping MNIST within 0.3 points')?.quoted ?? '');
    const total = kept ? Number(kept[2]) : 21;
    const keep = kept ? Number(kept[1]) : total - 1;
    const worst = writer(q('worst writer after')!.quoted, quotedNumber(q("worst writer's drawings, after")) / 100, mnistBefore);
    worst.before = quotedNumber(q("worst writer's drawings, before")) / 100;
    const forgetful = writer(q('writer with the worst MNIST after')!.quoted, 1, quotedNumber(q('MNIST test accuracy, worst after')) / 100);
    // A writer keeps MNIST when it loses at most 0.3 points (the worst one may, when every writer does).
    const kept03 = (w: WriterFigure) => (mnistBefore - w.mnistAfter) * 100 <= 0.3 + 1e-9;
    const oneMore = writer('one-more', 1, keep > (kept03(forgetful) ? 1 : 0) ? mnistBefore : mnistBefore - 0.004);
    const first = forgetful.writer === worst.writer ? [{ ...worst, mnistAfter: forgetful.mnistAfter }, oneMore] : [worst, forgetful];
    const keptSoFar = first.filter(kept03).length;
    const others = Array.from({ length: total - 2 }, (_, i) => writer(`writer-${i}`, 1, i < keep - keptSoFar ? mnistBefore : mnistBefore - 0.004));
    const writers = [...first, ...others];
    return { ...bench(model, writers), mnistBefore, overallBefore: quotedNumber(q("writers' other drawings, before")) / 100, overallAfter: quotedNumber(q("writers' other drawings, after")) / 100 };
  }
  function bench(model: 'cnn' | 'mlp', writers: WriterFigure[]): AdaptBench {
    const worstAfter = writers.reduce((a, b) => (b.after < a.after ? b : a));
    return { model, writers, overallBefore: 0.9, overallAfter: 0.99, worstAfter, mnistBefore: 0.99, mnistWorstDrop: 0, firstAdaptSeconds: 5, firstAdaptOnlySeconds: 4, meanAdaptSeconds: 4, tensorsFlat: true };
  }

  it('finds every figure of both rows and agrees with a run that reproduces them', () => {
    for (const model of ['cnn', 'mlp'] as const) {
      const claims = adaptClaims(readme, reproducing(model));
      expect(claims.filter((c) => c.quoted === 'missing'), model).toEqual([]);
      expect(claims.filter((c) => c.met === false), model).toEqual([]);
    }
  });

  it('fails a writer figure one drawing and a half off (0.75 points), and another worst writer', () => {
    const run = reproducing('cnn');
    const moved = { ...run, worstAfter: { ...run.worstAfter, writer: 'someone-else', after: run.worstAfter.after + 0.0075 } };
    expect(adaptClaims(readme, moved).filter((c) => c.met === false).map((c) => c.claim)).toEqual(['adapt cnn: worst writer after', "adapt cnn: worst writer's drawings, after"]);
  });
});
