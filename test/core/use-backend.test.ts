// useBackend: a backend that cannot start is a BackendError carrying tfjs's reason, found without
// swapping console.warn (a global the rest of the app owns); a wasmPaths that can no longer apply is refused.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '../../src/backend/use-backend.js';
import { BackendError, InvalidOptionError } from '../../src/errors.js';
import { nodeWasmPaths, useNodeBackend } from '../../src/node/node-backend.js';

afterAll(() => {
  tf.removeBackend('webgpu');
});

describe('useBackend', () => {
  it('reports why a backend failed to start, and leaves console.warn alone while it starts', async () => {
    await useNodeBackend('wasm');
    const original = console.warn;
    let warnDuringInit: unknown = null;
    const silenced: unknown[][] = [];
    console.warn = (...args: unknown[]) => void silenced.push(args); // the app's own console.warn
    const appWarn = console.warn;
    try {
      // A stand-in for a WebGPU backend that cannot start here (Node has no GPU adapter).
      tf.registerBackend('webgpu', () => {
        warnDuringInit = console.warn;
        throw new Error('no GPU adapter on this machine');
      }, 0);
      const error = await useBackend('webgpu').then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(BackendError);
      expect((error as Error).message).toMatch(/Backend "webgpu" failed to start: no GPU adapter on this machine/);
      expect(warnDuringInit).toBe(appWarn); // not replaced by useBackend while tfjs initialised the backend
      expect(console.warn).toBe(appWarn);
    } finally {
      console.warn = original;
    }
    expect(tf.getBackend()).toBe('wasm');
  });

  it('refuses a new wasmPaths once the WASM backend has started, naming both', async () => {
    await useNodeBackend('wasm');
    await expect(useBackend('wasm', { wasmPaths: nodeWasmPaths() })).resolves.toMatchObject({ name: 'wasm' }); // the same paths: fine
    const error = await useBackend('wasm', { wasmPaths: '/elsewhere/' }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as Error).message).toMatch(/wasmPaths "\/elsewhere\/" cannot apply: the WASM backend already started with wasmPaths ".*tfjs-backend-wasm/);
  });
});
