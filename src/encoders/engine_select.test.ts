/**
 * Engine choice (engine_select.ts): names checked, the default prefers onnxruntime and records why it skipped it, an asked-for
 * engine that cannot be used fails loudly (onnxruntime-node missing, an architecture without an ONNX graph).
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { selectBackend } from "../backend/select";
import { setting } from "../settings";
import { readModelConfig, type ModelConfig } from "./checkpoint/config";
import { openCheckpoint } from "./checkpoint/safetensors";
import { executionProviders, loadStatesEngine, requestedEngine } from "./engine_select";
import { onnxArchitecture } from "./onnx/graphs";
import { loadOnnxRuntime, loadRuntimePackage } from "./onnx/runtime";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";

const dir = path.join(__dirname, "testdata", "bert");
const runtime = loadOnnxRuntime();
const noRuntime = runtime.module === undefined ? `onnxruntime-node is not available: ${runtime.reason}` : false;
const missing = loadRuntimePackage("onnxruntime-node-that-is-not-installed");
let config: ModelConfig;

before(async () => {
  await selectBackend();
  config = await readModelConfig(dir);
});

async function load(request: Parameters<typeof loadStatesEngine>[2]) {
  const { engine, choice } = await loadStatesEngine(config, await openCheckpoint(dir), request);
  engine.dispose();
  return choice;
}

test("engine names: tfjs and onnxruntime (trimmed); anything else is refused naming both", () => {
  assert.equal(requestedEngine("tfjs"), "tfjs");
  assert.equal(requestedEngine(" onnxruntime "), "onnxruntime");
  assert.throws(() => requestedEngine("ort"), /Unknown engine "ort"; valid names: onnxruntime, tfjs/);
});

test("a missing onnxruntime-node is reported as not installed", () => {
  assert.equal(missing.module, undefined);
  assert.match(
    missing.reason ?? "",
    /onnxruntime-node-that-is-not-installed is not installed \(an optional dependency/,
  );
});

test("asking for onnxruntime without onnxruntime-node fails loudly, saying why", async () => {
  await assert.rejects(
    load({ engine: "onnxruntime", backend: "wasm", runtime: missing }),
    /Engine onnxruntime cannot be used: onnxruntime-node-that-is-not-installed is not installed/,
  );
});

const engineSet = setting("SHIFTLAB_ENGINE") !== undefined && "SHIFTLAB_ENGINE is set, so there is no default choice";

test(
  "default without onnxruntime-node: tfjs, with the reason onnxruntime was skipped",
  { skip: engineSet },
  async () => {
    const choice = await load({ backend: "wasm", runtime: missing });
    assert.equal(choice.name, "tfjs");
    assert.match(choice.tried[0].result, /onnxruntime-node-that-is-not-installed is not installed/);
    assert.deepEqual(choice.tried[1], { name: "tfjs", result: "chosen" });
  },
);

test("an architecture without an ONNX graph is named, with the way out", () => {
  assert.throws(
    () =>
      onnxArchitecture(
        { ...config, modelType: "electra" },
        { source: "x", names: () => [], has: () => false, read: () => new Float32Array() },
      ),
    /no ONNX graph for model_type electra; use --engine tfjs/,
  );
});

test("tfjs asked for: chosen without trying onnxruntime", async () => {
  const choice = await load({ engine: "tfjs", backend: "wasm" });
  assert.deepEqual(choice.tried, [{ name: "tfjs", result: "chosen" }]);
  assert.equal(choice.description, "tfjs (wasm)");
});

test(
  "default: onnxruntime when it loads; tfjs when the tfjs backend is a GPU one",
  { skip: noRuntime || engineSet },
  async () => {
    const choice = await load({ backend: "wasm", threads: 1 });
    assert.deepEqual(choice.tried, [{ name: "onnxruntime", result: "chosen" }]);
    assert.equal(choice.description, "onnxruntime (cpu, 1 thread)");
    const gpu = await load({ backend: "webgpu" });
    assert.equal(gpu.name, "tfjs");
    assert.deepEqual(gpu.tried[0], { name: "onnxruntime", result: "not tried: tfjs runs on a GPU here (webgpu)" });
  },
);

test("executionProviders: the one asked for alone; else CUDA first when its library is installed; else the CPU", () => {
  const folder = mkdtempSync(path.join(tmpdir(), "ort-bin-"));
  try {
    assert.deepEqual(executionProviders(undefined, folder), { providers: ["cpu"], asked: false });
    assert.deepEqual(executionProviders(undefined, undefined), { providers: ["cpu"], asked: false });
    writeFileSync(path.join(folder, "libonnxruntime_providers_cuda.so"), "");
    assert.deepEqual(executionProviders(undefined, folder), { providers: ["cuda", "cpu"], asked: false });
    assert.deepEqual(executionProviders(" webgpu ", folder), { providers: ["webgpu"], asked: true });
    assert.throws(
      () => executionProviders("tensorrt", folder),
      /Unknown SHIFTLAB_ORT_PROVIDER "tensorrt"; valid names: cpu, cuda, webgpu/,
    );
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test("a misspelt SHIFTLAB_ORT_PROVIDER fails loudly instead of falling back to tfjs", { skip: engineSet }, async () => {
  const before = process.env.SHIFTLAB_ORT_PROVIDER;
  process.env.SHIFTLAB_ORT_PROVIDER = "gpu";
  try {
    await assert.rejects(
      loadStatesEngine(config, await openCheckpoint(dir), { backend: "wasm" }),
      /Unknown SHIFTLAB_ORT_PROVIDER "gpu"/,
    );
  } finally {
    if (before === undefined) delete process.env.SHIFTLAB_ORT_PROVIDER;
    else process.env.SHIFTLAB_ORT_PROVIDER = before;
  }
});
