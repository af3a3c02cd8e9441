/**
 * The script a helper thread of the dense engine runs, as text, so that a
 * {@link ThreadHost} can start it from a string (Node `eval` worker, blob: URL
 * Web Worker) and no bundler has to know about a second entry file.
 *
 * The host appends its own two lines that receive the {@link HelperInit}
 * message and call `startHelper(init, ready)`. The helper instantiates the
 * module on the shared memory, says ready, then blocks in `helper_loop` (it
 * spins, then `Atomics.wait`s, between steps) until the engine is disposed.
 */
export const HELPER_SOURCE = `
function startHelper(init, ready) {
  var instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  ready();
  instance.exports.helper_loop(init.index);
}
`;
