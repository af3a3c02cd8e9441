/**
 * The CLI's commands: what each runs, its help text, its one-line summary and
 * the flags it accepts (the README's command table lists the same flags; a
 * test holds the two together).
 */
import { ADAPT_HELP, ADAPT_OPTIONS, adaptCommand } from './adapt.js';
import { EVALUATE_HELP, EVALUATE_OPTIONS, evaluateCommand } from './evaluate.js';
import { EXPORT_HELP, EXPORT_OPTIONS, exportCommand } from './export.js';
import { PREDICT_HELP, PREDICT_OPTIONS, predictCommand } from './predict.js';
import { TRAIN_HELP, TRAIN_OPTIONS, trainCommand } from './train.js';

/** One command of the CLI. */
export interface Command {
  /** Runs the command; resolves with its exit code (or nothing for 0). Typed errors are reported by the caller. */
  run: (argv: string[]) => Promise<number | void>;
  help: string;
  summary: string;
  options: Readonly<Record<string, { readonly type: 'string' | 'boolean' }>>;
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  train: { run: trainCommand, help: TRAIN_HELP, options: TRAIN_OPTIONS, summary: 'train on MNIST, print the epoch lines and confusion pairs, save the model' },
  evaluate: { run: evaluateCommand, help: EVALUATE_HELP, options: EVALUATE_OPTIONS, summary: 'test accuracy, confusion matrix, top pairs, calibration of a saved or shipped model' },
  predict: { run: predictCommand, help: PREDICT_HELP, options: PREDICT_OPTIONS, summary: 'read digits from PNG images' },
  adapt: { run: adaptCommand, help: ADAPT_HELP, options: ADAPT_OPTIONS, summary: 'learn one person\'s handwriting from a folder 0/ … 9/ of PNGs, save the adapted model' },
  export: { run: exportCommand, help: EXPORT_HELP, options: EXPORT_OPTIONS, summary: 'store a model compactly (int8/float16) and measure the cost' },
};
