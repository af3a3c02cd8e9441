/**
 * Faults in the worker (issue 6), on the rollup build in headless Chromium,
 * with figures for the reliability report (`reliability-result` server
 * command, see test/widgets/reliability-plugin.mjs):
 *
 * - `faults-worker-abort`: training aborted at seeded random points, by an
 *   AbortSignal, by `abort()` and at a chosen batch, across optimizers and
 *   models. Every abort rejects with an AbortError (or finds the run already
 *   finished), the model stays usable (finite weights, predicts, evaluates),
 *   and the worker holds exactly the tensors of a finished run: none leak.
 * - `faults-worker-kill`: the worker killed mid-epoch (terminated, an uncaught
 *   error, closing itself) with calls in flight. Every pending call rejects
 *   with a typed error, later calls too, and a new trainer starts and trains.
 *
 * `npm test` runs the fast counts; `npm run reliability:long` the long ones.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import type { ModelWeights, TrainerClient } from '../../workers/index.js';
import { api, FIXTURE } from './helpers/api.js';
import { assert, equal, sleep, waitFor, within } from './helpers/assert.js';
import { smallMnist } from './helpers/mnist.js';
import { seededRandom } from '../shared/seeded-random.js';

const { mode } = (await executeServerCommand('reliability-config')) as { mode: 'fast' | 'long' };
const LONG = mode === 'long';

const pick = <T>(next: () => number, xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];

function finiteWeights(w: ModelWeights): boolean {
  return w.weights.every((t) => t.values.every((v) => Number.isFinite(v)));
}

describe('faults in the worker', () => {
  let trainer: TrainerClient | undefined;
  afterEach(async () => {
    await trainer?.terminate();
    trainer = undefined;
  });

  it('aborts at random points: each rejects with an AbortError, the model stays usable, no tensor leaks', async function () {
    const SEED = 606;
    const next = seededRandom(SEED);
    const plan = LONG ? { mlp: 160, cnn: 40 } : { mlp: 16, cnn: 4 };
    this.timeout(LONG ? 1_800_000 : 240_000);
    trainer = await api.createTrainer({ backend: 'wasm', model: 'mlp', epochs: 2, batchSize: 32, seed: SEED });
    const data = await smallMnist(1600, 200);
    const probe = (await smallMnist(1, 20)).test;
    await trainer.setData(data);
    const t = trainer;

    /** Tensors a finished run of each configuration holds (weights + optimizer state), and its epoch time. */
    const steady = new Map<string, { tensors: number; epochMs: number }>();
    const subsets = { mlp: 1600, cnn: 160 };
    async function configure(model: 'mlp' | 'cnn', optimizer: 'sgd' | 'momentum' | 'adam'): Promise<{ tensors: number; epochMs: number }> {
      const key = `${model}/${optimizer}`;
      const options = { model, optimizer, epochs: 2, batchSize: 32, seed: SEED, learningRate: optimizer === 'adam' ? 0.001 : 0.05 };
      if (!steady.has(key)) {
        await t.reset({ ...options, epochs: 1 });
        const [epoch] = await t.fit();
        steady.set(key, { tensors: (await t.memory()).numTensors, epochMs: epoch.seconds * 1000 });
      }
      await t.reset(options);
      return steady.get(key)!;
    }

    const outcomes: { model: string; optimizer: string; how: string; result: 'aborted' | 'finished'; stoppedAt: string | null; tensors: number; expected: number }[] = [];
    let resumed = 0;
    const jobs = [...Array<'mlp'>(plan.mlp).fill('mlp'), ...Array<'cnn'>(plan.cnn).fill('cnn')];
    for (const [i, model] of jobs.entries()) {
      if (model === 'cnn' && jobs[i - 1] === 'mlp') await t.setData(await smallMnist(subsets.cnn, 100));
      const optimizer = pick(next, ['sgd', 'momentum', 'adam'] as const);
      const { tensors: expected, epochMs } = await configure(model, optimizer);
      const how = pick(next, ['signal-timer', 'abort()-timer', 'signal-at-batch', 'before-first-batch'] as const);
      const controller = new AbortController();
      const batches = (model === 'mlp' ? subsets.mlp : subsets.cnn) / 32;
      const atBatch = 1 + Math.floor(next() * batches * 2);
      let seen = 0;
      const run = t.fit({
        signal: controller.signal,
        onBatch: (p) => {
          seen++;
          if (how === 'signal-at-batch' && seen === atBatch) controller.abort(`at batch ${atBatch}`);
        },
        yieldEveryMs: pick(next, [0, 5, 20]),
      });
      let timer: ReturnType<typeof setTimeout> | undefined;
      if (how === 'signal-timer') timer = setTimeout(() => controller.abort('timer'), next() * epochMs * 2.2);
      else if (how === 'abort()-timer') timer = setTimeout(() => void t.abort('timer'), next() * epochMs * 2.2);
      else if (how === 'before-first-batch') void t.abort('at once');
      const error = await within(run.then(() => null, (e: unknown) => e), 120_000, `fit after abort ${i}`);
      clearTimeout(timer); // a run that finished first must not be aborted by its timer later
      if (error !== null && !(error instanceof api.AbortError)) throw new Error(`abort ${i} (${model}, ${optimizer}, ${how}): expected an AbortError, got ${String(error)}`);
      const stoppedAt = error ? (/epoch \d+, batch \d+/.exec((error as Error).message)?.[0] ?? (error as Error).message) : null;
      const tensors = (await t.memory()).numTensors;
      outcomes.push({ model, optimizer, how, result: error ? 'aborted' : 'finished', stoppedAt, tensors, expected });
      equal(tensors, expected, `tensors after abort ${i} (${model}, ${optimizer}, ${how}, stopped at ${stoppedAt})`);
      const weights = await t.getWeights();
      assert(finiteWeights(weights), `abort ${i}: every weight finite`);
      const predictions = (await t.predictBatch(probe.images.slice())).map((p) => p.digit);
      assert(predictions.length === 20 && predictions.every((p) => p >= 0 && p <= 9), `abort ${i}: predicts 20 digits`);
      const ev = await t.evaluate();
      assert(Number.isFinite(ev.loss), `abort ${i}: evaluates (loss ${ev.loss})`);
      // Every fourth run trains on from where it stopped, to the end of a new run.
      if (i % 4 === 3) {
        await t.reset({ model: weights, optimizer, epochs: 1, batchSize: 32, seed: SEED, learningRate: optimizer === 'adam' ? 0.001 : 0.05 });
        const [epoch] = await t.fit();
        assert(Number.isFinite(epoch.trainLoss) && epoch.accuracy > 0.2, `abort ${i}: trains on after the abort (held-out accuracy ${epoch.accuracy} > 0.2, twice chance)`);
        resumed++;
      }
    }
    await t.dispose();
    equal((await t.memory()).numTensors, 0, 'tensors after dispose()');

    const count = (key: 'model' | 'optimizer' | 'how' | 'result') => Object.fromEntries([...new Set(outcomes.map((o) => o[key]))].map((v) => [v, outcomes.filter((o) => o[key] === v).length]));
    /** "mlp:160, cnn:40": the count of each value of `key`. */
    const tally = (key: 'model' | 'optimizer' | 'how') => Object.entries(count(key)).map(([v, n]) => `${v}:${n}`).join(', ');
    await executeServerCommand('reliability-result', {
      name: 'faults-worker-abort',
      data: {
        check: 'faults', held: true, seed: SEED,
        figures: Object.entries({
          'aborts injected': outcomes.length,
          'landed mid-run (AbortError)': count('result').aborted ?? 0,
          'found the run finished': count('result').finished ?? 0,
          'by model': tally('model'),
          'by optimizer': tally('optimizer'),
          'by way of aborting': tally('how'),
          'tensors after each abort = a finished run\'s': `${outcomes.length} of ${outcomes.length} (${[...steady.entries()].map(([k, v]) => `${k} ${v.tensors}`).join(', ')})`,
          'weights finite, predicts, evaluates after each': `${outcomes.length} of ${outcomes.length}`,
          'trained on to the end after the abort': resumed,
          'tensors after dispose()': 0,
        }),
        notes: `The built worker on WASM (SIMD, one thread); MLP on ${subsets.mlp} training digits, CNN on ${subsets.cnn}, batch 32, 2 epochs a run; each abort at a seeded random time over the run (AbortSignal or abort()), at a random batch, or before the first batch. The page sees the AbortError; the worker stops between two batches.`,
      },
    });
  });

  it('a worker killed mid-epoch rejects every pending call with a typed error, and a new trainer starts', async function () {
    const SEED = 707;
    const next = seededRandom(SEED);
    const kills = LONG ? 60 : 6;
    this.timeout(LONG ? 1_200_000 : 240_000);
    const data = await smallMnist(2000, 100);
    const kinds = ['terminate()', 'uncaught error', 'worker closes itself'] as const;
    const rows: { kind: string; atBatch: number; pending: number; rejected: number; answeredFirst: number; msToReject: number; error: string }[] = [];
    for (let k = 0; k < kills; k++) {
      const kind = kinds[k % kinds.length];
      trainer = await api.createTrainer({ workerUrl: FIXTURE('test-hooks-worker.js'), backend: 'wasm', epochs: 10, batchSize: 16, seed: SEED + k });
      const t = trainer;
      const copy = (set: typeof data.train) => ({ ...set, images: set.images.slice(), labels: set.labels.slice() });
      await t.setData({ train: copy(data.train), test: copy(data.test) });
      let batches = 0;
      const fit = t.fit({ onBatch: () => void batches++ });
      const atBatch = 2 + Math.floor(next() * 60);
      await waitFor(() => batches >= atBatch, `batch ${atBatch}`);
      // Calls in flight when the worker dies: fit, plus four more, sent just before terminate(), or just
      // after the message that makes the worker die (so they are on their way as it dies, as on a real page).
      const more = (): Promise<unknown>[] => [t.evaluate(), t.getWeights(), t.memory(), t.predictBatch(data.test.images.slice(0, 784 * 5))];
      const start = performance.now();
      let calls: Promise<unknown>[];
      if (kind === 'terminate()') {
        calls = [fit, ...more()];
        void t.terminate();
      } else {
        t.worker.postMessage({ testCommand: kind === 'uncaught error' ? 'throw' : 'close' });
        calls = [fit, ...more()];
      }
      const settled = calls.map((p) => p.then(() => ({ ok: true as const }), (e: unknown) => ({ ok: false as const, e })));
      const results = await within(Promise.all(settled), 10_000, `pending calls after ${kind}`);
      const msToReject = performance.now() - start;
      const Expected = kind === 'terminate()' ? api.WorkerTerminatedError : api.WorkerCrashedError;
      const fitResult = results[0];
      assert(!fitResult.ok && fitResult.e instanceof Expected, `${kind}: fit rejects with ${Expected.name}, got ${fitResult.ok ? 'a result' : String(fitResult.e)}`);
      for (const r of results) assert(r.ok || r.e instanceof Expected, `${kind}: every pending call rejects with ${Expected.name} (or was answered first), got ${r.ok ? 'a result' : String(r.e)}`);
      const late = await t.memory().then(() => null, (e: unknown) => e);
      assert(late instanceof Expected, `${kind}: a later call rejects with ${Expected.name}, got ${String(late)}`);
      const stopped = await within(t.stopped, 1000, 'stopped');
      assert(stopped instanceof Expected, `${kind}: stopped resolves with the error`);
      rows.push({ kind, atBatch, pending: results.length, rejected: results.filter((r) => !r.ok).length, answeredFirst: results.filter((r) => r.ok).length, msToReject, error: (fitResult.e as Error).message });
      trainer = undefined;
      await sleep(next() * 50);
    }
    // A new trainer starts after the kills, trains and predicts.
    trainer = await api.createTrainer({ backend: 'wasm', epochs: 1, batchSize: 32, seed: SEED });
    await trainer.setData(await smallMnist(640, 100));
    const [epoch] = await trainer.fit();
    assert(epoch.accuracy > 0.3 && Number.isFinite(epoch.trainLoss), `the new trainer trains (accuracy ${epoch.accuracy})`);

    const byKind = (kind: string) => rows.filter((r) => r.kind === kind);
    const slowest = Math.max(...rows.map((r) => r.msToReject));
    await executeServerCommand('reliability-result', {
      name: 'faults-worker-kill',
      data: {
        check: 'faults', held: true, seed: SEED,
        figures: Object.entries({
          'workers killed mid-epoch': rows.length,
          'by way of dying': kinds.map((k) => `${k} ${byKind(k).length}`).join(', '),
          'calls in flight at each kill': '5 (fit, evaluate, getWeights, memory, predict)',
          'pending calls rejected with a typed error': `${rows.reduce((n, r) => n + r.rejected, 0)} (WorkerTerminatedError after terminate(), WorkerCrashedError otherwise)`,
          'answered before the kill landed': rows.reduce((n, r) => n + r.answeredFirst, 0),
          'calls left pending': 0,
          'slowest: kill to the last rejection': `${slowest.toFixed(0)} ms`,
          'later calls rejected at once': `${rows.length} of ${rows.length}`,
          'a new trainer started and trained after': `yes (${(epoch.accuracy * 100).toFixed(1)} % after 1 epoch on 640 digits)`,
        }),
        notes: `Killed at a seeded random batch of a 10-epoch run (batches ${Math.min(...rows.map((r) => r.atBatch))}–${Math.max(...rows.map((r) => r.atBatch))}). Messages seen: ${[...new Set(rows.map((r) => r.error.replace(/\d+/g, 'N')))].map((m) => `"${m}"`).join('; ')}.`,
      },
    });
  });
});
