/**
 * The report card: the `<confusion-matrix>` of the held-out set after every
 * epoch, the top 3 confusion pairs with example images of those mistakes,
 * the test images behind any cell you click, per-class recall, calibration
 * (ECE before and after temperature scaling, reliability diagram) and the
 * answer to the lesson's question, all from the run's own evaluation.
 */
import { html } from 'lit';
import { perClassMetrics } from '../../src/metrics/precision-recall.js';
import type { MnistSet } from '../../workers/index.js';
import type { ConfusionMatrix } from '../../widgets/index.js';
import { byId, errorText, paintDigits, percent, show } from './dom.js';
import { reliabilityDiagram } from './reliability-diagram.js';
import { calibrateOffThread } from './report-worker-client.js';
import { cellExamples, confidenceOf, lessonAnswer, topPairExamples, type EvaluationLike } from './report-analysis.js';

/** Images shown for a clicked cell. */
const CELL_LIMIT = 40;

export class ReportCard {
  private readonly matrix = byId<ConfusionMatrix>('matrix');
  private readonly subject = byId('report-subject');
  private readonly body = byId('report-body');
  private readonly pairs = byId('pairs');
  private readonly lesson = byId('lesson-answer');
  private readonly cells = byId('cell-examples');
  private readonly recall = byId('recall');
  private readonly calibration = byId('calibration');
  private evaluation: { ev: EvaluationLike; test: MnistSet } | null = null;
  private calibrationToken = 0;
  private evaluationToken = 0;

  constructor() {
    this.matrix.addEventListener('confusion-cell-select', (e) => this.showCell(e.detail.actual, e.detail.predicted));
  }

  /** Empties the card for a new run. */
  reset(subject: string): void {
    this.evaluation = null;
    this.calibrationToken++;
    this.evaluationToken++;
    this.matrix.matrix = null;
    this.body.hidden = true;
    delete this.cells.dataset.actual;
    delete this.cells.dataset.predicted;
    this.subject.textContent = `Report card of the ${subject}: it fills after the first epoch.`;
    for (const el of [this.pairs, this.cells, this.recall, this.calibration]) show(html``, el);
  }

  /** The confusion matrix of an epoch (rows true, columns predicted), with recall read off it. */
  showMatrix(confusion: readonly (readonly number[])[], subject: string): void {
    this.matrix.matrix = confusion;
    this.body.hidden = false;
    this.subject.textContent = `Report card of the ${subject}, on the 10,000 held-out test images.`;
    this.lesson.textContent = lessonAnswer(confusion).text;
    show(recallTable(confusion), this.recall);
  }

  /**
   * Everything that needs predictions and logits: pair examples, calibration,
   * the open cell. Rendered in separate tasks (the matrix first), so input
   * that arrives meanwhile is handled between them.
   */
  async showEvaluation(ev: EvaluationLike, test: MnistSet, subject: string): Promise<void> {
    const token = ++this.evaluationToken;
    this.evaluation = { ev, test };
    if (this.matrix.matrix !== ev.confusion) this.showMatrix(ev.confusion, subject);
    void this.showCalibration(ev, test);
    await nextTask();
    if (token !== this.evaluationToken) return;
    const examples = topPairExamples(ev.confusion, test.labels, ev.predictions, 3, 6);
    const strip = (indices: number[], actual: number, predicted: number) =>
      indices.length
        ? indices.map((i) => digit(i, actual, predicted, confidenceOf(ev.logits, i, predicted)))
        : html`<span class="muted">none</span>`;
    show(
      examples.length
        ? html`<ol class="pairs">
            ${examples.map(
              ({ pair, aAsB, bAsA }) => html`<li>
                <p><strong>${pair.a}↔${pair.b}</strong>: ${pair.count} mistakes (${pair.a} read as ${pair.b} ×${pair.aAsB}, ${pair.b} read as ${pair.a} ×${pair.bAsA})</p>
                <div class="strip" aria-label=${`${pair.a} read as ${pair.b}`}><span class="strip-label">${pair.a}→${pair.b}</span>${strip(aAsB, pair.a, pair.b)}</div>
                <div class="strip" aria-label=${`${pair.b} read as ${pair.a}`}><span class="strip-label">${pair.b}→${pair.a}</span>${strip(bAsA, pair.b, pair.a)}</div>
              </li>`,
            )}
          </ol>`
        : html`<p>No mistakes: nothing to show.</p>`,
      this.pairs,
    );
    paintDigits(this.pairs, test.images);
    if (this.cells.dataset.actual === undefined) return;
    await nextTask();
    if (token === this.evaluationToken) this.showCell(Number(this.cells.dataset.actual), Number(this.cells.dataset.predicted));
  }

