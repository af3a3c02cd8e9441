/**
 * Imported for its effect by the CLI commands whose work runs tfjs: the CLI is
 * an application, so production mode silences tfjs's debug notices (e.g. the
 * CPU backend's advice to install tfjs-node, which this package does not use).
 * `predict` runs the tensor-free inference and never loads tfjs.
 */
import * as tf from '@tensorflow/tfjs-core';

tf.enableProdMode();
