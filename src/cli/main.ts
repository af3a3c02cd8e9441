import { createRequire } from 'node:module';
import { DigitClassifierError, InvalidOptionError } from '../errors.js';
import { COMMANDS } from './commands/index.js';
import { reportError } from './report-error.js';

const USAGE = `Usage: digit-classifier <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`).join('\n')}

Options:
  --help, -h     this text; digit-classifier help <command> (or <command> --help) for a command's
  --version, -v  the package version
`;

/** The package's version, read from its own package.json (the `"./package.json"` export). */
function version(): string {
  const require = createRequire(import.meta.url);
  return (require('digit-classifier/package.json') as { version: string }).version;
}

/**
 * Runs the CLI and returns the exit code: 0 on success, 1 when the work failed
 * (bad data, diverged training, an unreadable file), 2 for a usage error
 * (unknown command or flag, a bad value, a stray argument). With no arguments
 * the usage goes to stderr with 2; asked for (`help`, `--help`) to stdout with 0.
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(USAGE);
    return 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    process.stdout.write(USAGE);
    return 0;
  }
  const commandName = name === 'help' ? rest[0] : name;
  const command = Object.hasOwn(COMMANDS, commandName) ? COMMANDS[commandName] : undefined;
  if (!command) {
    process.stderr.write(`digit-classifier: unknown command "${commandName}"\n\n${USAGE}`);
    return 2;
  }
  if (name === 'help' || rest.includes('--help') || rest.includes('-h')) {
    if (name === 'help' && rest.length > 1) {
      process.stderr.write(`digit-classifier help: unexpected argument "${rest[1]}": help takes one command name\n`);
      return 2;
    }
    process.stdout.write(command.help);
    return 0;
  }
  try {
    return (await command.run(rest)) ?? 0;
  } catch (e) {
    if (e instanceof DigitClassifierError) {
      reportError(commandName, e);
      return e instanceof InvalidOptionError ? 2 : 1;
    }
    throw e;
  }
}
