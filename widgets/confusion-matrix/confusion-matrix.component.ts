import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { cssProperties } from '../internal/css-properties.js';
import { assertConfusionMatrix } from '../../src/metrics/confusion-matrix.js';
import { topConfusionPairs, type ConfusionPair } from '../../src/metrics/confusion-pairs.js';
import { emit } from '../internal/events.js';
import { warnProperty } from '../internal/property-warning.js';
import { confusionMatrixStyles } from './confusion-matrix.styles.js';
import { describeValue } from '../../src/util/describe-value.js';

/** What the table shows, derived from the properties once per change. */
interface MatrixView {
  readonly rows: readonly (readonly number[])[];
  readonly rowTotals: readonly number[];
  readonly labels: readonly string[];
  /** Largest off-diagonal share of a row: the top of the error colour scale. */
  readonly maxError: number;
  readonly pairs: readonly ConfusionPair[];
  /** "r,c" of the cells in the top pairs. */
  readonly highlighted: ReadonlySet<string>;
}

/**
 * A confusion matrix as a real table: rows are the true class, columns the
 * predicted one; counts or row percentages; a colour scale (diagonal and
 * errors in two hues, each by its share of the row); the most confused pairs
 * outlined and listed. Cells are a keyboard grid (arrows, Home/End,
 * PageUp/PageDown) each described like "true 4 predicted 9: 23"; Enter,
 * Space or a click fires `confusion-cell-select`.
 *
 * @summary Where a classifier goes wrong, readable with or without colour.
 *
 * @fires confusion-cell-select - A cell was chosen: `{ actual, predicted, count, fraction }`.
 *
 * @csspart base - The wrapper around everything.
 * @csspart message - Shown when `matrix` is malformed.
 * @csspart table - The `<table>` (role grid).
 * @csspart caption - Its caption.
 * @csspart header - Every header cell; also `column-header`, `row-header` or `corner-header` (the axis titles).
 * @csspart cell - Every count cell; also `diagonal`, `top-pair` (in a top confusion pair) and `active` (the keyboard position).
 * @csspart legend - The colour scale's key.
 * @csspart pairs-heading - The heading over the list of pairs.
 * @csspart pairs - The ordered list of the most confused pairs.
 * @csspart pair - One item of it.
 *
 * @cssproperty [--confusion-matrix-cell-size=40px] - Width and height of a cell.
 * @cssproperty [--confusion-matrix-correct-color=#6b8fe8] - Top of the diagonal's colour scale (dark: #2f5fb8).
 * @cssproperty [--confusion-matrix-error-color=#e8915a] - Top of the errors' colour scale (dark: #9a4a1a).
 * @cssproperty [--confusion-matrix-empty-color=#ffffff] - Colour of a zero cell, the bottom of both scales (dark: #161b22).
 * @cssproperty [--confusion-matrix-text-color=#1f2937] - Text (dark: #e6e9ee).
 * @cssproperty [--confusion-matrix-muted-color=#5b6472] - Headers, zeros and the legend (dark: #a3acb9).
 * @cssproperty [--confusion-matrix-grid-color=#dde1e7] - Cell borders (dark: #333b47).
 * @cssproperty [--confusion-matrix-highlight-color=#111827] - Outline of the top-pair cells (dark: #f5f7fa).
 * @cssproperty [--confusion-matrix-focus-color=#2563eb] - Keyboard focus ring (dark: #6ea8ff).
 * @cssproperty [--confusion-matrix-warning-color=#9a3412] - Message colour for malformed input (dark: #fdba74).
 * @cssproperty [--confusion-matrix-font=system-ui] - Font family.
 */
export class ConfusionMatrix extends LitElement {
  static override styles = confusionMatrixStyles;

  /** Square matrix of counts: `matrix[true][predicted]`, finite and ≥ 0. */
  @property({ attribute: false }) accessor matrix: readonly (readonly number[])[] | null = null;

