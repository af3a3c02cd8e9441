import { css } from 'lit';

/**
 * Styles of `<softmax-bars>`: `--softmax-bars-*` custom properties read
 * through private `--_*` variables whose fallbacks are the defaults (light and
 * dark).
 */
export const softmaxBarsStyles = css`
  :host {
    --_fill: var(--softmax-bars-fill, #9db4d6);
    --_top-fill: var(--softmax-bars-top-fill, #2563eb);
    --_track: var(--softmax-bars-track, #eceff3);
    --_text: var(--softmax-bars-text-color, #1f2937);
    --_muted: var(--softmax-bars-muted-color, #5b6472);
    --_bar-height: var(--softmax-bars-bar-height, 14px);
    --_gap: var(--softmax-bars-gap, 6px);
    --_duration: var(--softmax-bars-duration, 180ms);
    --_warning: var(--softmax-bars-warning-color, #9a3412);
    --_not-digit: var(--softmax-bars-not-digit-color, #b45309);
    --_not-digit-opacity: var(--softmax-bars-not-digit-opacity, 0.35);
    display: block;
    min-width: 180px;
    color: var(--_text);
    font-family: var(--softmax-bars-font, system-ui, -apple-system, 'Segoe UI', sans-serif);
    font-size: 14px;
    line-height: 1.3;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_fill: var(--softmax-bars-fill, #4b6284);
      --_top-fill: var(--softmax-bars-top-fill, #6ea8ff);
      --_track: var(--softmax-bars-track, #262d38);
      --_text: var(--softmax-bars-text-color, #e6e9ee);
      --_muted: var(--softmax-bars-muted-color, #a3acb9);
      --_warning: var(--softmax-bars-warning-color, #fdba74);
      --_not-digit: var(--softmax-bars-not-digit-color, #fbbf24);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    :host {
      --_duration: 0ms;
    }
  }
  :host([hidden]) {
    display: none;
  }
  [part='base'] {
    display: grid;
    gap: var(--_gap);
  }
  [part~='row'] {
    display: grid;
    grid-template-columns: 1.2em 1fr 4.2em;
    align-items: center;
    gap: 8px;
  }
  [part~='label'] {
    font-weight: 600;
    text-align: center;
    font-variant-numeric: tabular-nums;
  }
  [part~='track'] {
    display: block;
    height: var(--_bar-height);
    border-radius: calc(var(--_bar-height) / 2);
    background: var(--_track);
    overflow: hidden;
  }
  [part~='fill'] {
    display: block;
    height: 100%;
    width: 100%;
    border-radius: inherit;
    background: var(--_fill);
    transform-origin: left center;
    transform: scaleX(var(--_value, 0));
    transition: transform var(--_duration) ease-out, background-color var(--_duration) linear;
  }
  :host(:dir(rtl)) [part~='fill'] {
    transform-origin: right center;
  }
  [part~='top'] [part~='fill'] {
    background: var(--_top-fill);
  }
  [part~='top'] [part~='label'],
  [part~='top'] [part~='value'] {
    color: var(--_top-fill);
  }
  [part~='value'] {
    text-align: end;
    font-variant-numeric: tabular-nums;
    color: var(--_muted);
  }
  [part~='top'] [part~='value'] {
    font-weight: 600;
  }
  /* Not a digit: the bars stay (what the model would have said) but dimmed; the text stays readable. */
  :host([not-digit]) [part~='fill'] {
    opacity: var(--_not-digit-opacity);
  }
  [part='verdict'] {
    margin: 0 0 2px;
    color: var(--_not-digit);
    font-weight: 600;
  }
  [part='message'] {
    margin: 0 0 4px;
    color: var(--_warning);
    font-size: 13px;
  }
`;
