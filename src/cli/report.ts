import { formatPair, topConfusionPairs } from '../metrics/confusion-pairs.js';

/** The confusion matrix as a text table: rows true, columns predicted, misses marked. */
export function formatConfusionMatrix(matrix: number[][]): string {
  const width = Math.max(4, ...matrix.flat().map((v) => String(v).length + 1));
  const pad = (s: string | number) => String(s).padStart(width);
  const lines = ['true↓ pred→' + matrix.map((_, c) => pad(c)).join('')];
  matrix.forEach((row, r) => lines.push(`${String(r).padStart(10)} ` + row.map((v) => pad(v)).join('')));
  return lines.join('\n');
}

/** The top-k confusion pairs as lines like `4↔9 (23: 4→9 ×15, 9→4 ×8)`. */
export function formatTopPairs(matrix: number[][], k = 3): string {
  const pairs = topConfusionPairs(matrix, k);
  if (pairs.length === 0) return 'no confusions';
  return pairs.map((p, i) => `${i + 1}. ${formatPair(p)}`).join('\n');
}
