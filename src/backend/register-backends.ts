/**
 * Side-effect module: registers the CPU and WASM backends and every gradient
 * with tfjs-core. Listed in package.json "sideEffects". Import it once before
 * {@link useBackend}; the rest of the core is importable without effects.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
