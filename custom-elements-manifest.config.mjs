// @custom-elements-manifest/analyzer: documents the four widgets (tags,
// properties and attributes, events, parts, CSS custom properties) in
// dist/custom-elements.json, the file package.json "customElements" names, for
// editors, Storybook and docs tools. Run by `npm run build` (build:manifest).
// From the same analysis, break-stuff's cem-tools write the elements' types for
// frameworks to dist/types/frameworks/ (package.json "exports" ./frameworks/*):
// JSX (React's IntrinsicElements, for apps that keep the raw tags), Vue's
// GlobalComponents and Svelte's elements.
import { readFileSync, writeFileSync } from 'node:fs';
import { customElementJsxPlugin } from 'custom-element-jsx-integration';
import { customElementVuejsPlugin } from 'custom-element-vuejs-integration';
import { customElementSveltePlugin } from 'custom-element-svelte-integration';

/** Generated types import each class from its declaration (relative to dist/types/frameworks/). */
const frameworkTypes = { outdir: 'dist/types/frameworks', hideLogs: true, componentTypePath: (_name, tag) => `../widgets/${tag}/${tag}.component.js` };

/**
 * The widgets register through `defineElement(tag, Class)` (a guard against
 * double definition), which the analyzer does not know: this plugin records
 * each such call as the element's tag name and definition export.
 */
function defineElementCalls() {
  const found = []; // the definition exports, completed once every module is read
  return {
    name: 'define-element-calls',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isCallExpression(node) || node.expression.getText() !== 'defineElement') return;
      const [tagArg, classArg] = node.arguments;
      if (!tagArg || !ts.isStringLiteral(tagArg) || !classArg) return;
      const definition = { kind: 'custom-element-definition', name: tagArg.text, declaration: { name: classArg.getText(), module: moduleDoc.path } };
      moduleDoc.exports = [...(moduleDoc.exports ?? []), definition];
      found.push(definition);
    },
    packageLinkPhase({ customElementsManifest }) {
      // Point each definition at the module that declares the class, and give the class its tag.
      for (const definition of found) {
        for (const doc of customElementsManifest.modules) {
          const declaration = doc.declarations?.find((d) => d.kind === 'class' && d.name === definition.declaration.name);
          if (!declaration) continue;
          declaration.tagName = definition.name;
          declaration.customElement = true;
          definition.declaration.module = doc.path;
        }
      }
    },
  };
}

/**
 * The generators type every event `CustomEvent<never>` (the manifest names no
 * detail type); give each handler the widget's own event type instead.
 */
function typedFrameworkEvents() {
  return {
    name: 'typed-framework-events',
    packageLinkPhase() {
      for (const file of ['jsx.d.ts', 'vue.d.ts', 'svelte.d.ts']) {
        const path = `${frameworkTypes.outdir}/${file}`;
        const text = readFileSync(path, 'utf8').replace(/"(on:?)([a-z-]+)"\?: \(e: CustomEvent<never>\)/g, (_m, on, name) => `"${on}${name}"?: (e: WidgetEvent<'${name}'>)`);
        // svelte.d.ts imports the classes, so it is a module: its svelteHTML must be declared global.
        const global = file === 'svelte.d.ts' ? text.replace(/declare namespace svelteHTML \{([\s\S]*?)\n\}/, 'declare global {\n  namespace svelteHTML {$1\n  }\n}') : text;
        writeFileSync(path, `import type { WidgetEvent } from "../widgets/internal/events.js";\n${global}`);
      }
    },
  };
}

export default {
  globs: ['widgets/**/*.ts'],
  // The guard itself calls customElements.define with variables, which would read as a bogus definition.
  exclude: ['widgets/**/*.test.ts', 'widgets/internal/define-element.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
  plugins: [
    defineElementCalls(),
    customElementJsxPlugin({ ...frameworkTypes, fileName: 'jsx.d.ts' }),
    customElementVuejsPlugin({ ...frameworkTypes, fileName: 'vue.d.ts' }),
    customElementSveltePlugin({ ...frameworkTypes, fileName: 'svelte.d.ts' }),
    typedFrameworkEvents(),
  ],
};
