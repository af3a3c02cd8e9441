/**
 * `digit-classifier export`: its help, its flags and their checks; the work is
 * in export-run.ts, loaded (with tfjs) once the flags passed.
 */
import { InvalidOptionError } from '../../errors.js';
import { choiceFlag, parseCommandLine } from '../options.js';
import { checkOutputFile } from '../output-path.js';

export const EXPORT_HELP = `Usage: digit-classifier export --model DIR|cnn|mlp --out FILE [--dtype int8|float16] [--name NAME] [--command TEXT]

Stores a saved model compactly (int8 kernels with per-channel scales, or
float16) and reports the test accuracy it costs against float32.
FILE ending in .dcm gets the binary; FILE ending in .ts gets a TypeScript module
exporting it as base64 (how the package ships its pretrained models).

Options:
  --model         a saved model (directory with model.json + weights.bin, a
                  model.json or a .dcm file), or a shipped one: cnn or mlp
  --out FILE      .dcm or .ts
  --dtype         int8 (default) or float16
  --name NAME     the shipped model's name (.ts only; default: the model's)
  --command TEXT  the command that trained it, recorded in the module (.ts only)
`;

/** The flags of `export`. */
export const EXPORT_OPTIONS = { model: { type: 'string' }, out: { type: 'string' }, dtype: { type: 'string' }, name: { type: 'string' }, command: { type: 'string' } } as const;

/** What `export` was asked to do, every flag checked. */
export interface ExportArgs {
  model: string;
  out: string;
  dtype: 'int8' | 'float16';
  name: string | undefined;
  command: string | undefined;
}

/** Checks every flag of `export`, the output file included, before any work (and before tfjs loads). */
export async function parseExportArgs(argv: string[]): Promise<ExportArgs> {
  const { values } = parseCommandLine(argv, EXPORT_OPTIONS, 'export');
  if (!values.model) throw new InvalidOptionError('export: --model is required (cnn, mlp, or a saved model)');
  if (!values.out || !/\.(dcm|ts)$/.test(values.out)) throw new InvalidOptionError(`export: --out must name a .dcm or .ts file, got "${values.out ?? ''}"`);
  const dtype = choiceFlag(values.dtype, 'dtype', ['int8', 'float16'] as const) ?? 'int8';
  // --name and --command only go into a .ts module; with a .dcm they would be silently lost.
  for (const flag of ['name', 'command'] as const) {
    if (values[flag] !== undefined && !values.out.endsWith('.ts')) throw new InvalidOptionError(`--${flag}: only applies to a .ts output (--out ${values.out} writes the binary .dcm)`);
  }
  await checkOutputFile('out', values.out);
  return { model: values.model, out: values.out, dtype, name: values.name, command: values.command };
}
