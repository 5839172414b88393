import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { describeBackend, selectBackend } from "./select";

delete process.env.SHIFTLAB_BACKEND;

// These run in order: the first selection is the automatic one, later ones switch explicitly.

test("here (no CUDA package, no hardware WebGPU adapter, tfjs-node aliased to plain tfjs) the choice is wasm, with reasons for the rest", async () => {
  assert.equal(describeBackend(), "no backend selected yet (call selectBackend())");
  const choice = await selectBackend();
  assert.equal(choice.name, "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.match(choice.description, /WebAssembly \(SIMD, single-threaded\)/);
  assert.deepEqual(
    choice.tried.map((t) => t.name),
    ["tensorflow-gpu", "webgpu", "tensorflow", "wasm"],
  );
  const reasons = Object.fromEntries(choice.tried.map((t) => [t.name, t.result]));
  assert.equal(reasons["tensorflow-gpu"], "@tensorflow/tfjs-node-gpu is not installed");
  assert.match(reasons.webgpu, /no Vulkan loader|no WebGPU adapter|software adapter/);
  assert.match(reasons.tensorflow, /registered no "tensorflow" backend/);
  assert.equal(reasons.wasm, "chosen");
  assert.match(describeBackend(), /^wasm: WebAssembly .*skipped tensorflow-gpu: .*webgpu: .*tensorflow: /);
});

test("a second call returns the cached choice without initialising again", async () => {
  const first = await selectBackend();
  const backendInstance = tf.backend();
  const second = await selectBackend();
  assert.equal(second, first);
  assert.equal(tf.backend(), backendInstance);
});

test("override cpu switches to the cpu backend, which computes", async () => {
  const choice = await selectBackend("cpu");
  assert.equal(choice.name, "cpu");
  assert.equal(tf.getBackend(), "cpu");
  assert.deepEqual(choice.tried, [{ name: "cpu", result: "chosen" }]);
  const sum = tf.tidy(() => tf.sum(tf.tensor1d([1, 2, 3.5])).dataSync()[0]);
  assert.equal(sum, 6.5);
  assert.equal(await selectBackend(), choice, "no override afterwards keeps the current choice");
});

test("an unknown override is refused with the valid names", async () => {
  await assert.rejects(
    selectBackend("cuda"),
    /Unknown backend "cuda"; valid names: tensorflow-gpu, webgpu, tensorflow, wasm, cpu/,
  );
});

test("an override that cannot load says why, and the previous backend stays active", async () => {
  await assert.rejects(
    selectBackend("tensorflow"),
    /Backend tensorflow cannot be used: .*registered no "tensorflow" backend/,
  );
  await assert.rejects(
    selectBackend("tensorflow-gpu"),
    /Backend tensorflow-gpu cannot be used: @tensorflow\/tfjs-node-gpu is not installed/,
  );
  assert.equal(tf.getBackend(), "cpu");
  assert.equal((await selectBackend()).name, "cpu");
});

test("SHIFTLAB_BACKEND is read when no override is given", async () => {
  process.env.SHIFTLAB_BACKEND = "wasm";
  try {
    assert.equal((await selectBackend()).name, "wasm");
    assert.equal(tf.getBackend(), "wasm");
  } finally {
    delete process.env.SHIFTLAB_BACKEND;
  }
});

test("an error thrown after the wasm backend loads prints the script's own message and stack, not the wasm glue", async () => {
  const { spawnSync } = await import("node:child_process");
  const script = [
    `const { selectBackend } = require(${JSON.stringify(require.resolve("./select"))});`,
    `selectBackend("wasm").then(() => setTimeout(() => { throw new Error("the researcher's own error"); }, 0));`,
  ].join("\n");
  const run = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { encoding: "utf8", cwd: __dirname });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /Error: the researcher's own error\n\s+at Timeout/);
  assert.ok(run.stderr.length < 3000, `stderr has ${run.stderr.length} characters`);
});
