/**
 * Driving training from an app framework, through the headless API and its
 * events. The "framework" here is a 40-line stand-in written in plain
 * reactive JS (component state, batched re-render, setup with cleanup), in
 * the shape React, Vue, Svelte or Lit components have; no framework is
 * installed and none is in the package. An app does the same in its own
 * framework:
 *
 * 1. start the worker on a user action (`createTrainer`), keep the client in
 *    component scope (a ref), never in render state;
 * 2. map the trainer's events to state: download progress, `onBatch` (high
 *    rate: keep the series in a ref, put only the latest value in state),
 *    `onEpoch` (the table, the weights for drawing), errors and aborts;
 * 3. pass data down to widgets as properties, take their DOM events up;
 * 4. end the worker when the component unmounts.
 */
import { html, nothing, render, svg, type TemplateResult } from 'lit';
import { formatPair, topConfusionPairs } from '../../src/metrics/confusion-pairs.js';
import { createTrainer, type EpochResult, type ModelWeights, type TrainerClient } from '../../workers/index.js';
import '../../widgets/digit-pad/digit-pad.js';
import type { DigitPredictionDetail } from '../../widgets/index.js';

// ---- 1. The stand-in framework -------------------------------------------------------------

/** What a component gets: its state, and `set` to change it (merged, re-rendered once per microtask). */
interface Context<S> {
  readonly state: S;
  set(patch: Partial<S>): void;
}

/** A component: initial state, setup (actions and a cleanup), and a view of state. */
interface Component<S, P, A> {
  initialState(props: P): S;
  setup(ctx: Context<S>, props: P): { actions: A; cleanup?: () => void };
  view(state: S, actions: A): TemplateResult;
}

/** Mounts `component` into `host`; returns the unmount function. */
function mount<S extends object, P, A>(component: Component<S, P, A>, host: HTMLElement, props: P): () => void {
  let state = component.initialState(props);
  let queued = false;
  const ctx: Context<S> = {
    get state() {
      return state;
    },
    set(patch) {
      state = { ...state, ...patch };
      if (queued) return;
      queued = true;
      queueMicrotask(() => {
        queued = false;
        render(component.view(state, actions), host);
      });
    },
  };
  const { actions, cleanup } = component.setup(ctx, props);
  host.replaceChildren(); // the static "Loading…" placeholder
  render(component.view(state, actions), host);
  return () => {
    cleanup?.();
    render(nothing, host);
  };
}

// ---- 2. The app's component ----------------------------------------------------------------

interface Props {
  readonly workerUrl: URL;
  readonly mnistUrl: URL;
  readonly trainSize: number;
  readonly epochs: number;
}

interface TrainState {
  readonly phase: 'idle' | 'downloading' | 'training' | 'paused' | 'done' | 'aborted' | 'error';
  readonly downloaded: number;
  readonly total: number | null;
  readonly backend: string;
  readonly latest: string;
  readonly epochs: readonly EpochResult[];
  /** Loss sparkline points (downsampled from the ref that holds every batch). */
  readonly curve: readonly number[];
  readonly weights: ModelWeights | null;
  readonly reading: string;
  readonly message: string;
}

interface Actions {
  start(): void;
  togglePause(): void;
  abort(): void;
  onPrediction(event: CustomEvent<DigitPredictionDetail>): void;
}

