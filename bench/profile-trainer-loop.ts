// The trainer loop on the fused engine, as `digit-classifier train` runs it: one epoch of the
// lesson recipe (MLP 784-128-10, batch 64, SGD 0.1) through Trainer.fit per configuration, the
// configurations interleaved round by round (a shared machine slows all of them alike), with the
// engine's step() timed from inside (the rest is the trainer's own per-step work). `--mlp-deep`:
// the exercise's model and recipe (batch 256, Adam, dropout) instead.
//
//   node bench/build.mjs bench/profile-trainer-loop.ts [rounds] [config...] [--mlp-deep]
//   config: THREADS or THREADS:SPIN/IDLE_SPIN (barrier and idle spin rounds), e.g. 1 2 2:4000/30000
import { Trainer } from '../src/train/trainer.js';
import { FusedDenseEngine } from '../src/kernels/fused-dense-engine.js';
import { CTRL } from '../src/kernels/generated/dense-train-wasm.js';
import { nodeThreadHost } from '../src/node/node-thread-host.js';
import { loadMnist } from '../src/node/load-mnist.js';
import { useNodeBackend } from '../src/node/node-backend.js';
import { PRESET_RECIPES } from '../src/train/recipes.js';

const preset = process.argv.includes('--mlp-deep') ? 'mlp-deep' : 'mlp';
const args = process.argv.slice(2).filter((a) => a !== '--mlp-deep');
const rounds = Number(args[0] ?? 3);
const stepsPerEpoch = Math.ceil(60000 / PRESET_RECIPES[preset].batchSize!);
const configs = (args.length > 1 ? args.slice(1) : ['1', '2']).map((c) => {
  const [t, spin] = c.split(':');
  return { label: c, threads: t === 'auto' ? ('auto' as const) : Number(t), spin: spin?.split('/').map(Number) };
});
await useNodeBackend('wasm');
const data = await loadMnist({ split: 'both' });
const proto = FusedDenseEngine.prototype as unknown as { step(o: Int32Array, s: number, n: number): number; writeControl(): void };
const step = proto.step;
const writeControl = proto.writeControl;
let spin: number[] | undefined;
let inStep = 0;
proto.step = function (o, s, n) {
  const t0 = performance.now();
  const l = step.call(this, o, s, n);
  inStep += performance.now() - t0;
  return l;
};
proto.writeControl = function () {
  writeControl.call(this);
  if (!spin) return;
  const i32 = new Int32Array((this as unknown as { memory: WebAssembly.Memory }).memory.buffer);
  i32[CTRL.spin / 4] = i32[CTRL.spinNow / 4] = spin[0];
  i32[CTRL.idleSpin / 4] = i32[CTRL.idleSpinNow / 4] = spin[1];
};
const results = new Map<string, { epoch: number; outside: number }[]>();
for (let r = 0; r < rounds; r++) {
  for (const c of configs) {
    spin = c.spin;
    const trainer = new Trainer({ model: preset, ...PRESET_RECIPES[preset], epochs: 1, seed: 0, engine: { use: 'fused', threads: c.threads, threadHost: nodeThreadHost } });
    await trainer.fit({ train: data.train!, test: data.test! }, {
      onBatch: (b) => {
        if (b.batch === 1) inStep = 0;
      },
      onEpoch: (e) => {
        const list = results.get(c.label) ?? [];
        list.push({ epoch: e.seconds, outside: (e.seconds * 1000 - inStep) / stepsPerEpoch });
        results.set(c.label, list);
        console.log(`${preset} round ${r + 1} ${c.label.padEnd(16)} ${e.seconds.toFixed(3)} s/epoch; trainer's own work ${(((e.seconds * 1000 - inStep) / stepsPerEpoch) * 1000).toFixed(1)} µs/step`);
      },
    });
    trainer.dispose();
  }
}
console.log('\nbest epoch per configuration (s/epoch; ratio to the first):');
const best = configs.map((c) => Math.min(...results.get(c.label)!.map((x) => x.epoch)));
configs.forEach((c, i) => console.log(`  ${c.label.padEnd(16)} ${best[i].toFixed(3)}  ${(best[0] / best[i]).toFixed(2)}×`));
process.exit(0);
