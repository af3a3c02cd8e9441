/**
 * Registers a custom element once. Importing the same element twice (two
 * bundles on a page, a CDN build next to an npm one, hot reload) would make
 * `customElements.define` throw; this keeps the first definition and says so.
 *
 * @example
 * ```ts
 * defineElement('digit-pad', DigitPad);
 * ```
 */
export function defineElement(tag: string, element: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (existing === undefined) {
    customElements.define(tag, element);
  } else if (existing !== element) {
    console.warn(`<${tag}> is already defined by another copy of digit-classifier/widgets; keeping the first definition`);
  }
}
