/**
 * The worker-pool model (two worker threads, each with the whole model) against the same model in this thread: same rows in
 * the same order, truncation notes at the caller's indices, progress up to the total, layer sets and token states.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadModel } from "./load_model";
import { loadWorkerPoolModel, useWorkerPool } from "./worker_pool_model";
import { maxAbsDiff } from "../testing/compare";
import { loadOnnxRuntime } from "../encoders/onnx/runtime";

const words = ["pooling", "shift", "the", "model", "sentences", "collapse", "mean", "vector", "a", "of"];
/** 40 texts of 1 to 60 words, and one far beyond 512 word pieces (index 17) */
const texts = Array.from({ length: 40 }, (_, i) =>
  Array.from({ length: i === 17 ? 700 : 1 + ((i * 37) % 60) }, (_, j) => words[(i + j * 3) % words.length]).join(" "),
);

test("worker pool: two workers give the single-thread model's rows, in input order", async () => {
  const single = await loadModel(undefined, { backend: "wasm", engine: "tfjs" });
  const pool = await loadWorkerPoolModel(undefined, { threads: 2 });
  try {
    assert.match(pool.info.backend, /× 2 worker threads$/);
    assert.deepEqual(pool.countTokens(texts), single.countTokens(texts));
    const progress: number[] = [];
    const expected = await single.embed(texts, { batchSize: 8 });
    const actual = await pool.embed(texts, { batchSize: 8, onProgress: (done, total) => progress.push(done / total) });
    assert.equal(actual.rows, texts.length);
    assert.ok(maxAbsDiff(actual.data, expected.data) < 1e-5, `max abs diff ${maxAbsDiff(actual.data, expected.data)}`);
    assert.equal(progress.at(-1), 1);
    // the one long text is reported at its own index, as the single model reports it
    assert.deepEqual(pool.lastTruncations, single.lastTruncations);
    assert.deepEqual(
      pool.lastTruncations.map((t) => t.index),
      [17],
    );

    const options = { pooling: "cls" as const, layer: 2, attentionTemperature: 2 };
    const cls = await pool.embed(texts.slice(0, 20), options);
    assert.ok(maxAbsDiff(cls.data, (await single.embed(texts.slice(0, 20), options)).data) < 1e-5);

    const states = await pool.tokenStates("pooling shift", { layer: 1 });
    const reference = await single.tokenStates("pooling shift", { layer: 1 });
    assert.deepEqual(states.tokens, reference.tokens);
    assert.ok(maxAbsDiff(states.states.data, reference.states.data) < 1e-5);
  } finally {
    pool.dispose();
    single.dispose();
  }
  assert.throws(() => pool.countTokens(["x"]), /disposed/);
});

test("worker pool: a model that cannot load names it", async () => {
  await assert.rejects(loadWorkerPoolModel("/nonexistent/model-folder", { threads: 2 }), /nonexistent\/model-folder/);
});

test("useWorkerPool: tfjs on wasm with more than one thread, asked for or because onnxruntime cannot run the model", async () => {
  assert.equal(await useWorkerPool("bert", "wasm", { engine: "tfjs", threads: 2 }), true);
  assert.equal(await useWorkerPool("bert", "wasm", { engine: "tfjs", threads: 1 }), false);
  assert.equal(await useWorkerPool("bert", "webgpu", { engine: "tfjs", threads: 4 }), false);
  assert.equal(await useWorkerPool("bert", "wasm", { engine: "onnxruntime", threads: 2 }), false);
  // the default engine is onnxruntime when it is installed and has a graph for the architecture
  assert.equal(await useWorkerPool("bert", "wasm", { threads: 2 }), loadOnnxRuntime().module === undefined);
  assert.equal(await useWorkerPool("some-new-architecture", "wasm", { threads: 2 }), true);
});
