import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModel } from "./load_model";
import { modelCacheFolder, withEmbeddingCache } from "./cache";

const cacheDir = mkdtempSync(join(tmpdir(), "embedding-cache-mini-"));
after(() => rmSync(cacheDir, { recursive: true, force: true }));

test("the real mini encoder: cached rows are bit-identical to a fresh embed, and the second call computes nothing", async () => {
  const model = await loadModel("shiftlab-mini-encoder");
  try {
    const texts = [
      "Pooling dilutes meaning.",
      "Mean pooling of many unrelated sentences drifts towards the corpus mean, whatever the text is about.",
      "Pooling dilutes meaning.", // a duplicate: computed once, returned twice
      "",
    ];
    const fresh = await model.embed(texts);
    let computed = 0;
    const counting = Object.create(model, {
      embed: {
        value: async (batch: string[], options?: object) => ((computed += batch.length), model.embed(batch, options)),
      },
    });
    const cached = withEmbeddingCache(counting, { cacheDir });
    const first = await cached.embed(texts);
    const second = await cached.embed(texts);
    assert.equal(computed, 3);
    assert.deepEqual([second.rows, second.cols], [4, 256]);
    assert.deepEqual(
      Buffer.from(first.data.buffer, first.data.byteOffset, first.data.byteLength),
      Buffer.from(fresh.data.buffer, fresh.data.byteOffset, fresh.data.byteLength),
    );
    assert.deepEqual(
      Buffer.from(second.data.buffer, second.data.byteOffset, second.data.byteLength),
      Buffer.from(fresh.data.buffer, fresh.data.byteOffset, fresh.data.byteLength),
    );
    // the model's own settings (mean pooling, L2-normalised, last of 4 layers) name the cache folder
    assert.deepEqual(readdirSync(modelCacheFolder(model.info, cacheDir)), ["mean-norm-layer4"]);
  } finally {
    model.dispose();
  }
});
