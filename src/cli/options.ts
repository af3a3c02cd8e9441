import { parseArgs } from 'node:util';
import { InvalidOptionError } from '../errors.js';

type Spec = Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string }>>;

/** Flags as parsed: strings for valued flags, booleans for switches, absent when not given. */
export interface ParsedCommandLine<S extends Spec> {
  values: { [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : string };
  positionals: string[];
}

/** A value that starts with a dash but is a number (`-1`, `-.5`), not a flag. */
const NEGATIVE_NUMBER = /^-(?:\d|\.\d)/;

/**
 * Parses `argv` against `spec` with Node's strict `util.parseArgs`, turning
 * its errors (unknown flag, missing value) into {@link InvalidOptionError}s.
 * `--lr -1` reads as the value -1 (so it gets the range message, not "missing
 * value"). Positional arguments are refused unless `positionals` is true: a
 * stray word is a mistyped command, never something to ignore.
 */
export function parseCommandLine<S extends Spec>(argv: string[], spec: S, command: string, options: { positionals?: boolean } = {}): ParsedCommandLine<S> {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') && !argv[i].includes('=') ? argv[i].slice(2) : null;
    if (name !== null && spec[name]?.type === 'string' && i + 1 < argv.length && NEGATIVE_NUMBER.test(argv[i + 1])) {
      args.push(`--${name}=${argv[++i]}`);
    } else {
      args.push(argv[i]);
    }
  }
  let parsed: ParsedCommandLine<S>;
  try {
    parsed = parseArgs({ args, options: spec as NonNullable<Parameters<typeof parseArgs>[0]>['options'], allowPositionals: true, strict: true }) as unknown as ParsedCommandLine<S>;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new InvalidOptionError(`${command}: ${msg.replace(/\. To specify a positional argument.*$/s, '')} (see --help)`);
  }
  if (!options.positionals && parsed.positionals.length > 0) {
    throw new InvalidOptionError(`${command}: unexpected argument "${parsed.positionals[0]}": ${command} takes only --options (see --help)`);
  }
  return parsed;
}

/** A decimal number: digits, an optional fraction and exponent; no hex, octal, binary, blanks or `Infinity`. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A flag's value as a decimal number in [min, max] (an integer when `integer`), or `undefined` when absent. */
export function numberFlag(value: string | boolean | undefined, flag: string, opts: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  const { min = -Infinity, max = Infinity, integer = false, exclusiveMin = false } = opts;
  const what = integer ? 'an integer' : 'a number';
  const lower = exclusiveMin ? `> ${min}` : Number.isFinite(min) ? `>= ${min}` : '';
  const range = [lower, Number.isFinite(max) ? `<= ${max}` : ''].filter(Boolean).join(' and ');
  if (typeof value !== 'string' || !DECIMAL.test(value)) {
    throw new InvalidOptionError(`--${flag}: expected a decimal ${integer ? 'integer' : 'number'}${range ? ' ' + range : ''}, got "${String(value)}"`);
  }
  const v = Number(value);
  if (!Number.isFinite(v) || (integer && !Number.isInteger(v)) || (exclusiveMin ? v <= min : v < min) || v > max) {
    throw new InvalidOptionError(`--${flag}: expected ${what}${range ? ' ' + range : ''}, got "${value}"`);
  }
  return v;
}

/** A flag's value checked against a list of choices. */
export function choiceFlag<T extends string>(value: string | boolean | undefined, flag: string, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    throw new InvalidOptionError(`--${flag}: expected one of ${choices.join(', ')}, got "${String(value)}"`);
  }
  return value as T;
}
