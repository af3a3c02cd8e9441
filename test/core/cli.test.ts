import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../src/io/png.js';
import { paintStrokes } from '../../src/data/non-digits/brush.js';
import { loadPretrained } from '../../src/pretrained/load-pretrained.js';
import { CLI, runCli } from './helpers/run-cli.js';

/** An arc as a stroke (flat x, y list) in pad units. */
function arcStroke(cx: number, cy: number, r: number, a0: number, a1: number): number[] {
  return Array.from({ length: 25 }, (_, i) => [cx + r * Math.cos(a0 + ((a1 - a0) * i) / 24), cy + r * Math.sin(a0 + ((a1 - a0) * i) / 24)]).flat();
}

const FIXTURES = join(__dirname, '../fixtures/digits');
const tmp = mkdtempSync(join(tmpdir(), 'dc-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cli = runCli;

describe('digit-classifier CLI (built dist/cli.js)', () => {
  it('is built', () => {
    expect(existsSync(CLI)).toBe(true);
  });

  it('train prints the lesson epoch lines, the confusion matrix and top 3 pairs, and saves the model', () => {
    const out = join(tmp, 'mlp');
    const r = cli('train', '--limit', '3000', '--epochs', '2', '--seed', '3', '--out', out, '--quiet');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^epoch 1 train_loss=\d\.\d{4} test_acc=0\.\d{4} time=\d+\.\d\ds$/m);
    expect(r.out).toMatch(/^epoch 2 train_loss=/m);
    expect(r.out).toMatch(/confusion matrix \(rows true, columns predicted\)/);
    expect(r.out).toMatch(/top 3 confusion pairs:\n1\. \d↔\d \(\d+: /);
    expect(r.out).toMatch(/wasm \(simd, 1 thread\)/);
    expect(r.out).toMatch(/^training engine: fused \((simd128|relaxed-simd), [12] threads?\): dense model on the wasm backend.*; (1 thread|2 threads): /m);
    const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(existsSync(join(out, 'weights.bin'))).toBe(true);
  });

  it('train --engine tfjs trains on tfjs ops and says so', () => {
    const r = cli('train', '--limit', '640', '--epochs', '1', '--engine', 'tfjs', '--out', join(tmp, 'mlp-tfjs'), '--quiet');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^training engine: tfjs: asked for the tfjs path/m);
    expect(r.out).toMatch(/^epoch 1 train_loss=/m);
  });

  it('train --non-digits --non-digit-share trains the "not a digit" output with that share of non-digits', () => {
    const out = join(tmp, 'mlp-non-digits');
    const r = cli('train', '--limit', '1200', '--epochs', '1', '--non-digits', '--non-digit-share', '0.5', '--seed', '3', '--out', out, '--quiet');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^recipe: .* non-digits share=0\.5; /m);
    expect(r.out).toMatch(/^epoch 1 train_loss=\d\.\d{4} test_acc=0\.\d{4} time=\d+\.\d\ds threshold=0\.\d{4} held_out_non_digits_flagged=/m);
    const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(json.digitClassifier.nonDigit.threshold).toBeGreaterThan(0);
  });

  it('evaluate reports test accuracy, pairs and ECE before/after temperature scaling', () => {
    const r = cli('evaluate', '--model', join(tmp, 'mlp'));
    expect(r.code).toBe(0);
    const acc = Number(/test accuracy (\d+\.\d+)%/.exec(r.out)?.[1]);
    expect(acc).toBeGreaterThan(85);
    expect(r.out).toMatch(/top 3 confusion pairs:/);
    expect(r.out).toMatch(/ECE.*\d+\.\d+% before, \d+\.\d+% after temperature scaling \(T=\d+\.\d+/);
    // A model trained without the "not a digit" output still reports the rates, on its top probability.
    expect(r.out).toMatch(/not a digit \(score: no "not a digit" output: the top probability \(weaker\); threshold 0\.7000\): \d+\.\d\d% of test digits flagged, \d+\.\d% of 1000 synthetic non-digits flagged/);
  });

  it('predict --json reads drawn, inverted, alpha-only and photographed digits with the shipped CNN', () => {
    const files = ['seven-dark-on-light.png', 'three-light-on-dark.png', 'four-alpha.png', 'two-pencil-photo.png'].map((f) => join(FIXTURES, f));
    const r = cli('predict', '--json', ...files);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.digit)).toEqual([7, 3, 4, 2]);
    for (const l of lines) {
      expect(l.probabilities).toHaveLength(10);
      expect(l.probabilities.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 4);
      expect(Object.keys(l)).toEqual(['file', 'digit', 'probabilities', 'isDigit', 'digitScore']);
      expect(l.isDigit).toBe(true);
      expect(l.digitScore).toBeGreaterThan(0.5);
      expect(l.digitScore).toBeLessThanOrEqual(1);
    }
    expect(lines[0].file).toBe(files[0]);
  });

  it('predict says "not a digit" for a drawn smiley and a star, in text and in --json', () => {
    const smiley = [arcStroke(0.5, 0.5, 0.35, 0, 2.05 * Math.PI), [0.38, 0.4], [0.62, 0.4], arcStroke(0.5, 0.55, 0.18, 0.15 * Math.PI, 0.85 * Math.PI)];
    const star = [Array.from({ length: 6 }, (_, i) => [0.5 + 0.4 * Math.cos(-Math.PI / 2 + (4 * Math.PI * i) / 5), 0.52 + 0.4 * Math.sin(-Math.PI / 2 + (4 * Math.PI * i) / 5)]).flat()];
    const files = [['smiley', smiley], ['star', star]].map(([name, strokes]) => {
      const file = join(tmp, `${name}.png`);
      writeFileSync(file, encodePng(paintStrokes(strokes as number[][], { side: 280, penSize: 0.08 })));
      return file;
    });
    const text = cli('predict', ...files);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/smiley\.png: not a digit \(digit score 0\.\d\d; closest digit \d: \d \d+\.\d%/);
    expect(text.out).toMatch(/star\.png: not a digit/);
    const json = cli('predict', '--json', ...files).out.trim().split('\n').map((l) => JSON.parse(l));
    expect(json.map((l) => l.isDigit)).toEqual([false, false]);
    for (const l of json) expect(l.digitScore).toBeLessThan(loadPretrained('cnn').spec.nonDigit!.threshold);
  });

  it('predict works with a saved model directory and the shipped mlp', () => {
    const file = join(FIXTURES, 'seven-dark-on-light.png');
    expect(cli('predict', '--model', 'mlp', file).out).toMatch(/seven-dark-on-light\.png: 7 \(7 \d+\.\d%/);
    expect(cli('predict', '--model', join(tmp, 'mlp'), file).code).toBe(0);
  });

  it('rejects invalid options before any work, naming the option, with exit code 2', () => {
    for (const [args, pattern] of [
      [['train', '--batch', '0'], /--batch: expected an integer >= 1, got "0"/],
      [['train', '--lr=-1'], /--lr: expected a number > 0, got "-1"/],
      [['train', '--lr', '0'], /--lr: expected a number > 0, got "0"/],
      [['train', '--model', 'resnet'], /--model: expected one of mlp, mlp-deep, cnn, got "resnet"/],
      [['train', '--epochs', 'two'], /--epochs/],
      [['train', '--optimiser', 'adam'], /Unknown option '--optimiser'/],
      [['train', '--engine', 'gpu'], /--engine: expected one of auto, fused, tfjs, got "gpu"/],
      [['train', '--threads', '0'], /--threads: expected an integer >= 1 and <= 16, got "0"/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['evaluate'], /--model is required/],
    ] as const) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(pattern);
      expect(r.out).not.toMatch(/^epoch/m);
    }
  });

  it('fails with exit code 1 and a typed error naming the file for bad images and models', () => {
    const bad = join(tmp, 'not-a-png.png');
    writeFileSync(bad, 'hello');
    const empty = join(tmp, 'empty.png');
    writeFileSync(empty, '');
    let r = cli('predict', join(FIXTURES, 'seven-dark-on-light.png'), bad);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ImageDecodeError: .*not-a-png\.png/);
    expect(r.out).toMatch(/seven-dark-on-light\.png: 7 /); // the good file still gets its answer
    r = cli('predict', empty);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/empty\.png/);
    r = cli('predict', join(tmp, 'missing.png'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/missing\.png: cannot read the file: no such file or folder \(ENOENT\)/);
    r = cli('evaluate', '--model', join(tmp, 'nope'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^digit-classifier evaluate: ModelFileError: .*nope: cannot read the model file: no such file or folder \(ENOENT\)\n$/);
  });

  it('prints help for every command', () => {
    for (const c of ['train', 'evaluate', 'predict', 'export']) {
      const r = cli(c, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`Usage: digit-classifier ${c}`));
    }
  });
});

