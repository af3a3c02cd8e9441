// Angular consumer check, called by framework-apps.mjs (FRAMEWORK_APPS=angular): the README's Angular
// component ("```ts src/app/train-card.component.ts angular"), exactly as extracted, compiled by ngc and run.
//
// 1. Angular 21 and TypeScript from test/frameworks/angular-deps (`npm ci` when missing; the root's tree
//    stays free of them), linked into .work/angular/node_modules beside the packed package.
// 2. ngc (strict TypeScript, strictTemplates) compiles the component and a small entry that bootstraps it
//    (zoneless) with the backend and limit from the URL, as the React entry does: no diagnostic allowed.
// 3. The compile can fail: a copy of the component whose template binds read() to (digit-clear), calls
//    pad.claer() on its #pad, binds [for]="wieghts()", [model]="'text'" and [modle] must give exactly
//    three errors (compiled alone, without emitting): TS2345, TS2551, TS2551. The last two bindings give
//    none: ngc checks a bound expression but not its assignment to an element admitted by
//    CUSTOM_ELEMENTS_SCHEMA (neither the property's name nor its type), as the README says; if Angular
//    starts checking them this check fails and the README must change. (A misspelt method in the class,
//    this.pad.nativeElement.claer(), fails with TS2551 too, but TypeScript errors hide template errors.)
//    Angular types from the custom-elements manifest: the generators found (custom-element-types 0.0.3,
//    @elemnt/cem-plugin-angular, "WIP") write wrapper directives; none is well kept, none is used.
//    angular/angular#69957 (open) proposes that ngc read custom-elements.json itself.
// 4. Vite 8 bundles ngc's output (Angular's own packages linked by its Babel linker, production mode).
//    The Angular CLI's esbuild would not bundle the package's worker, so the README's angular.json copies
//    the worker's folder and MNIST as assets and the component passes workerUrl: its "assets" are copied
//    into public/ as the CLI copies them, and the worker is started from there. (Checked once by hand with
//    the CLI itself, @angular/build 21.2: 273 MB of dependencies, too many for this run.) Then the
//    framework-apps Chromium trains it through its Train button (single-thread WASM) and draws
//    on the pad; before that, a 1 drawn with the shipped model (no [model] yet), and Train clears the pad
//    through the @ViewChild.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite8';
import { installTarball } from './install-tarball.mjs';
import { checkRead, drawAndRead, trainThroughUi } from './train-through-ui.mjs';
import { serveStatic } from '../../bench/browser-server.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const DEPS = join(HERE, 'angular-deps');
const COMPONENT = 'src/app/train-card.component.ts';

const ENTRY = `import { Component, provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import type { BackendChoice, CreateTrainerOptions } from 'digit-classifier/worker';
import { TrainCard } from './app/train-card.component';

const params = new URLSearchParams(location.search);
const backend = (params.get('backend') ?? 'auto') as BackendChoice;

@Component({ selector: 'app-root', imports: [TrainCard], template: '<train-card [options]="options" [limit]="limit" />' })
class App {
  readonly options: CreateTrainerOptions = { backend, ...(params.has('threads') && { wasmThreads: Number(params.get('threads')) }) };
  readonly limit = Number(params.get('limit') ?? 10_000);
}

bootstrapApplication(App, { providers: [provideZonelessChangeDetection()] }).catch((e: unknown) => console.error(e));
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022', module: 'ES2022', moduleResolution: 'bundler', lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    strict: true, noImplicitOverride: true, noImplicitReturns: true, noFallthroughCasesInSwitch: true,
    noPropertyAccessFromIndexSignature: true, isolatedModules: true, skipLibCheck: true, types: [], outDir: 'out-tsc', rootDir: 'src',
  },
  angularCompilerOptions: { strictTemplates: true, strictInjectionParameters: true, strictInputAccessModifiers: true, typeCheckHostBindings: true },
};

/**
 * The README component with the template mistakes the README names (ngc reports template errors only when
 * the TypeScript has none): three ngc must report, and two property bindings it does not check.
 */
function mutant(source) {
  const swaps = [
    ['(digit-prediction)="read($event)"', '(digit-clear)="read($event)"'],     // the handler on another event: TS2345
    ['(click)="start()"', '(click)="pad.claer()"'],                            // a misspelt method of #pad (DigitPad): TS2551
    ['<softmax-bars for="pad">', '<softmax-bars [for]="wieghts()">'],           // a misspelt name in a bound expression: TS2551
    ['[model]="weights()"', '[model]="\'text\'" [modle]="weights()"'],          // a string for the model, a misspelt property: unchecked
  ];
  let text = source.replace('export class TrainCard', 'export class TrainCardMutant').replace("selector: 'train-card'", "selector: 'train-card-mutant'");
  for (const [from, to] of swaps) {
    if (!text.includes(from)) throw new Error(`the README's Angular component no longer contains ${from}: update the mutations of angular-app.mjs`);
    text = text.replace(from, to);
  }
  return text;
}