  /** Class labels, one per row (default 0, 1, 2, …). */
  @property({ attribute: false }) accessor labels: readonly string[] | null = null;

  /** Shows each row as percentages of its total (row-normalised) instead of counts. */
  @property({ type: Boolean, reflect: true }) accessor normalized = false;

  /** How many of the most confused pairs (both directions summed) to outline and list. */
  @property({ type: Number, reflect: true }) accessor top = 3;

  /** The table's caption. */
  @property({ reflect: true }) accessor caption = 'Confusion matrix: rows are the true digit, columns the predicted one';

  @state() private accessor problem = '';
  @state() private accessor activeRow = 0;
  @state() private accessor activeColumn = 0;

  private view: MatrixView | null = null;

  /** The pairs outlined and listed, most confused first. */
  get topPairs(): readonly ConfusionPair[] {
    return this.view?.pairs ?? [];
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('matrix') || changed.has('labels') || changed.has('top')) this.view = this.buildView();
    const n = this.view?.rows.length ?? 0;
    this.activeRow = Math.min(this.activeRow, Math.max(0, n - 1));
    this.activeColumn = Math.min(this.activeColumn, Math.max(0, n - 1));
  }

  protected override render() {
    const view = this.view;
    return html`
      <div part="base">
        ${this.problem ? html`<p part="message">${this.problem}</p>` : nothing}
        ${view ? this.renderTable(view) : nothing}
        ${view ? this.renderLegend(view) : nothing}
        ${view && view.pairs.length ? this.renderPairs(view) : nothing}
      </div>
    `;
  }

  private renderTable(view: MatrixView) {
    const { rows, labels } = view;
    return html`
      <table part="table" role="grid" @keydown=${this.onKeyDown}>
        <caption part="caption">${this.caption}${this.normalized ? ' (percent of each row)' : ''}</caption>
        <thead>
          <tr>
            <th part="header corner-header" class="axis" scope="col">true ↓ predicted →</th>
            ${labels.map((label) => html`<th part="header column-header" scope="col">${label}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (row, r) => html`
              <tr>
                <th part="header row-header" scope="row">${labels[r]}</th>
                ${row.map((count, c) => this.renderCell(view, r, c, count))}
              </tr>
            `,
          )}
        </tbody>
      </table>
    `;
  }

  private renderCell(view: MatrixView, r: number, c: number, count: number) {
    const total = view.rowTotals[r];
    const fraction = total > 0 ? count / total : 0;
    const diagonal = r === c;
    const active = r === this.activeRow && c === this.activeColumn;
    // Diagonal: share of the row. Errors: share relative to the worst error, so small ones still show.
    const strength = diagonal ? fraction : view.maxError > 0 ? fraction / view.maxError : 0;
    const colour = diagonal ? '--_correct' : '--_error';
    const text = this.normalized ? formatPercent(fraction) : String(count);
    const parts = ['cell', diagonal ? 'diagonal' : '', view.highlighted.has(`${r},${c}`) ? 'top-pair' : '', active ? 'active' : ''];
    const description = `true ${view.labels[r]} predicted ${view.labels[c]}: ${this.normalized ? `${text}% (${count})` : text}`;
    return html`<td
      part=${parts.filter(Boolean).join(' ')}
      class=${count === 0 ? 'zero' : ''}
      ${cssProperties({ background: `color-mix(in srgb, var(${colour}) ${(strength * 100).toFixed(1)}%, var(--_empty))` })}
      tabindex=${active ? 0 : -1}
      aria-label=${description}
      data-row=${r}
      data-column=${c}
      @click=${() => this.select(r, c, true)}
    >${text}</td>`;
  }

  private renderLegend(view: MatrixView) {
    return html`
      <div part="legend">
        <span class="scale">correct <span class="swatch correct" aria-hidden="true"></span> 0–100% of the row</span>
        <span class="scale">errors <span class="swatch error" aria-hidden="true"></span> 0–${formatPercent(view.maxError)}% of the row</span>
      </div>
    `;
  }

  private renderPairs(view: MatrixView) {
    const { labels } = view;
    return html`
      <p part="pairs-heading" id="pairs-heading">Most confused pairs</p>
      <ol part="pairs" aria-labelledby="pairs-heading">
        ${view.pairs.map(
          (p) => html`<li part="pair">
            ${labels[p.a]} ↔ ${labels[p.b]}: ${p.count} (${labels[p.a]} read as ${labels[p.b]} ×${p.aAsB}, ${labels[p.b]} read as ${labels[p.a]} ×${p.bAsA})
          </li>`,
        )}
      </ol>
    `;
  }

  /** Checks the properties; a malformed matrix shows a message and no table. */
  private buildView(): MatrixView | null {
    const matrix = this.matrix;
    this.problem = '';
    if (matrix === null || matrix === undefined) return null;
    try {
      assertConfusionMatrix(matrix, 'matrix');
    } catch (error) {
      this.problem = warnProperty(this, { property: 'matrix', message: (error as Error).message });
      return null;
    }
    const n = matrix.length;
    let labels: readonly string[] = Array.from({ length: n }, (_, i) => String(i));
    if (this.labels != null) {
      if (Array.isArray(this.labels) && this.labels.length === n) labels = this.labels.map(String);
      else this.problem = warnProperty(this, { property: 'labels', message: `expected ${n} labels (one per row), got ${describeValue(this.labels)}` });
    }
    let top = this.top;
    if (!Number.isInteger(top) || top < 0) {
      this.problem = warnProperty(this, { property: 'top', message: `expected a whole number ≥ 0, got ${String(top)}` });
      top = 3;
    }
    const rows = matrix.map((row) => Array.from(row));
    const rowTotals = rows.map((row) => row.reduce((a, b) => a + b, 0));
    let maxError = 0;
    rows.forEach((row, r) => row.forEach((v, c) => {
      if (r !== c && rowTotals[r] > 0) maxError = Math.max(maxError, v / rowTotals[r]);
    }));
    const pairs = topConfusionPairs(rows, top);
    const highlighted = new Set(pairs.flatMap((p) => [`${p.a},${p.b}`, `${p.b},${p.a}`]));
    return { rows, rowTotals, labels, maxError, pairs, highlighted };
  }

  // Keyboard grid: one tab stop (the active cell), arrows move it.

  private onKeyDown = (event: KeyboardEvent): void => {
    const n = this.view?.rows.length ?? 0;
    if (n === 0 || !(event.target as Element).matches('td')) return;
    let r = this.activeRow;
    let c = this.activeColumn;
    switch (event.key) {
      case 'ArrowRight': c = Math.min(n - 1, c + 1); break;
      case 'ArrowLeft': c = Math.max(0, c - 1); break;
      case 'ArrowDown': r = Math.min(n - 1, r + 1); break;
      case 'ArrowUp': r = Math.max(0, r - 1); break;
      case 'Home': c = 0; if (event.ctrlKey) r = 0; break;
      case 'End': c = n - 1; if (event.ctrlKey) r = n - 1; break;
      case 'PageUp': r = 0; break;
      case 'PageDown': r = n - 1; break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        this.select(r, c, false);
        return;
      default:
        return;
    }
    event.preventDefault();
    this.moveTo(r, c);
  };

  private async moveTo(r: number, c: number): Promise<void> {
    this.activeRow = r;
    this.activeColumn = c;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`td[data-row="${r}"][data-column="${c}"]`)?.focus();
  }

  private select(r: number, c: number, focus: boolean): void {
    const view = this.view;
    if (!view) return;
    if (focus) void this.moveTo(r, c);
    const count = view.rows[r][c];
    const total = view.rowTotals[r];
    emit(this, 'confusion-cell-select', { actual: r, predicted: c, count, fraction: total > 0 ? count / total : 0 });
  }
}

function formatPercent(fraction: number): string {
  return (fraction * 100).toFixed(1);
}