  /** ECE before/after temperature scaling and the reliability diagram, computed in the helper worker. */
  private async showCalibration(ev: EvaluationLike, test: MnistSet): Promise<void> {
    const token = ++this.calibrationToken;
    try {
      const c = await calibrateOffThread(ev.logits, test.labels, ev.count);
      if (token !== this.calibrationToken) return; // a newer evaluation arrived meanwhile
      show(
        html`<p>
            Expected calibration error <strong>${percent(c.eceBefore)}</strong> before, <strong>${percent(c.eceAfter)}</strong> after
            temperature scaling (T = ${c.temperature.toFixed(2)}, fitted on the first ${c.fitCount.toLocaleString('en-US')} test images,
            measured on the other ${c.measureCount.toLocaleString('en-US')}). Accuracy is unchanged: dividing the logits by T keeps their order.
          </p>
          ${reliabilityDiagram(c.binsBefore, c.binsAfter, c.temperature)}
          <p class="legend"><span class="key before"></span> before <span class="key after"></span> after <span class="key diagonal"></span> perfectly calibrated</p>`,
        this.calibration,
      );
    } catch (error) {
      if (token === this.calibrationToken) show(html`<p class="error">Calibration could not be computed: ${errorText(error)}</p>`, this.calibration);
    }
  }

  /** The test images of true `actual` read as `predicted`. */
  private showCell(actual: number, predicted: number): void {
    this.cells.dataset.actual = String(actual);
    this.cells.dataset.predicted = String(predicted);
    const current = this.evaluation;
    if (!current) {
      show(html`<p>The images appear once the evaluation after the epoch has arrived.</p>`, this.cells);
      return;
    }
    const { ev, test } = current;
    const all = cellExamples(test.labels, ev.predictions, actual, predicted);
    const shown = all.slice(0, CELL_LIMIT);
    const what = actual === predicted ? `${actual}s read correctly` : `true ${actual} read as ${predicted}`;
    show(
      html`<h3>Test images behind the cell: ${what}</h3>
        <p>${all.length} image${all.length === 1 ? '' : 's'}${all.length > shown.length ? `, the first ${shown.length} shown` : ''}.</p>
        <div class="strip wrap">${shown.map((i) => digit(i, actual, predicted, confidenceOf(ev.logits, i, predicted)))}</div>`,
      this.cells,
    );
    paintDigits(this.cells, test.images);
  }
}

/** Resolves in a later task (after pending input and rendering). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** One test image as a small canvas, painted after render by `paintDigits`. */
function digit(index: number, actual: number, predicted: number, confidence: number) {
  const text = `test image ${index}: true ${actual}, read as ${predicted} (${percent(confidence, 0)} sure)`;
  return html`<canvas class="digit" data-digit=${index} width="28" height="28" role="img" aria-label=${text} title=${text}></canvas>`;
}

/** Recall per digit, with precision and support beside it. */
function recallTable(confusion: readonly (readonly number[])[]) {
  const metrics = perClassMetrics(confusion);
  const worst = metrics.reduce((w, m) => (m.support > 0 && m.recall < w.recall ? m : w), metrics[0]);
  return html`<table class="numbers recall">
    <caption>Lowest recall: ${worst.label} (${percent(worst.recall, 1)} of its test images found)</caption>
    <thead><tr><th scope="col">digit</th><th scope="col">recall</th><th scope="col" class="bar-col"></th><th scope="col">precision</th><th scope="col">test images</th></tr></thead>
    <tbody>
      ${metrics.map(
        (m) => html`<tr class=${m === worst ? 'worst' : ''}>
          <th scope="row">${m.label}</th>
          <td>${percent(m.recall, 1)}</td>
          <td class="bar-col"><svg class="bar" viewBox="0 0 100 8" width="100" height="8" aria-hidden="true"><rect class="track" width="100" height="8"></rect><rect class="fill" width=${(m.recall * 100).toFixed(1)} height="8"></rect></svg></td>
          <td>${percent(m.precision, 1)}</td>
          <td>${m.support.toLocaleString('en-US')}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}
