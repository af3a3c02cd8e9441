// Types of engines.mjs (used from the TypeScript suites).
export type Engine = 'chromium' | 'firefox' | 'webkit';
export const ENGINES: readonly Engine[];
export const CHROMIUM_FLAGS: string[];
export const FIREFOX_PREFS: Record<string, unknown>;
export const MINIBROWSER_ARGS: string[];
export function selectedEngines(env?: NodeJS.ProcessEnv): Engine[];
export function enginePaths(env?: NodeJS.ProcessEnv): { chromium: string | null; firefox: string | null; webkitDriver: string | null; webkitBrowser: string | null; xvfb: string | null };
export function missingParts(engines?: readonly Engine[], env?: NodeJS.ProcessEnv): { missing: string[]; apt: string[] };
export function startXvfb(size?: string): Promise<{ display: string; stop: () => void }>;
