import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { CLI, runCli as cli } from './helpers/run-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'dc-cli-conventions-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('digit-classifier CLI conventions', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));

  it('--version prints the package version', () => {
    for (const flag of ['--version', '-v']) {
      const r = cli(flag);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`${pkg.version}\n`);
    }
  });

  it('loads tfjs only once a command\'s flags have passed: --help, --version and usage errors answer without it', () => {
    // Every module dist/cli.js imports statically, followed through the build: none imports tfjs.
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(file, 'utf8');
      expect(code, file).not.toMatch(/^import .*'@tensorflow\//m);
      for (const m of code.matchAll(/^(?:import|export) (?:.* from )?'(\.{1,2}\/[^']+)';$/gm)) visit(join(file, '..', m[1]));
    };
    visit(CLI);
    expect(seen.size).toBeGreaterThan(5);
    // The work of each command is imported later, and it does bring tfjs (train) or the models (predict).
    const commands = [...seen].find((f) => f.endsWith('commands/index.js'));
    expect(commands, 'the command table is part of the static graph').toBeDefined();
    expect(readFileSync(commands!, 'utf8')).toMatch(/import\('\.\/train-run\.js'\)/);
    expect(readFileSync(join(commands!, '../train-run.js'), 'utf8')).toMatch(/^import .*'@tensorflow\/tfjs-core'/m);
  });

  it('help <command>, <command> --help and <command> -h print that command\'s usage on stdout, exit 0', () => {
    for (const c of ['train', 'evaluate', 'predict', 'export']) {
      for (const args of [['help', c], [c, '--help'], [c, '-h']]) {
        const r = cli(...args);
        expect(r.code, args.join(' ')).toBe(0);
        expect(r.out).toMatch(new RegExp(`^Usage: digit-classifier ${c}`));
        expect(r.err).toBe('');
      }
    }
    const r = cli('help', 'frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command "frobnicate"/);
  });

  it('no arguments: the usage on stderr with exit 2; help or --help: on stdout with exit 0', () => {
    const none = cli();
    expect(none.code).toBe(2);
    expect(none.out).toBe('');
    expect(none.err).toMatch(/^Usage: digit-classifier <command>/);
    for (const args of [['help'], ['--help'], ['-h']]) {
      const r = cli(...args);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Usage: digit-classifier <command>/);
    }
  });

  it('negative values parse as values and get the range message; numbers are decimal only', () => {
    for (const [args, pattern] of [
      [['train', '--lr', '-1'], /--lr: expected a number > 0, got "-1"/],
      [['train', '--seed', '-3'], /--seed: expected an integer >= 0, got "-3"/],
      [['train', '--weight-decay', '-.5'], /--weight-decay: expected a number >= 0, got "-.5"/],
      [['train', '--epochs', '0x10'], /--epochs: expected a decimal integer >= 1, got "0x10"/],
      [['train', '--batch', '0b11'], /--batch: expected a decimal integer >= 1, got "0b11"/],
      [['train', '--lr', '0o7'], /--lr: expected a decimal number > 0, got "0o7"/],
      [['train', '--limit', ' 12'], /--limit: expected a decimal integer >= 1, got " 12"/],
      [['train', '--non-digits', '--non-digit-share', '0'], /--non-digit-share: expected a number > 0 and <= 1, got "0"/],
      [['train', '--non-digits', '--non-digit-share', '1.5'], /--non-digit-share: expected a number > 0 and <= 1, got "1.5"/],
    ] as const) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(pattern);
    }
  });

  it('refuses options that the chosen output format would ignore', () => {
    const r = cli('export', '--model', 'mlp', '--out', join(tmp, 'm.dcm'), '--name', 'mine');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--name: only applies to a \.ts output/);
    const c = cli('export', '--model', 'mlp', '--out', join(tmp, 'm.dcm'), '--command', 'x');
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/--command: only applies to a \.ts output/);
    const n = cli('train', '--non-digit-share', '0.3', '--out', join(tmp, 'share'));
    expect(n.code).toBe(2);
    expect(n.err).toMatch(/--non-digit-share: only applies with --non-digits/);
  });

  it('an unreadable path is a typed error naming it, never Node\'s raw error', () => {
    const folder = join(tmp, 'a-folder.png');
    mkdirSync(folder, { recursive: true });
    let r = cli('predict', folder);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^digit-classifier predict: ImageDecodeError: .*a-folder\.png: cannot read the file: a folder, not a file \(EISDIR\)\n$/);
    r = cli('evaluate', '--model', join(tmp, 'nothing-here'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^digit-classifier evaluate: ModelFileError: .*nothing-here: cannot read the model file: no such file or folder \(ENOENT\)\n$/);
    r = cli('export', '--model', join(tmp, 'nothing-here'), '--out', join(tmp, 'y.dcm'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ModelFileError: .*nothing-here/);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('every flag each command accepts is in the README\'s command table, and every flag there is accepted', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| command | what it does |'));
    for (const [name, command] of Object.entries(COMMANDS)) {
      const row = table.split('\n').find((l) => l.startsWith(`| \`${name}`));
      expect(row, name).toBeDefined();
      const documented = new Set([.../^\| `([^`]*)`/.exec(row!)![1].matchAll(/--([a-z-]+)/g)].map((m) => m[1]));
      const accepted = new Set(Object.keys(command.options).filter((f) => f !== 'help'));
      expect([...documented].sort(), name).toEqual([...accepted].sort());
    }
  });
});
