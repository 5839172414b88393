/**
 * Stack traces from src/ in the notebook kernel point at the .ts file and line (start.sh preloads this with `node --require`).
 *
 * tslab compiles the src/*.ts files a cell imports itself (TypeScript to ES modules, then to CommonJS, without source maps) and
 * loads each under a .js path that does not exist, e.g. "<root>/src/util/random.js": an error thrown on line 63 of random.ts
 * showed "src/util/random.js:62:15". So when tslab loads such a module (a .js path inside the project that does not exist, next
 * to a .ts file that does), it is compiled from the .ts file instead, by esbuild (what tsx runs for the CLI and the tests,
 * resolved through tsx) with an inline source map, and Node's source-map support is on (as tsx turns it on): frames then read
 * "src/util/random.ts:63:11". tslab still type-checks every cell and module and resolves their imports as before; a module a
 * cell defines (%module) has no .ts file on disk and keeps tslab's code. preload.js installs it; the functions are exported for
 * src/notebook/kernel_source_maps.test.ts.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const Module = require("module");

/** The .ts file a module tslab compiled stands for, or undefined when `filename` is an ordinary module (or not in `root`). */
function typeScriptSourceOf(filename, root) {
  if (!filename.endsWith(".js") || !filename.startsWith(path.resolve(root) + path.sep)) return undefined;
  if (filename.split(path.sep).includes("node_modules") || fs.existsSync(filename)) return undefined;
  const source = `${filename.slice(0, -".js".length)}.ts`;
  return fs.existsSync(source) ? source : undefined;
}

let esbuild;
function loadEsbuild(root) {
  if (!esbuild) {
    const tsx = path.dirname(require.resolve("tsx/package.json", { paths: [root] }));
    esbuild = require(require.resolve("esbuild", { paths: [tsx] }));
  }
  return esbuild;
}

/** CommonJS code for a .ts file, with an inline source map whose source is that file (named relative to the module). */
function compileTypeScript(file, root) {
  const result = loadEsbuild(root).transformSync(fs.readFileSync(file, "utf8"), {
    loader: "ts",
    format: "cjs",
    target: `node${process.versions.node.split(".")[0]}`,
    sourcemap: "inline",
    sourcefile: path.basename(file),
    // tslab and tsconfig.json both target ES2022, where class fields have define semantics
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
  });
  return result.code;
}

/** Turns the rewrite on for the modules tslab compiles from `root` (the project folder). */
function installSourceMaps(root) {
  process.setSourceMapsEnabled(true);
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename) {
    const source = typeScriptSourceOf(filename, root);
    return compile.call(this, source === undefined ? content : compileTypeScript(source, root), filename);
  };
}

module.exports = { typeScriptSourceOf, compileTypeScript, installSourceMaps };
