/**
 * The optimizers' names, apart from their tfjs code so that a caller that only
 * checks a name (the CLI's flags) does not load tfjs.
 */

/** Optimizer names accepted by `createOptimizer` and the CLI. */
export type OptimizerName = 'sgd' | 'momentum' | 'adam';
export const OPTIMIZER_NAMES: readonly OptimizerName[] = Object.freeze(['sgd', 'momentum', 'adam']);
