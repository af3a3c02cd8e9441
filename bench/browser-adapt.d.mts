// Types of browser-adapt.mjs (used from the TypeScript tests).
export const TARGET_SECONDS: number;
export const README_SLACK: number;
/** One window.runAdapt() of bench-browser.html, or a run that failed. */
export interface AdaptRun {
  engine: string;
  name: string;
  failed?: string;
  backend?: { name: string; wasmVariant?: string; threads?: number; trainingEngine?: unknown };
  startSeconds?: number;
  mnistSeconds?: number;
  adaptSeconds?: number;
  totalSeconds?: number;
  examplesAccuracyBefore?: number;
  examplesAccuracy?: number;
  othersAfter?: number;
}
export interface AdaptSummary {
  engine: string;
  name: string;
  runs: number;
  ok: number;
  failed?: string;
  best: Required<AdaptRun> | null;
  adaptRange: [number, number] | null;
  totalRange: [number, number] | null;
}
export type EngineFigures = Record<'chromium' | 'firefox' | 'webkit', { adapt: number; total: number }>;
export function summarizeAdapt(runs: readonly AdaptRun[]): AdaptSummary[];
export function adaptTable(summaries: readonly AdaptSummary[]): string;
export function readmeAdaptFigures(readme: string): EngineFigures | null;
export function adaptTargets(summaries: readonly AdaptSummary[], readme: string): { target: string; value: string; met: boolean }[];
