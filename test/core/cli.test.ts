import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// Runs the built CLI (`npm test` builds first), as `npx digit-classifier` would.
const CLI = join(__dirname, '../../dist/cli.js');
const FIXTURES = join(__dirname, '../fixtures/digits');
const tmp = mkdtempSync(join(tmpdir(), 'dc-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const res = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: res.status, out: res.stdout, err: res.stderr };
}

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

  it('evaluate reports test accuracy, pairs and ECE before/after temperature scaling', () => {
    const r = cli('evaluate', '--model', join(tmp, 'mlp'));
    expect(r.code).toBe(0);
    const acc = Number(/test accuracy (\d+\.\d+)%/.exec(r.out)?.[1]);
    expect(acc).toBeGreaterThan(85);
    expect(r.out).toMatch(/top 3 confusion pairs:/);
    expect(r.out).toMatch(/ECE.*\d+\.\d+% before, \d+\.\d+% after temperature scaling \(T=\d+\.\d+/);
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
    }
    expect(lines[0].file).toBe(files[0]);
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
      [['evaluate'], /--model DIR is required/],
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
    expect(r.out).toBe(''); // nothing half-written: every image is decoded before any output
    r = cli('predict', empty);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/empty\.png/);
    r = cli('predict', join(tmp, 'missing.png'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/missing\.png: cannot read the file \(ENOENT\)/);
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
