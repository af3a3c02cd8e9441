// Retrains the shipped pretrained models with the package's own CLI (fixed
// seeds, augmentation suited to drawn digits, the "not a digit" output trained
// on synthetic non-digits), chooses each one's "not a digit" threshold on
// held-out digits (bench/calibrate-non-digit.ts: MNIST train 55,000–59,999,
// the same digits pad-drawn, development-font digits; at most 1 % of each
// flagged) and exports them, int8, into src/pretrained/*.ts. The CNN's head is
// then tuned on letters of the development handwriting fonts as further
// non-digits (scripts/tune-non-digit-head.ts, convolutions frozen, MNIST and
// the synthetic non-digits held to what the model said before). Run with
// `npm run pretrained` (~50 minutes on 2 cores: the output trains on tfjs).
import { execFileSync } from 'node:child_process';

const run = (...args) => execFileSync(process.execPath, args, { stdio: 'inherit' });
const cli = (...args) => run('dist/cli.js', ...args);
const MODELS = [
  {
    name: 'cnn',
    train: ['train', '--model', 'cnn', '--augment', '--non-digits', '--seed', '1', '--out', 'models/cnn'],
    tune: ['--from', 'models/cnn', '--out', 'models/cnn'],
  },
  { name: 'mlp', train: ['train', '--model', 'mlp', '--augment', '--non-digits', '--non-digit-share', '0.5', '--epochs', '40', '--optimizer', 'momentum', '--lr', '0.02', '--lr-final', '0.05', '--seed', '1', '--out', 'models/mlp'] },
];
for (const m of MODELS) {
  cli(...m.train, '--quiet');
  if (m.tune) run('bench/build.mjs', 'scripts/tune-non-digit-head.ts', ...m.tune);
  run('bench/build.mjs', 'bench/calibrate-non-digit.ts', `models/${m.name}`);
  const tuned = m.tune ? `; letters: node bench/build.mjs scripts/tune-non-digit-head.ts ${m.tune.join(' ')}` : '';
  const command = `digit-classifier ${m.train.join(' ')}${tuned}; threshold: node bench/build.mjs bench/calibrate-non-digit.ts models/${m.name}`;
  cli('export', '--model', `models/${m.name}`, '--out', `src/pretrained/${m.name}-model.ts`, '--dtype', 'int8', '--name', m.name, '--command', command);
}
