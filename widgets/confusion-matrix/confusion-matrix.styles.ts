import { css } from 'lit';

/**
 * Styles of `<confusion-matrix>`: `--confusion-matrix-*` custom properties
 * read through private `--_*` variables whose fallbacks are the defaults
 * (light and dark). A cell's background mixes the empty colour with the
 * `correct` (diagonal) or `error` colour by its share of the row; the defaults
 * keep the text at 4.5:1 contrast or more across the whole scale.
 */
export const confusionMatrixStyles = css`
  :host {
    --_cell-size: var(--confusion-matrix-cell-size, 40px);
    --_correct: var(--confusion-matrix-correct-color, #6b8fe8);
    --_error: var(--confusion-matrix-error-color, #e8915a);
    --_empty: var(--confusion-matrix-empty-color, #ffffff);
    --_text: var(--confusion-matrix-text-color, #1f2937);
    --_muted: var(--confusion-matrix-muted-color, #5b6472);
    --_grid: var(--confusion-matrix-grid-color, #dde1e7);
    --_highlight: var(--confusion-matrix-highlight-color, #111827);
    --_focus: var(--confusion-matrix-focus-color, #2563eb);
    --_warning: var(--confusion-matrix-warning-color, #9a3412);
    display: inline-block;
    color: var(--_text);
    font-family: var(--confusion-matrix-font, system-ui, -apple-system, 'Segoe UI', sans-serif);
    font-size: 13px;
    line-height: 1.3;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_correct: var(--confusion-matrix-correct-color, #2f5fb8);
      --_error: var(--confusion-matrix-error-color, #9a4a1a);
      --_empty: var(--confusion-matrix-empty-color, #161b22);
      --_text: var(--confusion-matrix-text-color, #e6e9ee);
      --_muted: var(--confusion-matrix-muted-color, #a3acb9);
      --_grid: var(--confusion-matrix-grid-color, #333b47);
      --_highlight: var(--confusion-matrix-highlight-color, #f5f7fa);
      --_focus: var(--confusion-matrix-focus-color, #6ea8ff);
      --_warning: var(--confusion-matrix-warning-color, #fdba74);
    }
  }
  :host([hidden]) {
    display: none;
  }
  [part='base'] {
    display: grid;
    gap: 10px;
    justify-items: start;
  }
  [part='message'] {
    margin: 0;
    color: var(--_warning);
  }
  [part='table'] {
    border-collapse: collapse;
    font-variant-numeric: tabular-nums;
  }
  [part='caption'] {
    caption-side: top;
    text-align: start;
    font-weight: 600;
    padding-bottom: 6px;
  }
  th {
    font-weight: 600;
    color: var(--_muted);
    padding: 2px 6px;
  }
  th[scope='col'] {
    height: 22px;
    text-align: center;
  }
  th[scope='row'] {
    text-align: end;
  }
  .axis {
    font-weight: 500;
    font-size: 12px;
    text-align: start;
    white-space: nowrap;
  }
  [part~='cell'] {
    position: relative;
    width: var(--_cell-size);
    min-width: var(--_cell-size);
    height: var(--_cell-size);
    padding: 0 2px;
    text-align: center;
    border: 1px solid var(--_grid);
    background: var(--_empty);
    cursor: pointer;
    outline: none;
  }
  [part~='cell'].zero {
    color: var(--_muted);
  }
  [part~='top-pair'] {
    box-shadow: inset 0 0 0 2px var(--_highlight);
    font-weight: 700;
  }
  [part~='cell']:focus-visible {
    box-shadow: inset 0 0 0 3px var(--_focus);
  }
  [part~='cell'][part~='top-pair']:focus-visible {
    box-shadow: inset 0 0 0 2px var(--_highlight), inset 0 0 0 5px var(--_focus);
  }
  [part~='cell']:hover {
    filter: brightness(0.93);
  }
  [part='legend'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 20px;
    color: var(--_muted);
    font-size: 12px;
  }
  .scale {
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
  .swatch {
    display: inline-block;
    width: 60px;
    height: 10px;
    border-radius: 2px;
    border: 1px solid var(--_grid);
  }
  .swatch.correct {
    background: linear-gradient(to right, var(--_empty), var(--_correct));
  }
  .swatch.error {
    background: linear-gradient(to right, var(--_empty), var(--_error));
  }
  [part='pairs-heading'] {
    margin: 0;
    font-size: 13px;
    font-weight: 600;
  }
  [part='pairs'] {
    margin: 0;
    padding-inline-start: 1.4em;
    font-variant-numeric: tabular-nums;
  }
`;
