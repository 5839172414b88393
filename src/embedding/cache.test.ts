import { after, test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Matrix } from "../matrix";
import type { EmbedOptions, EmbeddingModel, ModelInfo, TokenStates, TruncationNote } from "./model";
import { loadStaticWordModel } from "../encoders/static_word_model";
import {
  cachedEmbed,
  clearEmbeddingCache,
  modelCacheFolder,
  resolveEmbedSettings,
  settingsCacheFolder,
  withEmbeddingCache,
} from "./cache";

/** A deterministic fake encoder that records which texts it had to embed. Texts longer than 20 chars are "truncated". */
class CountingModel implements EmbeddingModel {
  readonly computed: string[][] = [];
  lastTruncations: TruncationNote[] = [];
  readonly info: ModelInfo;

  constructor(name = "fake-encoder") {
    this.info = {
      name,
      source: "/nowhere/" + name,
      architecture: "Fake",
      modelType: "fake",
      hiddenSize: 5,
      numLayers: 4,
      maxLength: 512,
      defaultPooling: "mean",
      normalize: false,
      backend: "test",
    };
  }

  async embed(texts: string[], options: EmbedOptions = {}): Promise<Matrix> {
    this.computed.push(texts);
    const { pooling, normalize, layer } = resolveEmbedSettings(this.info, options);
    const data = new Float32Array(texts.length * 5);
    texts.forEach((t, i) => {
      for (let j = 0; j < 5; j++) {
        // irrational-looking values so that any float64 round trip or byte mix-up would show
        data[i * 5 + j] =
          Math.sin(t.length * 1.37 + j * 0.71 + layer * 3.1 + pooling.length) / (normalize ? 2.3 : 1) +
          t.charCodeAt(0) / 97;
      }
    });
    this.lastTruncations = texts.flatMap((t, index) =>
      t.length > 20 ? [{ index, originalLength: t.length, keptLength: 20 }] : [],
    );
    return { rows: texts.length, cols: 5, data };
  }

  async tokenStates(text: string): Promise<TokenStates> {
    return { text, tokens: [], ids: [], states: { rows: 0, cols: 5, data: new Float32Array(0) }, truncated: false };
  }

  countTokens(texts: string[]): number[] {
    return texts.map((t) => t.length);
  }

  dispose(): void {}
}

const tempDirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "embedding-cache-"));
  tempDirs.push(dir);
  return dir;
};
after(() => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test("cached rows are bit-identical to fresh ones, and a second call computes nothing", async () => {
  const model = new CountingModel();
  const cacheDir = freshDir();
  const texts = ["alpha", "beta gamma", "δέλτα — unicode", ""];
  const fresh = await new CountingModel().embed(texts);
  const first = await cachedEmbed(model, texts, {}, { cacheDir });
  const second = await cachedEmbed(model, texts, {}, { cacheDir });
  assert.deepEqual(Buffer.from(first.data.buffer), Buffer.from(fresh.data.buffer));
  assert.deepEqual(Buffer.from(second.data.buffer), Buffer.from(fresh.data.buffer));
  assert.deepEqual([second.rows, second.cols], [4, 5]);
  assert.deepEqual(model.computed, [texts]);
  const folder = settingsCacheFolder(model.info, resolveEmbedSettings(model.info), cacheDir);
  assert.ok(folder.endsWith("mean-raw-layer4"), folder);
  assert.equal(readFileSync(join(folder, "vectors.f32")).length, 4 * 5 * 4);
  assert.equal(readFileSync(join(folder, "index.tsv"), "utf8").trim().split("\n").length, 4);
});

test("a partial hit computes only the new texts, each distinct text once", async () => {
  const model = new CountingModel();
  const cacheDir = freshDir();
  await cachedEmbed(model, ["a", "b", "c"], {}, { cacheDir });
  const mixed = await cachedEmbed(model, ["b", "d", "a", "e", "d"], {}, { cacheDir });
  assert.deepEqual(model.computed, [
    ["a", "b", "c"],
    ["d", "e"],
  ]);
  const expected = await new CountingModel().embed(["b", "d", "a", "e", "d"]);
  assert.deepEqual(mixed.data, expected.data);
});

test("pooling, normalisation and layer get their own entries; equivalent layers share one", async () => {
  const model = new CountingModel();
  const cacheDir = freshDir();
  const texts = ["one", "two"];
  await cachedEmbed(model, texts, {}, { cacheDir });
  await cachedEmbed(model, texts, { layer: -1 }, { cacheDir }); // = layer 4 = default
  await cachedEmbed(model, texts, { layer: 4, pooling: "mean", normalize: false }, { cacheDir });
  assert.equal(model.computed.length, 1);
  const cls = await cachedEmbed(model, texts, { pooling: "cls" }, { cacheDir });
  const layer2 = await cachedEmbed(model, texts, { layer: 2 }, { cacheDir });
  const normed = await cachedEmbed(model, texts, { normalize: true }, { cacheDir });
  assert.equal(model.computed.length, 4);
  assert.notDeepEqual(cls.data, layer2.data);
  assert.deepEqual(layer2.data, (await new CountingModel().embed(texts, { layer: 2 })).data);
  assert.deepEqual(normed.data, (await new CountingModel().embed(texts, { normalize: true })).data);
  assert.deepEqual(readdirSync(modelCacheFolder(model.info, cacheDir)).sort(), [
    "cls-raw-layer4",
    "mean-norm-layer4",
    "mean-raw-layer2",
    "mean-raw-layer4",
  ]);
  await cachedEmbed(new CountingModel("other-encoder"), texts, {}, { cacheDir });
  assert.equal(readdirSync(cacheDir).length, 2);
});

test("clearEmbeddingCache removes one model or everything", async () => {
  const model = new CountingModel();
  const other = new CountingModel("other-encoder");
  const cacheDir = freshDir();
  await cachedEmbed(model, ["x"], {}, { cacheDir });
  await cachedEmbed(other, ["x"], {}, { cacheDir });
  assert.deepEqual(clearEmbeddingCache({ model, cacheDir }), [modelCacheFolder(model.info, cacheDir)]);
  await cachedEmbed(model, ["x"], {}, { cacheDir });
  await cachedEmbed(other, ["x"], {}, { cacheDir });
  assert.equal(model.computed.length, 2);
  assert.equal(other.computed.length, 1);
  clearEmbeddingCache({ cacheDir });
  assert.ok(!existsSync(cacheDir));
  await cachedEmbed(other, ["x"], {}, { cacheDir });
  assert.equal(other.computed.length, 2);
});

test("withEmbeddingCache restores truncation notes from the cache; refresh recomputes", async () => {
  const inner = new CountingModel();
  const cacheDir = freshDir();
  const model = withEmbeddingCache(inner, { cacheDir });
  const long = "a text well over twenty characters";
  await model.embed(["short", long]);
  assert.deepEqual(model.lastTruncations, [{ index: 1, originalLength: long.length, keptLength: 20 }]);
  await model.embed([long, "short", long]);
  assert.equal(inner.computed.length, 1);
  assert.deepEqual(
    model.lastTruncations.map((t) => t.index),
    [0, 2],
  );
  assert.deepEqual(model.countTokens(["abc"]), [3]);
  assert.equal(model.info.name, "fake-encoder");
  await cachedEmbed(inner, ["short"], {}, { cacheDir, refresh: true });
  assert.deepEqual(inner.computed[1], ["short"]);
});

test("SHIFTLAB_NO_CACHE bypasses the cache, SHIFTLAB_CACHE_CLEAR empties a folder on first use", async () => {
  const model = new CountingModel();
  const cacheDir = freshDir();
  try {
    process.env.SHIFTLAB_NO_CACHE = "1";
    await cachedEmbed(model, ["p"], {}, { cacheDir });
    await cachedEmbed(model, ["p"], {}, { cacheDir });
    assert.equal(model.computed.length, 2);
    assert.deepEqual(readdirSync(cacheDir), []);
    delete process.env.SHIFTLAB_NO_CACHE;
    await cachedEmbed(model, ["p"], {}, { cacheDir });
    process.env.SHIFTLAB_CACHE_CLEAR = "1";
    await cachedEmbed(model, ["p"], {}, { cacheDir }); // first use in this process with CLEAR: recomputed
    await cachedEmbed(model, ["p"], {}, { cacheDir }); // cleared once only
    assert.equal(model.computed.length, 4);
  } finally {
    delete process.env.SHIFTLAB_NO_CACHE;
    delete process.env.SHIFTLAB_CACHE_CLEAR;
  }
});

test("a half-written index line from an interrupted run is ignored and repaired", async () => {
  const model = new CountingModel();
  const cacheDir = freshDir();
  await cachedEmbed(model, ["kept"], {}, { cacheDir });
  const folder = settingsCacheFolder(model.info, resolveEmbedSettings(model.info), cacheDir);
  appendFileSync(join(folder, "index.tsv"), "0123abc"); // no newline: the crash happened mid-line
  const fresh = new CountingModel(); // same identity, so the same folder; re-read because the index changed size
  const out = await cachedEmbed(fresh, ["kept", "new"], {}, { cacheDir });
  assert.deepEqual(fresh.computed, [["new"]]);
  assert.deepEqual(out.data, (await new CountingModel().embed(["kept", "new"])).data);
  assert.deepEqual(
    readFileSync(join(folder, "index.tsv"), "utf8")
      .split("\n")
      .map((l) => l.split("\t")[1]),
    ["0", "1", undefined],
  );
});

test("a real model (the GloVe baseline) round-trips through the cache bit for bit", async () => {
  const glove = await loadStaticWordModel();
  const cacheDir = freshDir();
  const texts = ["The king spoke to the queen.", "A computer in Paris.", ""];
  const fresh = await glove.embed(texts, { normalize: true });
  const cached = withEmbeddingCache(glove, { cacheDir });
  await cached.embed(texts, { normalize: true });
  const again = await cached.embed(texts, { normalize: true });
  assert.deepEqual(Buffer.from(again.data.buffer), Buffer.from(fresh.data.buffer));
  assert.ok(readdirSync(modelCacheFolder(glove.info, cacheDir)).includes("mean-norm-layer0"));
});

test("a prompt gets its own cache folder; rows wider than the hidden size (Dense) come back as computed", async () => {
  const { loadModel } = await import("./load_model");
  const fixture = join(__dirname, "..", "encoders", "testdata", "sentence-modules");
  const model = await loadModel(fixture);
  const dir = mkdtempSync(join(tmpdir(), "shiftlab-cache-prompt-"));
  try {
    const cached = withEmbeddingCache(model, { cacheDir: dir });
    const texts = ["pooling dilutes meaning", "a second text"];
    for (const prompt of [undefined, "query", "", "passage"]) {
      const options = prompt === undefined ? {} : { prompt: prompt };
      const direct = await model.embed(texts, options);
      const first = await cached.embed(texts, options);
      const again = await cached.embed(texts, options); // from disk
      assert.deepEqual([first.cols, again.cols], [direct.cols, direct.cols]);
      assert.deepEqual(Array.from(again.data), Array.from(direct.data), `prompt ${prompt}`);
    }
    const folders = readdirSync(readdirSync(dir).map((d) => join(dir, d))[0]);
    assert.equal(folders.length, 4, folders.join(", "));
  } finally {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
