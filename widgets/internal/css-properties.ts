/**
 * `cssProperties({ '--_value': '0.42' })`: an element-position Lit directive
 * that sets style properties through the CSSOM (`style.setProperty`) on every
 * render, never through a `style` attribute. A page whose
 * Content-Security-Policy forbids inline style (no `'unsafe-inline'` for
 * `style-src-attr`) blocks style attributes, including the one Lit's
 * `styleMap` writes on first render, but not the CSSOM.
 *
 * @example
 * ```ts
 * html`<span part="fill" ${cssProperties({ '--_value': String(p) })}></span>`
 * ```
 */
import { noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

class CssPropertiesDirective extends Directive {
  private previous = new Set<string>();

  constructor(partInfo: PartInfo) {
    super(partInfo);
    if (partInfo.type !== PartType.ELEMENT) throw new Error('cssProperties() belongs on an element, e.g. <span ${cssProperties({...})}>');
  }

  render(_properties: Readonly<Record<string, string>>): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [properties]: [Readonly<Record<string, string>>]): typeof noChange {
    const { style } = part.element as HTMLElement;
    for (const name of this.previous) if (!(name in properties)) style.removeProperty(name);
    for (const [name, value] of Object.entries(properties)) style.setProperty(name, value);
    this.previous = new Set(Object.keys(properties));
    return noChange;
  }
}

export const cssProperties = directive(CssPropertiesDirective);
