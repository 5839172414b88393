/** kernels/tslab/source_maps.js: in the notebook kernel, errors thrown in src/ name the .ts file and line. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot } from "../assets/paths";

const kernelFolder = path.join(projectRoot(), "kernels", "tslab");
const sourceMaps = require(path.join(kernelFolder, "source_maps.js")) as {
  typeScriptSourceOf(filename: string, root: string): string | undefined;
  compileTypeScript(file: string, root: string): string;
};

test("typeScriptSourceOf: only a .js path inside the project that does not exist, next to a .ts file that does", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "shiftlab-sourcemaps-"));
  try {
    fs.mkdirSync(path.join(root, "src", "util"), { recursive: true });
    fs.mkdirSync(path.join(root, "node_modules", "pkg"), { recursive: true });
    fs.writeFileSync(path.join(root, "src", "util", "a.ts"), "export const a = 1;\n");
    fs.writeFileSync(path.join(root, "src", "util", "b.js"), "exports.b = 1;\n");
    fs.writeFileSync(path.join(root, "src", "util", "b.ts"), "export const b = 1;\n");
    fs.writeFileSync(path.join(root, "node_modules", "pkg", "c.ts"), "export const c = 1;\n");
    const of = (...parts: string[]) => sourceMaps.typeScriptSourceOf(path.join(root, ...parts), root);
    assert.equal(of("src", "util", "a.js"), path.join(root, "src", "util", "a.ts"));
    assert.equal(of("src", "util", "b.js"), undefined); // a real .js file is left alone
    assert.equal(of("src", "util", "missing.js"), undefined); // a module a cell defined: no .ts on disk
    assert.equal(of("node_modules", "pkg", "c.js"), undefined);
    assert.equal(of("src", "util", "a.ts"), undefined);
    assert.equal(
      sourceMaps.typeScriptSourceOf(path.join(root, "src", "util", "a.js"), path.join(root, "src", "x")),
      undefined,
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("compileTypeScript: CommonJS with an inline source map of the .ts file", () => {
  const code = sourceMaps.compileTypeScript(path.join(projectRoot(), "src", "util", "random.ts"), projectRoot());
  assert.match(code, /exports/);
  const map = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  assert.ok(map, "an inline source map at the end");
  const decoded = JSON.parse(Buffer.from(map[1], "base64").toString("utf8")) as { sources: string[] };
  assert.deepEqual(decoded.sources, ["random.ts"]);
});

test("with the kernel's preload, a module loaded the way tslab loads it reports the .ts file and line", () => {
  // tslab compiles src/util/random.ts itself and hands the code to Module#_compile under src/util/random.js (no such file)
  const file = path.join(projectRoot(), "src", "util", "random.ts");
  const line =
    fs
      .readFileSync(file, "utf8")
      .split("\n")
      .findIndex((l) => l.includes("sampleInOrder: count must be")) + 1;
  assert.ok(line > 0);
  const script = `
    const Module = require("module");
    const filename = ${JSON.stringify(file.replace(/\.ts$/, ".js"))};
    const mod = new Module(filename, module);
    mod.filename = filename;
    mod._compile("exports.sampleInOrder = () => { throw new Error('tslab output'); };", filename);
    try { mod.exports.sampleInOrder([1, 2], -1, Math.random); } catch (e) { console.log(e.stack); }`;
  for (const preload of [true, false]) {
    const run = spawnSync(
      process.execPath,
      [...(preload ? ["--require", path.join(kernelFolder, "preload.js")] : []), "-e", script],
      { encoding: "utf8", cwd: projectRoot() },
    );
    assert.equal(run.status, 0, run.stderr);
    if (preload) {
      assert.match(run.stdout, /sampleInOrder: count must be a non-negative integer, got -1/);
      assert.ok(run.stdout.includes(`${file}:${line}:`), run.stdout);
      assert.ok(!run.stdout.includes("random.js"), run.stdout);
    } else {
      assert.match(run.stdout, /tslab output/); // without it, tslab's code runs as handed over
    }
  }
});
