// Types of engine-page.mjs (used from the TypeScript suites).
import type { Engine } from './engines.mjs';

export type { Engine };
export type PointerKind = 'mouse' | 'touch' | 'pen';

export interface EnginePage {
  readonly engine: Engine;
  /** The browser's own name and version. */
  readonly version: string;
  /** Pointer kinds this engine's automation sends as trusted input. */
  readonly pointerKinds: readonly PointerKind[];
  goto(url: string): Promise<void>;
  /** Evaluates an expression in the page (awaiting a promise) and returns its value. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** Evaluates an expression inside a same-origin iframe of the page. */
  evaluateInFrame<T = unknown>(iframeSelector: string, expression: string): Promise<T>;
  /** Polls until truthy; throws naming `what` after `ms`. */
  waitFor(expression: string, ms: number, what: string): Promise<void>;
  setViewport(width: number, height: number): Promise<void>;
  /** A trusted stroke through viewport points with this pointer kind. */
  stroke(kind: PointerKind, points: readonly (readonly [number, number])[]): Promise<void>;
  close(): Promise<void>;
}

export function openEnginePage(engine: Engine, options?: { chromiumFlags?: string[] }): Promise<EnginePage>;
