import { css } from 'lit';
import { visuallyHidden } from '../internal/visually-hidden.js';

/**
 * Styles of `<loss-chart>`: `--loss-chart-*` custom properties read through
 * private `--_*` variables whose fallbacks are the defaults (light and dark).
 * The canvas reads the colours from these variables on every draw.
 */
export const lossChartStyles = css`
  :host {
    --_height: var(--loss-chart-height, 240px);
    --_background: var(--loss-chart-background, transparent);
    --_raw: var(--loss-chart-raw-color, rgba(37, 99, 235, 0.28));
    --_smooth: var(--loss-chart-smooth-color, #1d4ed8);
    --_accuracy: var(--loss-chart-accuracy-color, #c2410c);
    --_grid: var(--loss-chart-grid-color, #e3e6eb);
    --_axis: var(--loss-chart-axis-color, #8a93a0);
    --_text: var(--loss-chart-text-color, #3b4350);
    --_warning: var(--loss-chart-warning-color, #9a3412);
    --_font: var(--loss-chart-font, system-ui, -apple-system, 'Segoe UI', sans-serif);
    display: block;
    min-width: 240px;
    color: var(--_text);
    font-family: var(--_font);
    font-size: 12px;
    line-height: 1.3;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_raw: var(--loss-chart-raw-color, rgba(110, 168, 255, 0.3));
      --_smooth: var(--loss-chart-smooth-color, #6ea8ff);
      --_accuracy: var(--loss-chart-accuracy-color, #ffa25e);
      --_grid: var(--loss-chart-grid-color, #2c333e);
      --_axis: var(--loss-chart-axis-color, #6b7480);
      --_text: var(--loss-chart-text-color, #c9d0da);
      --_warning: var(--loss-chart-warning-color, #fdba74);
    }
  }
  :host([hidden]) {
    display: none;
  }
  [part='base'] {
    display: grid;
    gap: 6px;
  }
  [part='legend'] {
    display: flex;
    flex-wrap: wrap;
    gap: 4px 14px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  [part='legend'] li {
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
  .key {
    display: inline-block;
    width: 16px;
    height: 0;
    border-top: 3px solid;
  }
  .key.raw {
    border-top-width: 8px;
    border-color: var(--_raw);
  }
  .key.smooth {
    border-color: var(--_smooth);
  }
  .key.accuracy {
    border-color: var(--_accuracy);
    border-top-style: dashed;
  }
  [part='canvas'] {
    display: block;
    width: 100%;
    height: var(--_height);
    background: var(--_background);
  }
  [part='message'] {
    margin: 0;
    color: var(--_warning);
  }
  ${visuallyHidden}
`;
