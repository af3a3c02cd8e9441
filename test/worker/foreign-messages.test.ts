/**
 * Security (issue 6, `security-worker-messages`): the trainer worker of the
 * build accepts only the messages of its own API. Anything else posted to it
 * (random values, comlink GET/SET/CONSTRUCT/ENDPOINT, paths such as
 * ["constructor"] or ["__proto__"], method names outside the API) is refused
 * without effect, and the worker keeps answering its API. The figures go to
 * the reliability report through the `reliability-result` server command.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import { WORKER_URL } from './helpers/api.js';
import { assert, equal } from './helpers/assert.js';
import { seededRandom } from '../shared/seeded-random.js';

type Reply = { id: string; type: string; name?: string; value?: unknown };

describe('the trainer worker and foreign messages', () => {
  let worker: Worker | undefined;
  afterEach(() => worker?.terminate());

  it('refuses every message outside its API and keeps working', async function () {
    this.timeout(60_000);
    worker = new Worker(WORKER_URL, { type: 'module', name: 'foreign-messages' });
    const replies = new Map<string, Reply>();
    const waiting = new Map<string, (r: Reply) => void>();
    let crashed = false;
    worker.addEventListener('error', () => void (crashed = true));
    worker.addEventListener('message', (e: MessageEvent) => {
      const data = e.data as Reply | null;
      if (!data || typeof data.id !== 'string') return;
      replies.set(data.id, data);
      waiting.get(data.id)?.(data);
    });
    let n = 0;
    const call = (message: Record<string, unknown>, ms = 20_000): Promise<Reply | null> => {
      const id = `t-${n++}`;
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), ms);
        waiting.set(id, (r) => (clearTimeout(timer), resolve(r)));
        worker!.postMessage({ ...message, id });
      });
    };
    const raw = (value: unknown) => ({ type: 'RAW', value });
    const isError = (r: Reply | null) => r?.type === 'HANDLER' && r.name === 'throw';

    // The API works: init, then memory().
    const init = await call({ type: 'APPLY', path: ['init'], argumentList: [raw({ backend: 'cpu' })] }, 45_000);
    assert(init && !isError(init), `init answered: ${JSON.stringify(init)}`);

    const calls: Record<string, unknown>[] = [
      { type: 'GET', path: [] },
      { type: 'GET', path: ['constructor'] },
      { type: 'GET', path: ['__proto__'] },
      { type: 'GET', path: ['predict'] },
      { type: 'SET', path: ['backend'], value: raw(42) },
      { type: 'SET', path: ['__proto__', 'polluted'], value: raw(true) },
      { type: 'APPLY', path: ['constructor', 'constructor'], argumentList: [raw('return globalThis')] },
      { type: 'APPLY', path: ['__proto__'], argumentList: [] },
      { type: 'APPLY', path: ['constructor'], argumentList: [] },
      { type: 'APPLY', path: ['hasOwnProperty'], argumentList: [raw('x')] },
      { type: 'APPLY', path: ['toString'], argumentList: [] },
      { type: 'APPLY', path: ['trainer', 'dispose'], argumentList: [] },
      { type: 'APPLY', path: ['notAMethod'], argumentList: [] },
      { type: 'APPLY', path: ['predict'] },
      { type: 'CONSTRUCT', path: [], argumentList: [] },
      { type: 'ENDPOINT' },
      { type: 'RELEASE', path: ['dispose'] },
      { type: 'NOPE', path: ['memory'], argumentList: [] },
    ];
    let refused = 0;
    for (const message of calls) {
      const reply = await call(message);
      assert(isError(reply), `${JSON.stringify(message)} was not refused: ${JSON.stringify(reply)}`);
      refused++;
    }
    // Random, non-call values: no reply at all, no crash.
    const next = seededRandom(7);
    const junk: unknown[] = [null, undefined, 0, 'APPLY', [], [1, 2], { type: 'APPLY' }, { path: ['dispose'] }, { type: 'APPLY', path: ['dispose'], argumentList: [] }, new Uint8Array(8)];
    for (let i = 0; i < 200; i++) {
      junk.push({ [`k${Math.floor(next() * 5)}`]: next(), type: ['GET', 'SET', 'APPLY', 'x', 1][Math.floor(next() * 5)], path: next() < 0.5 ? ['dispose'] : 'dispose' });
    }
    const before = replies.size;
    for (const value of junk) worker.postMessage(value);
    await new Promise((resolve) => setTimeout(resolve, 300));
    equal(replies.size, before, 'replies to messages without an id');

    // Still working, and unchanged (the SET of `backend` had no effect): backend() answers its report, memory() too.
    const backend = await call({ type: 'APPLY', path: ['backend'], argumentList: [] });
    assert(backend && !isError(backend) && (backend.value as { name?: unknown } | undefined)?.name === 'cpu', `backend() after the foreign messages: ${JSON.stringify(backend)}`);
    const memory = await call({ type: 'APPLY', path: ['memory'], argumentList: [] });
    assert(memory && !isError(memory), `memory() after: ${JSON.stringify(memory)}`);
    assert(!crashed, 'the worker did not crash');
    const polluted = ({} as Record<string, unknown>).polluted;
    equal(polluted, undefined, 'no prototype pollution on the page');

    await executeServerCommand('reliability-result', {
      name: 'security-worker-messages',
      data: {
        check: 'security', held: true,
        figures: Object.entries({
          'call-shaped foreign messages (refused with an error)': refused,
          'other foreign values (ignored, no reply)': junk.length,
          'worker crashed': 'no', 'API answers after (backend, memory)': 'yes',
        }),
        notes: 'The built worker (dist/trainer-worker/) in headless Chromium; messages posted straight to the Worker, outside the client. Only comlink APPLY of the trainer methods (one-element path) and RELEASE pass (workers/trainer-worker.ts).',
      },
    });
  });
});
