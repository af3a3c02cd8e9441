import { parseArgs } from 'node:util';
import { InvalidOptionError } from '../errors.js';

type Spec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** Flags as parsed: strings for valued flags, booleans for switches, absent when not given. */
export interface ParsedCommandLine<S extends Spec> {
  values: { [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : string };
  positionals: string[];
}

/**
 * Parses `argv` against `spec` with Node's strict `util.parseArgs`, turning
 * its errors (unknown flag, missing value) into {@link InvalidOptionError}s.
 */
export function parseCommandLine<S extends Spec>(argv: string[], spec: S, command: string): ParsedCommandLine<S> {
  try {
    return parseArgs({ args: argv, options: spec, allowPositionals: true, strict: true }) as unknown as ParsedCommandLine<S>;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new InvalidOptionError(`${command}: ${msg.replace(/\. To specify a positional argument.*$/s, '')} (see --help)`);
  }
}

/** A flag's value as a number in [min, max] (an integer when `integer`), or `undefined` when absent. */
export function numberFlag(value: string | boolean | undefined, flag: string, opts: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  const v = typeof value === 'string' ? Number(value.trim()) : NaN;
  const { min = -Infinity, max = Infinity, integer = false, exclusiveMin = false } = opts;
  const what = integer ? 'an integer' : 'a number';
  const range = exclusiveMin ? `> ${min}` : Number.isFinite(min) ? `>= ${min}` : '';
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || (exclusiveMin ? v <= min : v < min) || v > max) {
    throw new InvalidOptionError(`--${flag}: expected ${what}${range ? ' ' + range : ''}${Number.isFinite(max) ? ` and <= ${max}` : ''}, got "${String(value)}"`);
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
