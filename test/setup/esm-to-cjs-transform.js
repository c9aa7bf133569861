'use strict';
/**
 * Jest transformer for dependencies published as ES modules only, above all NestJS 12 (@nestjs/*).
 *
 * The application is compiled to CommonJS and loads those packages with Node's require(esm)
 * (Node >= 20.19 / 22.12). Jest's own module system can only do that on Node >= 24.9 with
 * --experimental-vm-modules; elsewhere it refuses an ES module with "Must use import to load ES
 * Module". So jest.config.js runs every .js file of node_modules through this transformer, which
 *   - leaves CommonJS files alone (decided like Node does: `.cjs`, or a `.js` file whose nearest
 *     package.json does not say "type": "module");
 *   - leaves ES modules alone when Jest itself runs them as ES modules (`supportsStaticESM`);
 *   - otherwise compiles the ES module to CommonJS with TypeScript's transpileModule, and
 *       * maps `import.meta` onto CommonJS (NestJS uses `createRequire(import.meta.url)`; Jest's
 *         `node:module` hands back a require() that goes through Jest's registry again), and
 *       * renames module-level bindings that an ES module may declare but that are parameters of
 *         the CommonJS wrapper (e.g. @nestjs/mapped-types: `const require = createRequire(…)`).
 * Results are cached by Jest like any other transform.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

/** Part of every cache key: editing this file invalidates Jest's cached transforms. */
const SELF_HASH = crypto.createHash('sha256').update(fs.readFileSync(__filename)).digest('hex');

const IMPORT_META = '__jestImportMeta';
const IMPORT_META_SHIM =
  `const ${IMPORT_META} = { url: require("node:url").pathToFileURL(__filename).href, ` +
  'filename: __filename, dirname: __dirname, ' +
  'resolve: (specifier) => require("node:url").pathToFileURL(require.resolve(specifier)).href };';

/** Parameters of the CommonJS module wrapper. */
const WRAPPER_NAMES = new Set(['require', 'module', 'exports', '__filename', '__dirname']);
const RENAMED_PREFIX = '__esm_';

const COMPILER_OPTIONS = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  allowJs: true,
  esModuleInterop: true,
  isolatedModules: true,
  inlineSourceMap: true,
  // transpileModule would otherwise default `moduleResolution` to the deprecated node10.
  ignoreDeprecations: '6.0',
};

// --- ES module or CommonJS? ----------------------------------------------------------------------

/** directory -> "type" of the nearest package.json ('module' | 'commonjs'). */
const packageTypes = new Map();

function packageType(dir) {
  const cached = packageTypes.get(dir);
  if (cached !== undefined) return cached;
  let type;
  const file = path.join(dir, 'package.json');
  if (fs.existsSync(file)) {
    try {
      type = JSON.parse(fs.readFileSync(file, 'utf8')).type === 'module' ? 'module' : 'commonjs';
    } catch {
      type = 'commonjs';
    }
  } else {
    const parent = path.dirname(dir);
    type = parent === dir ? 'commonjs' : packageType(parent);
  }
  packageTypes.set(dir, type);
  return type;
}

function isEsModule(filePath) {
  if (filePath.endsWith('.mjs')) return true;
  if (filePath.endsWith('.cjs')) return false;
  return packageType(path.dirname(filePath)) === 'module';
}

// --- AST pass run before TypeScript's CommonJS emit -----------------------------------------------

function bindingNames(name, into) {
  if (ts.isIdentifier(name)) into.push(name.text);
  else
    for (const element of name.elements)
      if (!ts.isOmittedExpression(element)) bindingNames(element.name, into);
}

/** The names a top-level statement declares in the module scope. */
function declaredNames(statement) {
  const names = [];
  if (ts.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) bindingNames(declaration.name, names);
  } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
    names.push(statement.name.text);
  } else if (ts.isImportDeclaration(statement) && statement.importClause) {
    // Only a namespace import becomes a variable of the same name in TypeScript's CommonJS output;
    // references to default and named imports are rewritten to `<module>_1.<name>` anyway.
    const { namedBindings } = statement.importClause;
    if (namedBindings && ts.isNamespaceImport(namedBindings)) names.push(namedBindings.name.text);
  }
  return names;
}

const hasModifier = (node, kind) =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === kind);

/**
 * Replaces `import.meta` with IMPORT_META and, where the module declares one of the wrapper's names
 * itself, renames that binding everywhere in the file. In an ES module those names are not defined
 * otherwise, so every reference to one of them is a reference to the module's own binding; property
 * names (`x.require`, `{ module: … }`) are left alone.
 */