/**
 * The README's angular.json "assets", as the Angular CLI copies them (whole folders, glob **\/*), into
 * Vite's public/ folder: the worker's folder and MNIST are served from there, not bundled.
 */
function copyAssets(dir, angularJson) {
  const assets = Object.values(angularJson.projects ?? {}).flatMap((p) => p.architect?.build?.options?.assets ?? []);
  const copied = [];
  for (const { glob, input, output } of assets) {
    if (input === 'public' && output === undefined) continue;   // public/ itself: Vite serves it as the CLI does
    if (glob !== '**/*' || !output) throw new Error(`README angular.json: asset ${JSON.stringify({ glob, input, output })} is not a whole folder with an output`);
    cpSync(join(dir, input), join(dir, 'public', output), { recursive: true });
    copied.push(output);
  }
  if (!copied.length) throw new Error('README: no angular.json block with assets to copy');
}

/** Runs ngc on `dir`'s tsconfig; returns its output and exit status. */
function ngc(dir, project) {
  try {
    return { status: 0, output: execFileSync(join(DEPS, 'node_modules/.bin/ngc'), ['-p', project], { cwd: dir, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (error) {
    return { status: error.status, output: `${error.stdout}${error.stderr}`.replace(/\x1b\[[\d;]*m/g, '') };   // no colours
  }
}

/** Angular's packages ship partially compiled (ɵɵngDeclare…): its Babel linker completes them, as the Angular CLI does. */
async function angularLinker() {
  const babel = await import(pathToFileURL(join(DEPS, 'node_modules/@babel/core/lib/index.js')));
  const { default: linkerPlugin } = await import(pathToFileURL(join(DEPS, 'node_modules/@angular/compiler-cli/bundles/linker/babel/index.js')));
  return {
    name: 'angular-linker',
    async transform(code, id) {
      if (!/[\\/]@angular[\\/].+\.m?js$/.test(id) || !code.includes('ɵɵngDeclare')) return null;
      const result = await babel.transformAsync(code, { filename: id, configFile: false, babelrc: false, compact: false, sourceMaps: false, plugins: [linkerPlugin] });
      return result.code;
    },
  };
}

/**
 * Compiles, builds and runs the README's Angular component. `readmeFiles` and `recordingLogger` come from
 * framework-apps.mjs; `log` prints a timed line.
 */
export async function angularApp({ tarball, work, browser, readmeFiles, recordingLogger, log }) {
  if (!existsSync(join(DEPS, 'node_modules/@angular/compiler-cli'))) execFileSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: DEPS, stdio: 'inherit' });
  const dir = join(work, 'angular');
  rmSync(dir, { recursive: true, force: true });
  installTarball(dir, tarball, { name: 'angular-app' });
  mkdirSync(join(dir, 'node_modules/@angular'), { recursive: true });
  for (const p of ['@angular/core', '@angular/common', '@angular/compiler', '@angular/platform-browser', 'rxjs', 'tslib']) symlinkSync(join(DEPS, 'node_modules', p), join(dir, 'node_modules', p), 'dir');
  const files = readmeFiles('angular');
  if (!files[COMPONENT]) throw new Error(`README: no Angular component (found ${Object.keys(files).join(', ') || 'no angular block'})`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  copyAssets(dir, JSON.parse(files['angular.json'] ?? '{}'));
  writeFileSync(join(dir, 'src/main.ts'), ENTRY);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ ...TSCONFIG, files: ['src/main.ts'] }, null, 2));

  const good = ngc(dir, 'tsconfig.json');
  if (good.status !== 0 || good.output.trim()) throw new Error(`ngc failed (exit ${good.status}):\n${good.output}`);
  log('angular: README component compiled by ngc (strictTemplates)');

  writeFileSync(join(dir, 'src/app/mutant.component.ts'), mutant(files[COMPONENT]));
  writeFileSync(join(dir, 'tsconfig.mutant.json'), JSON.stringify({ ...TSCONFIG, compilerOptions: { ...TSCONFIG.compilerOptions, noEmit: true }, files: ['src/app/mutant.component.ts'] }, null, 2));
  const bad = ngc(dir, 'tsconfig.mutant.json');
  const codes = [...bad.output.matchAll(/error (TS\d+)/g)].map((m) => m[1]).sort();
  const expected = [/WidgetEvent<"digit-clear">/, /'claer' does not exist on type 'DigitPad'/, /'wieghts' does not exist on type 'TrainCardMutant'/];
  if (bad.status === 0 || codes.join() !== 'TS2345,TS2551,TS2551' || !expected.every((re) => re.test(bad.output))) {
    throw new Error(`the mutated component should fail with TS2345 (read bound to digit-clear) and TS2551 (pad.claer, wieghts) only, ngc said (exit ${bad.status}):\n${bad.output}`);
  }
  log('angular: the mutated component fails with TS2345 and 2 × TS2551; [model]="\'text\'" and [modle] pass unchecked');

  const problems = [];
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>digit-classifier in Angular</title><link rel="icon" href="data:,"></head><body><app-root></app-root><script type="module" src="/out-tsc/main.js"></script></body></html>');
  await build({
    root: dir, configFile: false, plugins: [await angularLinker()], customLogger: recordingLogger(problems), logLevel: 'warn',
    define: { ngDevMode: 'false', ngJitMode: 'false', ngI18nClosureMode: 'false' },
    build: { reportCompressedSize: false, rolldownOptions: { checks: { bundlerTimings: false } } }, worker: { format: 'es', rolldownOptions: { checks: { bundlerTimings: false } } },
  });
  if (problems.length) throw new Error(`vite build warned:\n${problems.join('\n')}`);
  log('angular: built with Vite');
  if (process.env.FRAMEWORK_APPS_BUILD_ONLY) return;   // as for the other apps: no browser

  const server = await serveStatic(join(dir, 'dist'), { isolated: false });
  try {
    const page = await browser.newPage();
    try {
      // The shipped CNN reads the pad before training (no [model] yet); Train clears it through the @ViewChild.
      const errors = [];
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`); });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      await page.goto(`${server.origin}/index.html?backend=wasm`);
      await page.waitForFunction(() => customElements.get('digit-pad') && document.getElementById('pad')?.shadowRoot, null, { timeout: 30_000 });
      const read = await drawAndRead(page, 'pad', 1);
      const before = await page.evaluate(() => document.getElementById('pad').strokeCount);
      // The worker comes from the copied assets (workerUrl), not from a copy Vite bundled.
      const workerRequest = page.waitForRequest((r) => new URL(r.url()).pathname === '/trainer-worker/trainer-worker.js', { timeout: 10_000 }).then(() => true, () => false);
      await page.getByRole('button', { name: 'Train' }).click();
      if (!(await workerRequest)) throw new Error('Train did not load the worker from /trainer-worker/trainer-worker.js (the README\'s workerUrl and angular.json assets)');
      await page.waitForFunction(() => document.getElementById('pad').strokeCount === 0 && document.querySelector('#pad ~ output')?.textContent === '', null, { timeout: 5_000 }).catch(() => undefined);
      const after = await page.evaluate(() => ({ output: document.querySelector('#pad ~ output')?.textContent, strokes: document.getElementById('pad').strokeCount }));
      checkRead('angular, the shipped model', read, 1);
      if (before === 0 || after.output !== '' || after.strokes !== 0 || errors.length) throw new Error(`after reading a drawn 1 (${before} strokes), Train left the output showing "${after.output}" and ${after.strokes} strokes; the page logged:\n${errors.join('\n')}`);
    } finally {
      await page.close();
    }
    await trainThroughUi(browser, 'angular single-thread WASM', `${server.origin}/index.html?backend=wasm`, { expected: 'wasm simd', minAccuracy: 88 });
  } finally {
    await server.close();
  }
  log('angular: read a drawn 1 with the shipped model, cleared it on Train, trained');
}
