/**
 * Side-effect module, loaded on demand by `selectBackend`: registers
 * tfjs-backend-webgpu. Kept apart so the worker bundle puts WebGPU in its own
 * chunk, fetched only when a page asks for it.
 */
import '@tensorflow/tfjs-backend-webgpu';