const TrainCard: Component<TrainState, Props, Actions> = {
  initialState: () => ({ phase: 'idle', downloaded: 0, total: null, backend: '', latest: '', epochs: [], curve: [], weights: null, reading: '', message: '' }),

  setup(ctx, props) {
    // Refs: live objects and high-rate data stay out of render state.
    let trainer: TrainerClient | null = null;
    let controller: AbortController | null = null;
    const losses: number[] = [];

    const start = async () => {
      if (trainer) return;
      controller = new AbortController();
      losses.length = 0;
      ctx.set({ phase: 'downloading', epochs: [], curve: [], message: '', latest: '' });
      try {
        trainer = await createTrainer({ backend: 'auto', workerUrl: props.workerUrl, model: 'mlp', epochs: props.epochs, seed: 0 });
        ctx.set({ backend: `${trainer.backend.name}${trainer.backend.wasmVariant ? ` (${trainer.backend.wasmVariant})` : ''}` });
        await trainer.loadMnist({
          baseUrl: props.mnistUrl,
          limit: props.trainSize,
          onProgress: (p) => ctx.set({ downloaded: p.loaded, total: p.total }),
        });
        ctx.set({ phase: 'training' });
        await trainer.fit({
          signal: controller.signal,
          onBatch: (b) => {
            losses.push(b.loss);
            ctx.set({ latest: `epoch ${b.epoch}, batch ${b.batch}/${b.batches}: loss ${b.loss.toFixed(3)}`, curve: downsample(losses, 120) });
          },
          onEpoch: async (e) => {
            const weights = await trainer!.getWeights();
            ctx.set({ epochs: [...ctx.state.epochs, e], weights });
          },
        });
        ctx.set({ phase: 'done' });
      } catch (error) {
        const aborted = controller.signal.aborted;
        ctx.set({ phase: aborted ? 'aborted' : 'error', message: aborted ? 'Aborted.' : error instanceof Error ? error.message : String(error) });
      } finally {
        await trainer?.terminate();
        trainer = null;
      }
    };

    return {
      actions: {
        start: () => void start(),
        togglePause: () => {
          if (!trainer) return;
          const paused = ctx.state.phase === 'paused';
          void (paused ? trainer.resume() : trainer.pause());
          ctx.set({ phase: paused ? 'training' : 'paused' });
        },
        abort: () => controller?.abort(),
        onPrediction: (event) => {
          if (event.detail.final) ctx.set({ reading: `${event.detail.digit} (${(event.detail.probabilities[event.detail.digit] * 100).toFixed(0)}%)` });
        },
      },
      cleanup: () => {
        controller?.abort();
        void trainer?.terminate();
      },
    };
  },

  view(s, a) {
    const running = s.phase === 'downloading' || s.phase === 'training' || s.phase === 'paused';
    const last = s.epochs[s.epochs.length - 1];
    return html`
      <div class="buttons">
        <button class="primary" ?disabled=${running} @click=${a.start}>Train</button>
        <button ?disabled=${s.phase !== 'training' && s.phase !== 'paused'} @click=${a.togglePause}>${s.phase === 'paused' ? 'Resume' : 'Pause'}</button>
        <button ?disabled=${!running} @click=${a.abort}>Abort</button>
      </div>
      <p id="fw-phase" class="status" role="status">
        ${s.phase}${s.backend ? html` on <strong>${s.backend}</strong>` : ''}${s.latest ? ` — ${s.latest}` : ''}${s.message ? ` — ${s.message}` : ''}
      </p>
      ${s.phase === 'downloading' ? html`<progress max=${s.total ?? 1} value=${s.total ? s.downloaded : 0}></progress>` : nothing}
      ${sparkline(s.curve)}
      <table class="numbers">
        <thead><tr><th scope="col">epoch</th><th scope="col">train loss</th><th scope="col">test accuracy</th><th scope="col">top pair</th></tr></thead>
        <tbody id="fw-epochs">
          ${s.epochs.map((e) => html`<tr><td>${e.epoch}</td><td>${e.trainLoss.toFixed(4)}</td><td>${(e.accuracy * 100).toFixed(2)}%</td><td>${topConfusionPairs(e.confusion, 1).map(formatPair)[0] ?? '–'}</td></tr>`)}
        </tbody>
      </table>
      ${last
        ? html`<p>Draw a digit for the model after epoch ${last.epoch}:</p>
            <digit-pad id="fw-pad" .model=${s.weights} @digit-prediction=${a.onPrediction}></digit-pad>
            <p id="fw-reading" role="status">${s.reading ? `Read as ${s.reading}` : ''}</p>`
        : nothing}
    `;
  },
};

/** `values` averaged into at most `points` buckets. */
function downsample(values: readonly number[], points: number): number[] {
  if (values.length <= points) return values.slice();
  const out: number[] = [];
  for (let i = 0; i < points; i++) {
    const from = Math.floor((i * values.length) / points);
    const to = Math.floor(((i + 1) * values.length) / points);
    let sum = 0;
    for (let j = from; j < to; j++) sum += values[j];
    out.push(sum / Math.max(1, to - from));
  }
  return out;
}

function sparkline(values: readonly number[]) {
  if (values.length < 2) return nothing;
  const max = Math.max(...values);
  const points = values.map((v, i) => `${((i / (values.length - 1)) * 300).toFixed(1)},${(60 - (v / max) * 56).toFixed(1)}`).join(' ');
  return html`<svg class="sparkline" viewBox="0 0 300 62" width="300" height="62" role="img" aria-label="Training loss per batch">${svg`<polyline points=${points}></polyline>`}</svg>`;
}

// ---- 3. The page ---------------------------------------------------------------------------

const params = new URLSearchParams(location.search);
const host = document.getElementById('app');
if (host) {
  mount(TrainCard, host, {
    workerUrl: new URL('../trainer-worker/trainer-worker.js', import.meta.url),
    mnistUrl: new URL('../mnist/', import.meta.url),
    trainSize: Math.min(60_000, Math.max(100, Number(params.get('train')) || 10_000)),
    epochs: Math.min(20, Math.max(1, Number(params.get('epochs')) || 3)),
  });
}