describe('digit-classifier CLI: the bugs of a first hour', () => {
  const seven = join(FIXTURES, 'seven-dark-on-light.png');
  const three = join(FIXTURES, 'three-light-on-dark.png');

  it('predict answers every good file, names every bad one on its own stderr line, and exits 1 at the end', () => {
    const bad = join(tmp, 'bad-one.png');
    writeFileSync(bad, 'not a png');
    const blank = join(tmp, 'blank-page.png');
    writeFileSync(blank, encodePng({ width: 40, height: 40, data: new Uint8ClampedArray(40 * 40 * 4).fill(255) }));
    const missing = join(tmp, 'no-such-digit.png');
    for (const json of [false, true]) {
      const r = cli('predict', ...(json ? ['--json'] : []), seven, bad, three, blank, missing);
      expect(r.code).toBe(1);
      const out = r.out.trim().split('\n');
      expect(out).toHaveLength(2);
      if (json) expect(out.map((l) => JSON.parse(l)).map((l) => [l.file, l.digit])).toEqual([[seven, 7], [three, 3]]);
      else expect(out).toEqual([expect.stringMatching(/seven-dark-on-light\.png: 7 /), expect.stringMatching(/three-light-on-dark\.png: 3 /)]);
      const err = r.err.trim().split('\n');
      expect(err).toHaveLength(3);
      expect(err[0]).toMatch(/^digit-classifier predict: ImageDecodeError: .*bad-one\.png: /);
      expect(err[1]).toMatch(/^digit-classifier predict: ImageDecodeError: .*blank-page\.png: .*ink/);
      expect(err[2]).toMatch(/^digit-classifier predict: ImageDecodeError: .*no-such-digit\.png: cannot read the file: no such file or folder \(ENOENT\)$/);
    }
  });

  it('train --out on an unwritable path fails before any work, naming the path', () => {
    for (const out of ['/dev/null/x', join(FIXTURES, 'seven-dark-on-light.png')]) {
      const r = cli('train', '--out', out, '--limit', '2000', '--epochs', '1', '--quiet');
      expect(r.code, out).toBe(2);
      expect(r.err).toMatch(new RegExp(`--out: cannot write a model folder at ${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
      expect(r.out).toBe(''); // no backend line, no epoch: nothing started
    }
    const r = cli('export', '--model', 'mlp', '--out', '/dev/null/x.dcm');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out: cannot write .*\/dev\/null\/x\.dcm/);
    expect(r.out).toBe('');
  });

  it('train, evaluate and export refuse extra positional arguments with a usage error (exit 2)', () => {
    for (const args of [['train', 'cnn'], ['train', '--epochs', '1', 'extra'], ['evaluate', '--model', 'mlp', 'models/mlp'], ['export', '--model', 'mlp', '--out', join(tmp, 'x.dcm'), 'extra']]) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(new RegExp(`unexpected argument "${args[args.length - 1].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"`));
      expect(r.out).toBe('');
    }
  });

  it('output piped into a reader that closes early (head) ends quietly with the shell\'s SIGPIPE status, 141', () => {
    // 600 JSON lines (~130 KB) overflow the pipe buffer after head has gone: the CLI's writes meet EPIPE.
    const files = Array.from({ length: 600 }, () => seven);
    const script = `set -o pipefail; "${process.execPath}" "${CLI}" predict --json ${files.map((f) => `"${f}"`).join(' ')} | head -n 1 > /dev/null`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(141);
    // train's first line goes out, then head is gone: the next line meets EPIPE (this was a stack trace and exit 7).
    const train = `set -o pipefail; "${process.execPath}" "${CLI}" train --limit 500 --epochs 1 --quiet --out "${join(tmp, 'piped')}" | head -n 1`;
    const t = spawnSync('bash', ['-c', train], { encoding: 'utf8', timeout: 120_000 });
    expect(t.stdout).toMatch(/^model mlp /);
    expect(t.stderr).toBe('');
    expect(t.status).toBe(141);
  });

  it('evaluate and export take the shipped model names (cnn, mlp) as predict does', () => {
    const r = cli('evaluate', '--model', 'mlp');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^model mlp \(shipped\)/m);
    expect(Number(/test accuracy (\d+\.\d+)%/.exec(r.out)?.[1])).toBeGreaterThan(98);
    // The shipped mlp's "not a digit" rates (0.36 % of test digits and 91.5 % of these non-digits measured).
    const nd = /not a digit \(score: its "not a digit" output; threshold 0\.\d{4}\): (\d+\.\d\d)% of test digits flagged, (\d+\.\d)% of 1000 synthetic non-digits flagged/.exec(r.out);
    expect(nd).not.toBeNull();
    expect(Number(nd![1])).toBeLessThanOrEqual(1);
    expect(Number(nd![2])).toBeGreaterThan(88);
    const out = join(tmp, 'shipped-cnn.dcm');
    const e = cli('export', '--model', 'cnn', '--out', out, '--dtype', 'float16');
    expect(e.err).toBe('');
    expect(e.code).toBe(0);
    expect(existsSync(out)).toBe(true);
  });
});
