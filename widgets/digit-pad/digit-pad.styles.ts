import { css } from 'lit';
import { visuallyHidden } from '../internal/visually-hidden.js';

/**
 * Styles of `<digit-pad>`. Every colour and size is a `--digit-pad-*` custom
 * property read through a private `--_*` variable whose fallback is the
 * default, so a page can set them on the element or on any ancestor; the
 * defaults follow `prefers-color-scheme`.
 */
export const digitPadStyles = css`
  :host {
    --_size: var(--digit-pad-size, 280px);
    --_background: var(--digit-pad-background, #ffffff);
    --_ink: var(--digit-pad-ink, #111827);
    --_border: var(--digit-pad-border-color, #c4c9d2);
    --_radius: var(--digit-pad-radius, 12px);
    --_text: var(--digit-pad-text-color, #1f2937);
    --_muted: var(--digit-pad-muted-color, #5b6472);
    --_accent: var(--digit-pad-accent, #2563eb);
    --_error: var(--digit-pad-error-color, #b42318);
    --_not-digit: var(--digit-pad-not-digit-color, #b45309);
    --_button-background: var(--digit-pad-button-background, #f1f3f6);
    --_preview-size: var(--digit-pad-preview-size, 56px);
    display: inline-block;
    width: var(--_size);
    color: var(--_text);
    font-family: var(--digit-pad-font, system-ui, -apple-system, 'Segoe UI', sans-serif);
    font-size: 14px;
    line-height: 1.4;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_background: var(--digit-pad-background, #161b22);
      --_ink: var(--digit-pad-ink, #f5f7fa);
      --_border: var(--digit-pad-border-color, #4a5260);
      --_text: var(--digit-pad-text-color, #e6e9ee);
      --_muted: var(--digit-pad-muted-color, #a3acb9);
      --_accent: var(--digit-pad-accent, #6ea8ff);
      --_error: var(--digit-pad-error-color, #ff8a80);
      --_not-digit: var(--digit-pad-not-digit-color, #fbbf24);
      --_button-background: var(--digit-pad-button-background, #262d38);
    }
  }
  :host([hidden]) {
    display: none;
  }
  [part='base'] {
    display: grid;
    gap: 8px;
  }
  [part='frame'] {
    position: relative;
    aspect-ratio: 1;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_background);
    overflow: hidden;
  }
  [part='surface'] {
    display: block;
    width: 100%;
    height: 100%;
    touch-action: none;
    cursor: crosshair;
    border-radius: inherit;
    outline: none;
    -webkit-user-select: none;
    user-select: none;
  }
  [part='frame']:has([part='surface']:focus-visible) {
    box-shadow: 0 0 0 3px var(--_accent);
  }
  [part='placeholder'] {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    color: var(--_muted);
    pointer-events: none;
    font-size: 15px;
  }
  [part='toolbar'] {
    display: flex;
    align-items: center;
    gap: 8px;
  }
  [part~='button'] {
    font: inherit;
    color: var(--_text);
    background: var(--_button-background);
    border: 1px solid var(--_border);
    border-radius: 8px;
    padding: 4px 12px;
    min-height: 32px;
    cursor: pointer;
  }
  [part~='button']:hover:not(:disabled) {
    border-color: var(--_accent);
  }
  [part~='button']:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  [part~='button']:disabled {
    cursor: default;
    opacity: 0.55;
  }
  [part='preview'] {
    margin-inline-start: auto;
    width: var(--_preview-size);
    height: var(--_preview-size);
    image-rendering: pixelated;
    border: 1px solid var(--_border);
    border-radius: 4px;
    background: #000;
  }
  [part='status'] {
    margin: 0;
    min-height: 1.4em;
    color: var(--_muted);
  }
  [part='status'].error {
    color: var(--_error);
  }
  /* Not a digit: a dashed frame in the warning colour and the status in it too (the text says it; colour only repeats it). */
  :host([not-digit]) [part='frame'] {
    border-color: var(--_not-digit);
    border-style: dashed;
  }
  :host([not-digit]) [part='status']:not(.error) {
    color: var(--_not-digit);
    font-weight: 600;
  }
  ${visuallyHidden}
`;
