// Vitest global setup: generates src/kernels/generated/ (git-ignored) before any
// test imports it, so `vitest run` works on a fresh clone without `npm run build`.
// @ts-expect-error -- a plain .mjs build script without type declarations
import { buildKernels } from '../../../scripts/build-kernels.mjs';

export default async function setup(): Promise<void> {
  await buildKernels();
}
