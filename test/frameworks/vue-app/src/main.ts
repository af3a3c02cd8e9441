// The test app's entry: the README's TrainCard.vue and AdaptCard.vue (extracted from the README by
// test/frameworks/framework-apps.mjs), with the backend taken from the URL.
import { createApp, defineAsyncComponent, h } from 'vue';
import type { BackendChoice } from 'digit-classifier/worker';
import TrainCard from './TrainCard.vue';

const params = new URLSearchParams(location.search);
const backend = (params.get('backend') ?? 'auto') as BackendChoice;
const limit = Number(params.get('limit') ?? 10_000);
const options = { backend, allowFallbackAdapter: backend === 'webgpu', ...(params.has('batch') && { batchSize: Number(params.get('batch')) }), ...(params.has('threads') && { wasmThreads: Number(params.get('threads')) }), ...(params.has('lr') && { learningRate: Number(params.get('lr')) }) };
// Lazily, as the README suggests: loadPretrained carries both shipped models, the MLP's weights beside the pad's CNN.
const AdaptCard = defineAsyncComponent(() => import('./AdaptCard.vue'));
createApp({ render: () => [h(TrainCard, { options, limit }), h('section', { id: 'adapt-card' }, [h('h2', 'Learn my handwriting'), h(AdaptCard)])] }).mount('#app');
