/**
 * Lets the event loop run (timers, messages, an AbortSignal's listeners, a
 * page's input) between chunks of synchronous tensor work. Uses
 * `setImmediate` in Node and a `MessageChannel` elsewhere, both of which skip
 * the 1–4 ms clamp of `setTimeout(0)`.
 */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (cb: () => void) => unknown };
  if (typeof g.setImmediate === 'function') {
    return new Promise((resolve) => g.setImmediate!(resolve));
  }
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
