/**
 * A reliability diagram as an SVG template: per confidence bin, the accuracy
 * before temperature scaling (outlined bars) and after (filled bars), against
 * the diagonal a perfectly calibrated model would follow. Attributes only, no
 * inline styles, so it renders under a strict Content-Security-Policy.
 */
import { html, svg } from 'lit';
import type { ReliabilityBin } from '../../src/metrics/calibration.js';

const W = 300;
const H = 220;
const M = { left: 40, right: 10, top: 10, bottom: 36 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

const x = (v: number) => M.left + v * PW;
const y = (v: number) => M.top + (1 - v) * PH;

/** The diagram for bins before and after scaling (same bin edges). */
export function reliabilityDiagram(before: readonly ReliabilityBin[], after: readonly ReliabilityBin[], temperature: number) {
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const bar = (b: ReliabilityBin, offset: number, cls: string) => {
    if (b.count === 0) return svg``;
    const width = (b.upper - b.lower) * PW * 0.42;
    return svg`<rect class=${cls} x=${(x(b.lower) + offset * width + (b.upper - b.lower) * PW * 0.08).toFixed(1)} y=${y(b.accuracy).toFixed(1)}
      width=${width.toFixed(1)} height=${(y(0) - y(b.accuracy)).toFixed(1)}><title>${`${cls === 'before' ? 'before' : `after (T = ${temperature.toFixed(2)})`}: confidence ${(b.lower * 100).toFixed(0)}–${(b.upper * 100).toFixed(0)}%, ${b.count} images, accuracy ${(b.accuracy * 100).toFixed(1)}%`}</title></rect>`;
  };
  // The <svg> element itself in an html template; its children in svg templates.
  return html`<svg class="reliability" viewBox="0 0 ${W} ${H}" width=${W} height=${H} role="img" aria-labelledby="reliability-title">${svg`
    <title id="reliability-title">Reliability diagram: accuracy per confidence bin, before (outlined) and after (filled) temperature scaling</title>
    ${ticks.map((t) => svg`<line class="grid" x1=${x(0)} x2=${x(1)} y1=${y(t)} y2=${y(t)}></line>
      <text class="tick" x=${M.left - 6} y=${y(t) + 4} text-anchor="end">${t * 100}%</text>
      <text class="tick" x=${x(t)} y=${H - M.bottom + 14} text-anchor="middle">${t * 100}%</text>`)}
    <line class="diagonal" x1=${x(0)} y1=${y(0)} x2=${x(1)} y2=${y(1)}></line>
    ${before.map((b) => bar(b, 0, 'before'))}
    ${after.map((b) => bar(b, 1, 'after'))}
    <line class="axis" x1=${x(0)} x2=${x(1)} y1=${y(0)} y2=${y(0)}></line>
    <line class="axis" x1=${x(0)} x2=${x(0)} y1=${y(0)} y2=${y(1)}></line>
    <text class="label" x=${x(0.5)} y=${H - 4} text-anchor="middle">confidence (top probability)</text>
    <text class="label" transform="translate(11 ${y(0.5)}) rotate(-90)" text-anchor="middle">accuracy</text>
  `}</svg>`;
}
