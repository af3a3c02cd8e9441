// Builds the package from TypeScript. One rollup entry per public entry in
// package.json "exports" (kept one to one), plus the CLI bundle.
import nodeResolve from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';

/** Public entries: the key is the output path under dist/, the value the source. */
export const LIBRARY_ENTRIES = {
  index: 'src/index.ts', // "."
  node: 'src/node/index.ts', // "./node"
  backends: 'src/backend/register-backends.ts', // "./backends"
};

// Dependencies stay external: the consumer's bundler (or Node) resolves them once.
const external = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0');

const ts = () => typescript({ tsconfig: './tsconfig.build.json', module: 'NodeNext', declaration: false, declarationMap: false, sourceMap: true, outDir: undefined, rootDir: undefined });

export default [
  {
    input: LIBRARY_ENTRIES,
    external,
    plugins: [nodeResolve(), ts()],
    output: {
      dir: 'dist',
      format: 'es',
      sourcemap: true,
      // Keep one file per module so "sideEffects" can name the registration module.
      preserveModules: true,
      preserveModulesRoot: '.',
    },
  },
  {
    input: { cli: 'src/cli/bin.ts' },
    external,
    plugins: [nodeResolve(), ts()],
    output: { dir: 'dist', format: 'es', sourcemap: true },
  },
];
