// Rollup config of the CDN build of the widgets, imported by rollup.config.mjs:
// one self-contained, minified ES module (lit, the four elements, the core's
// tensor-free inference and the shipped CNN; no tfjs) at
// dist/cdn/digit-classifier-widgets.js, for a plain
// <script type="module" src="…"> with no bundler.
import { ownSourceMapsOnly } from '../scripts/rollup-own-source-maps.mjs';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

export const widgetsCdnBundle = {
  input: { 'digit-classifier-widgets': 'widgets/index.ts' },
  plugins: [
    // Lit's default export condition is its production build.
    nodeResolve({ browser: true }),
    typescript({ tsconfig: './tsconfig.build.json', module: 'NodeNext', declaration: false, declarationMap: false, sourceMap: true, outDir: undefined, rootDir: undefined }),
    terser({ ecma: 2020, module: true }),
  ],
  output: { dir: 'dist/cdn', format: 'es', sourcemap: true, inlineDynamicImports: true, plugins: [ownSourceMapsOnly()] },
};
