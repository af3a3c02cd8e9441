// Retrains the shipped pretrained models with the package's own CLI (fixed
// seeds, augmentation suited to drawn digits) and exports them, int8, into
// src/pretrained/*.ts. Run with `npm run pretrained` (~10 minutes on 2 cores).
import { execFileSync } from 'node:child_process';

const cli = (...args) => execFileSync(process.execPath, ['dist/cli.js', ...args], { stdio: 'inherit' });
const MODELS = [
  { name: 'cnn', train: ['train', '--model', 'cnn', '--augment', '--seed', '1', '--out', 'models/cnn'] },
  { name: 'mlp', train: ['train', '--model', 'mlp', '--augment', '--epochs', '20', '--optimizer', 'momentum', '--lr', '0.02', '--lr-final', '0.05', '--seed', '1', '--out', 'models/mlp'] },
];
for (const m of MODELS) {
  cli(...m.train, '--quiet');
  cli('export', '--model', `models/${m.name}`, '--out', `src/pretrained/${m.name}-model.ts`, '--dtype', 'int8', '--name', m.name, '--command', `digit-classifier ${m.train.join(' ')}`);
}
