// The test app's entry: the README's TrainCard and AdaptCard (src/train-card.tsx,
// src/adapt-card.tsx, extracted from the README by test/frameworks/framework-apps.mjs), with the backend
// taken from the URL (?backend=webgpu|wasm|auto, and the test's limit, batch, threads, lr) so one
// build is trained on each.
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import type { BackendChoice } from 'digit-classifier/worker';
import { TrainCard } from './train-card';
import { Extras } from './extras';

// Lazily, as the README suggests: loadPretrained carries both shipped models, the MLP's weights beside the pad's CNN.
const AdaptCard = lazy(() => import('./adapt-card').then((m) => ({ default: m.AdaptCard })));

const params = new URLSearchParams(location.search);
const backend = (params.get('backend') ?? 'auto') as BackendChoice;
const limit = Number(params.get('limit') ?? 10_000);
const options = { backend, allowFallbackAdapter: backend === 'webgpu', ...(params.has('batch') && { batchSize: Number(params.get('batch')) }), ...(params.has('threads') && { wasmThreads: Number(params.get('threads')) }), ...(params.has('lr') && { learningRate: Number(params.get('lr')) }) };
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <TrainCard options={options} limit={limit} />
    <Extras />
    <section id="adapt-card"><h2>Learn my handwriting</h2><Suspense fallback={<p>loading…</p>}><AdaptCard /></Suspense></section>
  </StrictMode>,
);