function esmForCommonJs(context) {
  const f = context.factory;
  return (sourceFile) => {
    const clashes = new Set(
      sourceFile.statements.flatMap(declaredNames).filter((name) => WRAPPER_NAMES.has(name)),
    );
    // An exported declaration of such a name loses its `export` (see the end): every name it
    // declares is renamed then, and exported again under its own name.
    const reexported = sourceFile.statements.filter(
      (statement) =>
        hasModifier(statement, ts.SyntaxKind.ExportKeyword) &&
        !hasModifier(statement, ts.SyntaxKind.DefaultKeyword) &&
        declaredNames(statement).some((name) => clashes.has(name)),
    );
    for (const statement of reexported) for (const name of declaredNames(statement)) clashes.add(name);
    const renamed = (name) => f.createIdentifier(RENAMED_PREFIX + name);
    const clash = (node) => node !== undefined && ts.isIdentifier(node) && clashes.has(node.text);
    /** Visit the children of `node` except its (non-computed) property name. */
    const exceptName = (node) =>
      ts.visitEachChild(
        node,
        (child) => (child === node.name && !ts.isComputedPropertyName(child) ? child : visit(child)),
        context,
      );

    function visit(node) {
      if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword) {
        return f.createIdentifier(IMPORT_META);
      }
      if (clashes.size === 0) return ts.visitEachChild(node, visit, context);

      if (ts.isIdentifier(node)) return clashes.has(node.text) ? renamed(node.text) : node;
      if (ts.isPropertyAccessExpression(node)) {
        return f.updatePropertyAccessExpression(node, visit(node.expression), node.name);
      }
      if (
        ts.isPropertyAssignment(node) ||
        ts.isMethodDeclaration(node) ||
        ts.isPropertyDeclaration(node) ||
        ts.isGetAccessorDeclaration(node) ||
        ts.isSetAccessorDeclaration(node)
      ) {
        return exceptName(node);
      }
      if (ts.isShorthandPropertyAssignment(node) && clash(node.name)) {
        // `{ require }` -> `{ require: __esm_require }`
        return f.createPropertyAssignment(node.name.text, renamed(node.name.text));
      }
      if (ts.isObjectBindingPattern(node)) {
        return f.updateObjectBindingPattern(
          node,
          node.elements.map((element) => {
            if (element.propertyName) {
              // `{ require: r }`: the key is a property name; only the rest is visited
              return f.updateBindingElement(
                element,
                element.dotDotDotToken,
                ts.isComputedPropertyName(element.propertyName)
                  ? visit(element.propertyName)
                  : element.propertyName,
                visit(element.name),
                element.initializer && visit(element.initializer),
              );
            }
            if (!element.dotDotDotToken && clash(element.name)) {
              // `{ require }` -> `{ require: __esm_require }`
              return f.updateBindingElement(
                element,
                undefined,
                f.createIdentifier(element.name.text),
                renamed(element.name.text),
                element.initializer && visit(element.initializer),
              );
            }
            return visit(element);
          }),
        );
      }
      // Default and named imports keep their names (see declaredNames()); a namespace import is renamed.
      if (ts.isImportClause(node)) return exceptName(node);
      if (ts.isImportSpecifier(node)) return node;
      if (ts.isNamespaceImport(node))
        return clash(node.name) ? f.updateNamespaceImport(node, renamed(node.name.text)) : node;
      if (ts.isExportDeclaration(node) && node.moduleSpecifier) return node; // names of another module
      if (ts.isExportSpecifier(node)) {
        // `export { require }` -> `export { __esm_require as require }`; the exported name stays
        const local = node.propertyName ?? node.name;
        if (!clash(local)) return node;
        return f.updateExportSpecifier(
          node,
          node.isTypeOnly,
          renamed(local.text),
          f.createIdentifier(node.name.text),
        );
      }
      return ts.visitEachChild(node, visit, context);
    }

    if (clashes.size === 0) return ts.visitNode(sourceFile, visit);

    // `export const require = …` would be exported as `__esm_require`: declare it without `export`
    // and export it under its own name, `export { __esm_require as require }`.
    const statements = sourceFile.statements.flatMap((statement) => {
      const visited = visit(statement);
      if (!reexported.includes(statement)) return [visited];
      const modifiers = ts.getModifiers(visited).filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword);
      const specifiers = declaredNames(statement).map((name) =>
        f.createExportSpecifier(false, renamed(name), f.createIdentifier(name)),
      );
      return [
        f.replaceModifiers(visited, modifiers),
        f.createExportDeclaration(undefined, false, f.createNamedExports(specifiers)),
      ];
    });
    return f.updateSourceFile(sourceFile, statements);
  };
}

// --- Jest transformer interface -----------------------------------------------------------------

module.exports = {
  getCacheKey(sourceText, sourcePath, options) {
    return crypto
      .createHash('sha256')
      .update(`${SELF_HASH}\0${ts.version}\0${sourcePath}\0`)
      .update(String(Boolean(options && options.supportsStaticESM)))
      .update('\0')
      .update(sourceText)
      .digest('hex');
  },

  process(sourceText, sourcePath, options) {
    if ((options && options.supportsStaticESM) || !isEsModule(sourcePath)) {
      return { code: sourceText };
    }
    const { outputText } = ts.transpileModule(sourceText, {
      // A `.mjs` name would make TypeScript keep the module syntax.
      fileName: sourcePath.replace(/\.mjs$/, '.js'),
      compilerOptions: COMPILER_OPTIONS,
      reportDiagnostics: false,
      transformers: { before: [esmForCommonJs] },
    });
    if (!outputText.includes(IMPORT_META)) return { code: outputText };
    // The shim goes on the first line, after the "use strict" directive: no shift of the source map.
    const strict = '"use strict";';
    const code = outputText.startsWith(strict)
      ? `${strict} ${IMPORT_META_SHIM}${outputText.slice(strict.length)}`
      : `${IMPORT_META_SHIM} ${outputText}`;
    return { code };
  },
};
