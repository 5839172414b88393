import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { assetsRoot, cacheRoot, outputRoot, projectRoot } from "./paths";

const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
});

test("projectRoot is the folder of our package.json, two levels above this file", () => {
  const root = projectRoot();
  assert.equal(root, path.resolve(__dirname, "..", ".."));
  assert.equal(JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).name, "shiftlab");
});

test("SHIFTLAB_ASSETS, SHIFTLAB_OUTPUT and SHIFTLAB_CACHE override the defaults (relative paths resolved)", () => {
  process.env.SHIFTLAB_ASSETS = "/somewhere/assets";
  process.env.SHIFTLAB_OUTPUT = "out-here";
  process.env.SHIFTLAB_CACHE = "/tmp/cache-here";
  assert.equal(assetsRoot(), "/somewhere/assets");
  assert.equal(outputRoot(), path.resolve("out-here"));
  assert.equal(cacheRoot(), "/tmp/cache-here");
});

test("without the variables: <root>/assets if present, else <root>/../shared if present, else <root>/assets; output and .cache in the root", () => {
  delete process.env.SHIFTLAB_ASSETS;
  delete process.env.SHIFTLAB_OUTPUT;
  delete process.env.SHIFTLAB_CACHE;
  const root = projectRoot();
  const local = path.join(root, "assets");
  const shared = path.resolve(root, "..", "shared");
  assert.equal(assetsRoot(), existsSync(local) || !existsSync(shared) ? local : shared);
  assert.equal(outputRoot(), path.join(root, "output"));
  assert.equal(cacheRoot(), path.join(root, ".cache"));
});
