/**
 * The training engines' names, apart from the engines so that a caller that
 * only checks a name (the CLI's flags) does not load tfjs or WebAssembly.
 */

/** The two training engines. */
export type TrainingEngineName = 'fused' | 'tfjs';
/** `auto`: the fused engine for dense models and the preset CNN when tfjs runs on WASM, else tfjs. */
export type TrainingEngineChoice = 'auto' | TrainingEngineName;
export const TRAINING_ENGINE_CHOICES: readonly TrainingEngineChoice[] = Object.freeze(['auto', 'fused', 'tfjs']);
