// @custom-elements-manifest/analyzer: documents the four widgets (tags,
// properties and attributes, events, parts, CSS custom properties) in
// dist/custom-elements.json, the file package.json "customElements" names, for
// editors, Storybook and docs tools. Run by `npm run build` (build:manifest).

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

export default {
  globs: ['widgets/**/*.ts'],
  // The guard itself calls customElements.define with variables, which would read as a bogus definition.
  exclude: ['widgets/**/*.test.ts', 'widgets/internal/define-element.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
  plugins: [defineElementCalls()],
};
