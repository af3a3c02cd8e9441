import { sendKeys } from '@web/test-runner-commands';
import { assert, captureWarnings, checkA11y, cleanup, equal, fixture, inBothSchemes, nextEvent, part, parts, settle } from '../../test/widgets/helpers.js';
import type { WidgetEvent } from '../internal/events.js';
import type { ConfusionMatrix } from './confusion-matrix.js';
import './confusion-matrix.js';

/** A 10-class matrix like an MLP's after one epoch: 4↔9 the worst pair, then 3↔5, then 7↔2. */
function mnistLikeMatrix(): number[][] {
  const m = Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i === j ? 950 + i : (i * 7 + j * 3) % 4)));
  m[4][9] = 23;
  m[9][4] = 15;
  m[3][5] = 14;
  m[5][3] = 11;
  m[7][2] = 12;
  m[2][7] = 9;
  return m;
}

function cell(matrix: ConfusionMatrix, r: number, c: number): HTMLTableCellElement {
  const td = matrix.shadowRoot!.querySelector<HTMLTableCellElement>(`td[data-row="${r}"][data-column="${c}"]`);
  assert(td, `cell ${r},${c}`);
  return td;
}

function focused(matrix: ConfusionMatrix): Element | null {
  return matrix.shadowRoot!.activeElement;
}

