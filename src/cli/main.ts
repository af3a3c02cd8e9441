import { DigitClassifierError, InvalidOptionError } from '../errors.js';
import { EVALUATE_HELP, evaluateCommand } from './commands/evaluate.js';
import { EXPORT_HELP, exportCommand } from './commands/export.js';
import { PREDICT_HELP, predictCommand } from './commands/predict.js';
import { TRAIN_HELP, trainCommand } from './commands/train.js';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<void>; help: string; summary: string }> = {
  train: { run: trainCommand, help: TRAIN_HELP, summary: 'train on MNIST, print the epoch lines and confusion pairs, save the model' },
  evaluate: { run: evaluateCommand, help: EVALUATE_HELP, summary: 'test accuracy, confusion matrix, top pairs, calibration of a saved model' },
  predict: { run: predictCommand, help: PREDICT_HELP, summary: 'read digits from PNG images' },
  export: { run: exportCommand, help: EXPORT_HELP, summary: 'store a model compactly (int8/float16) and measure the cost' },
};

const USAGE = `Usage: digit-classifier <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`).join('\n')}

Run digit-classifier <command> --help for a command's options.
`;

/**
 * Runs the CLI and returns the exit code: 0 on success, 1 when the work failed
 * (bad data, diverged training), 2 for a usage error (unknown command or flag).
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`digit-classifier: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help);
    return 0;
  }
  try {
    await command.run(rest);
    return 0;
  } catch (e) {
    if (e instanceof DigitClassifierError) {
      process.stderr.write(`digit-classifier ${name}: ${e.name}: ${e.message}\n`);
      return e instanceof InvalidOptionError ? 2 : 1;
    }
    throw e;
  }
}
