/**
 * `digit-classifier adapt`: its help, its flags and their checks; the work is
 * in adapt-run.ts, loaded (with tfjs) once the flags passed.
 */
import { InvalidOptionError } from '../../errors.js';
import { ADAPT_DEFAULTS } from '../../train/adapt-types.js';
import { choiceFlag, numberFlag, parseCommandLine } from '../options.js';
import { checkOutputFolder } from '../output-path.js';

export const ADAPT_HELP = `Usage: digit-classifier adapt --model cnn|mlp|DIR --examples DIR --out DIR [options]

Learns one person's handwriting: fine-tunes a model to a few labelled drawings
(one of each digit is enough), rehearsing MNIST training digits so that it keeps
what it knew, reports MNIST test accuracy before and after, and saves the
adapted model: model.json + weights.bin, which predict and evaluate read (and
tf.loadLayersModel), and the same as model.dcm (float16), which the widgets
read (<digit-pad src="DIR/model.dcm">).

The examples folder has one subfolder per digit, 0/ … 9/, of PNG images of any
size (the layout of torchvision's ImageFolder and Keras'
image_dataset_from_directory); each is read the way predict reads an image.
A digit may have no folder.

Options:
  --model cnn|mlp|DIR   the model to adapt: a shipped one (cnn, mlp) or a saved
                        one (directory, model.json or .dcm); default cnn
  --examples DIR        the labelled drawings (required)
  --out DIR             where to save the adapted model (required)
  --steps N             optimizer steps (default ${ADAPT_DEFAULTS.steps})
  --lr X                learning rate (default ${ADAPT_DEFAULTS.learningRate} for the cnn, whose
                        convolutions stay frozen; ${ADAPT_DEFAULTS.learningRateAllLayers} for an mlp, tuned whole)
  --replay N            MNIST training digits rehearsed (default ${ADAPT_DEFAULTS.replayCount})
  --seed N              seed for the copies, the replay sample, the batches (default 0)
  --backend wasm|cpu    tfjs backend (default wasm)
  --quiet               no progress bar
`;

/** The flags of `adapt`. */
export const ADAPT_OPTIONS = {
  model: { type: 'string' }, examples: { type: 'string' }, out: { type: 'string' }, steps: { type: 'string' }, lr: { type: 'string' },
  replay: { type: 'string' }, seed: { type: 'string' }, backend: { type: 'string' }, quiet: { type: 'boolean' },
} as const;

/** What `adapt` was asked to do, every flag checked. */
export interface AdaptArgs {
  model: string;
  examples: string;
  out: string;
  steps: number | undefined;
  learningRate: number | undefined;
  replayCount: number;
  seed: number;
  backend: 'wasm' | 'cpu';
  quiet: boolean;
}

/** Checks every flag of `adapt`, the output folder included, before any work (and before tfjs loads). */
export async function parseAdaptArgs(argv: string[]): Promise<AdaptArgs> {
  const { values } = parseCommandLine(argv, ADAPT_OPTIONS, 'adapt');
  if (!values.examples) throw new InvalidOptionError('adapt: --examples is required: a folder with subfolders 0/ … 9/ of PNG drawings');
  if (!values.out) throw new InvalidOptionError('adapt: --out is required: the folder to save the adapted model in');
  const args: AdaptArgs = {
    model: values.model ?? 'cnn',
    examples: values.examples,
    out: values.out,
    steps: numberFlag(values.steps, 'steps', { min: 1, integer: true }),
    learningRate: numberFlag(values.lr, 'lr', { min: 0, exclusiveMin: true }),
    replayCount: numberFlag(values.replay, 'replay', { min: 0, max: 60_000, integer: true }) ?? ADAPT_DEFAULTS.replayCount,
    seed: numberFlag(values.seed, 'seed', { min: 0, integer: true }) ?? 0,
    backend: choiceFlag(values.backend, 'backend', ['wasm', 'cpu'] as const) ?? 'wasm',
    quiet: values.quiet ?? false,
  };
  await checkOutputFolder('out', args.out);
  return args;
}