describe('<confusion-matrix>', () => {
  afterEach(cleanup);

  it('renders a real table: rows true, columns predicted, counts in the cells', async () => {
    const m = mnistLikeMatrix();
    const matrix = await fixture<ConfusionMatrix>('<confusion-matrix></confusion-matrix>');
    matrix.matrix = m;
    await settle(matrix);
    const table = part<HTMLTableElement>(matrix, 'table');
    equal(table.tagName, 'TABLE', 'a table element');
    assert(/rows are the true digit, columns the predicted/.test(part(matrix, 'caption').textContent ?? ''), 'caption explains the axes');
    equal(table.tBodies[0].rows.length, 10, 'rows');
    equal(parts(matrix, 'column-header').map((th) => th.textContent).join(''), '0123456789', 'column headers');
    equal(parts(matrix, 'row-header').map((th) => th.getAttribute('scope')).join(), Array(10).fill('row').join(), 'row headers are scoped');
    for (let r = 0; r < 10; r++) for (let c = 0; c < 10; c++) equal(cell(matrix, r, c).textContent, String(m[r][c]), `cell ${r},${c}`);
    equal(cell(matrix, 4, 9).getAttribute('aria-label'), 'true 4 predicted 9: 23', 'cell description');
    assert(part(matrix, 'cell').getAttribute('part')!.includes('diagonal'), 'diagonal cells are marked');
  });

  it('shows row-normalised percentages and colours by share of the row', async () => {
    const m = mnistLikeMatrix();
    const matrix = await fixture<ConfusionMatrix>('<confusion-matrix normalized></confusion-matrix>');
    matrix.matrix = m;
    await settle(matrix);
    const total = m[4].reduce((a, b) => a + b, 0);
    equal(cell(matrix, 4, 9).textContent, ((23 / total) * 100).toFixed(1), 'normalised value');
    equal(cell(matrix, 4, 9).getAttribute('aria-label'), `true 4 predicted 9: ${((23 / total) * 100).toFixed(1)}% (23)`, 'description keeps the count');
    assert(/percent of each row/.test(part(matrix, 'caption').textContent ?? ''), 'caption says so');
    // Colour scale: the worst error is full strength, an empty cell none, the diagonal by its share.
    const bg = (r: number, c: number) => getComputedStyle(cell(matrix, r, c)).backgroundColor;
    const empty = getComputedStyle(matrix).getPropertyValue('--_empty').trim();
    assert(bg(4, 9) !== bg(0, 1) || m[0][1] !== 0, 'errors of different size differ in colour');
    const zero = m.flatMap((row, r) => row.map((v, c) => [v, r, c])).find(([v]) => v === 0)!;
    const white = /255, 255, 255|srgb 1 1 1\)/;
    assert(white.test(bg(zero[1], zero[2])), `a zero cell has the empty colour ${empty}, got ${bg(zero[1], zero[2])}`);
    assert(!white.test(bg(4, 9)), `the worst error is coloured, got ${bg(4, 9)}`);
    matrix.normalized = false;
    await settle(matrix);
    equal(cell(matrix, 4, 9).textContent, '23', 'back to counts');
  });

  it('outlines and lists the top confusion pairs', async () => {
    const matrix = await fixture<ConfusionMatrix>('<confusion-matrix></confusion-matrix>');
    matrix.matrix = mnistLikeMatrix();
    await settle(matrix);
    const pairs = parts(matrix, 'pair').map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    equal(pairs.length, 3, 'three pairs by default');
    assert(pairs[0].startsWith('4 ↔ 9: 38'), `first pair: ${pairs[0]}`);
    assert(pairs[1].startsWith('3 ↔ 5: 25'), `second pair: ${pairs[1]}`);
    assert(pairs[2].startsWith('2 ↔ 7: 21'), `third pair: ${pairs[2]}`);
    const outlined = parts(matrix, 'top-pair').map((td) => `${td.dataset.row}${td.dataset.column}`).sort();
    equal(outlined.join(), ['27', '35', '49', '53', '72', '94'].join(), 'both cells of each pair are outlined');
    matrix.top = 1;
    await settle(matrix);
    equal(parts(matrix, 'pair').length, 1, 'top="1"');
    equal(matrix.topPairs[0].count, 38, 'topPairs');
  });

  it('moves through the cells with the keyboard and selects with Enter, Space or a click', async () => {
    const matrix = await fixture<ConfusionMatrix>('<confusion-matrix></confusion-matrix>');
    matrix.matrix = mnistLikeMatrix();
    await settle(matrix);
    equal(parts(matrix, 'cell').filter((td) => td.tabIndex === 0).length, 1, 'one tab stop');
    cell(matrix, 0, 0).focus();
    const steps: [string, string][] = [
      ['ArrowRight', 'true 0 predicted 1'],
      ['ArrowDown', 'true 1 predicted 1'],
      ['End', 'true 1 predicted 9'],
      ['ArrowRight', 'true 1 predicted 9'],
      ['PageDown', 'true 9 predicted 9'],
      ['ArrowUp', 'true 8 predicted 9'],
      ['Home', 'true 8 predicted 0'],
      ['ArrowLeft', 'true 8 predicted 0'],
      ['PageUp', 'true 0 predicted 0'],
    ];
    for (const [key, expected] of steps) {
      await sendKeys({ press: key });
      await settle(matrix);
      const label = focused(matrix)?.getAttribute('aria-label') ?? '';
      assert(label.startsWith(`${expected}:`), `after ${key}: expected focus on "${expected}", got "${label}"`);
    }
    equal(parts(matrix, 'cell').filter((td) => td.tabIndex === 0).length, 1, 'still one tab stop');
    for (let i = 0; i < 4; i++) await sendKeys({ press: 'ArrowDown' });
    for (let i = 0; i < 9; i++) await sendKeys({ press: 'ArrowRight' });
    const chosen = nextEvent<WidgetEvent<'confusion-cell-select'>>(matrix, 'confusion-cell-select');
    await sendKeys({ press: 'Enter' });
    const { detail, bubbles, composed } = await chosen;
    assert(bubbles && composed, 'event bubbles out');
    equal(`${detail.actual}→${detail.predicted} ${detail.count}`, '4→9 23', 'Enter selects the focused cell');
    const spaced = nextEvent<WidgetEvent<'confusion-cell-select'>>(matrix, 'confusion-cell-select');
    await sendKeys({ press: 'ArrowLeft' });
    await sendKeys({ press: ' ' });
    equal((await spaced).detail.predicted, 8, 'Space selects');
    const clicked = nextEvent<WidgetEvent<'confusion-cell-select'>>(matrix, 'confusion-cell-select');
    cell(matrix, 3, 5).click();
    const click = (await clicked).detail;
    equal(`${click.actual}→${click.predicted} ${click.count}`, '3→5 14', 'click selects');
    assert(click.fraction > 0 && click.fraction < 0.02, 'fraction of the row');
    await settle(matrix);
    equal(focused(matrix), cell(matrix, 3, 5), 'click moves the keyboard position');
  });

  it('shows a visible message and warns, naming the property, for a malformed matrix', async () => {
    const matrix = await fixture<ConfusionMatrix>('<confusion-matrix></confusion-matrix>');
    const cases: [unknown, RegExp][] = [
      [[[1, 2, 3], [4, 5, 6]], /square \(2×2\), got row 0 of length 3/],
      [[[1, NaN], [0, 1]], /matrix\[0\]\[1\] to be a finite count >= 0, got NaN/],
      [[[1, -2], [0, 1]], /got -2/],
      [[], /non-empty square array/],
    ];
    for (const [value, pattern] of cases) {
      const warnings = await captureWarnings(async () => {
        matrix.matrix = value as number[][];
        await settle(matrix);
      });
      const message = part(matrix, 'message').textContent ?? '';
      assert(pattern.test(message), `message for ${JSON.stringify(value)}: ${message}`);
      assert(warnings.some((w) => w.includes('<confusion-matrix> property "matrix"') && pattern.test(w)), `warning: ${warnings.join(' | ')}`);
      equal(parts(matrix, 'table').length, 0, 'no table for a malformed matrix');
    }
    const warnings = await captureWarnings(async () => {
      matrix.matrix = [[5, 1], [2, 7]];
      matrix.labels = ['cat'];
      await settle(matrix);
    });
    assert(warnings.some((w) => w.includes('"labels"')), 'labels of the wrong length warn');
    equal(parts(matrix, 'column-header').map((th) => th.textContent).join(), '0,1', 'falls back to indices');
    matrix.labels = ['cat', 'dog'];
    await settle(matrix);
    equal(cell(matrix, 1, 0).getAttribute('aria-label'), 'true dog predicted cat: 2', 'custom labels in descriptions');
    await inBothSchemes(matrix, 'confusion-matrix-invalid', async () => {
      matrix.matrix = [[1, 2, 3], [4, 5, 6]];
      await settle(matrix);
    });
  });

  it('passes axe-core and looks right in light and dark (screenshots)', async () => {
    const matrix = await fixture<ConfusionMatrix>('<confusion-matrix></confusion-matrix>');
    matrix.matrix = mnistLikeMatrix();
    await inBothSchemes(matrix, 'confusion-matrix', () => checkA11y(matrix));
    matrix.normalized = true;
    await inBothSchemes(matrix, 'confusion-matrix-normalized', () => checkA11y(matrix));
  });
});
