import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadModel } from "../embedding/load_model";
import type { BeirDataset } from "../retrieval/beir_dataset";
import { cachedLayerSets, canEmbedLayerSets, layerSetKey } from "../retrieval/layer_pooling_cache";
import {
  ablationLayers,
  ablationPostprocessing,
  isotropyAssociations,
  runAblation,
  type AblationRow,
} from "./pooling_ablation";

test("ablationLayers: last, middle, mean of the last four (fewer layers: all of them)", () => {
  assert.deepEqual(
    ablationLayers(12).map((l) => l.layers),
    [[12], [6], [9, 10, 11, 12]],
  );
  assert.deepEqual(
    ablationLayers(4).map((l) => l.layers),
    [[4], [2], [1, 2, 3, 4]],
  );
  assert.deepEqual(
    ablationLayers(2).map((l) => l.layers),
    [[2], [1], [1, 2]],
  );
  assert.deepEqual(
    ablationPostprocessing(256).map((s) => s.kind),
    ["none", "center", "whiten", "remove-top"],
  );
});

test("runAblation: a toy collection where each query's document is its nearest; one row per mode × layer × post-processing", () => {
  const docs = { rows: 4, cols: 3, data: Float32Array.from([1, 0.1, 0, 0, 1, 0.1, 0.1, 0, 1, 1, 1, 0.2]) };
  const dataset: BeirDataset = {
    name: "toy",
    dir: "",
    split: "test",
    corpus: ["d0", "d1", "d2", "d3"].map((id) => ({ id, title: "", text: id })),
    queries: [
      { id: "q0", text: "q0" },
      { id: "q1", text: "q1" },
    ],
    qrels: new Map([
      ["q0", new Map([["d0", 1]])],
      ["q1", new Map([["d1", 1]])],
    ]),
  };
  const key = layerSetKey("mean", [1]);
  const vectors = {
    documents: new Map([[key, docs]]),
    queries: new Map([[key, { rows: 2, cols: 3, data: Float32Array.from([1, 0.1, 0, 0, 1, 0.1]) }]]),
  };
  const rows = runAblation(dataset, vectors, ["mean"], [{ name: "only", layers: [1] }]);
  assert.equal(rows.length, 4);
  assert.equal(rows[0].ndcg_at_10, 1);
  assert.ok(rows.every((r) => r.mpd > 0 && r.isoScore >= 0 && r.isoScore <= 1 && r.effectiveRank >= 1));
});

test("isotropyAssociations: Spearman ρ over all settings and within each post-processing", () => {
  const row = (postprocess: string, isoScore: number, ndcg: number): AblationRow => ({
    pooling: "mean",
    layer: "last",
    postprocess,
    mpd: isoScore,
    isoScore,
    effectiveRank: 1,
    ndcg_at_10: ndcg,
    recall_at_10: 0,
  });
  const rows = [row("none", 0.1, 0.2), row("none", 0.2, 0.3), row("whiten", 0.8, 0.1), row("whiten", 0.9, 0.05)];
  const [all, none, whiten] = isotropyAssociations(rows);
  assert.equal(all.group, "all");
  assert.equal(none.rhoIsoScore, 1);
  assert.equal(whiten.rhoIsoScore, -1);
  assert.ok(all.rhoIsoScore < 0);
});

test("embedLayerSets (mini encoder): equals embed() per mode and layer; the mean of layers pools averaged states; cached", async () => {
  const model = await loadModel();
  assert.ok(canEmbedLayerSets(model));
  const texts = [
    "Pooling dilutes meaning.",
    "A longer text about retrieval and anisotropy of sentence embeddings.",
    "",
  ];
  const sets = [[4], [2], [1, 2, 3, 4]];
  const dir = mkdtempSync(path.join(tmpdir(), "layer-pooling-"));
  const all = await cachedLayerSets(model, texts, sets, ["mean", "max", "cls"], { cacheDir: dir });
  const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  for (const mode of ["mean", "max", "cls"] as const) {
    for (const layer of [4, 2]) {
      const expected = await model.embed(texts, { pooling: mode, layer, normalize: false });
      assert.ok(maxDiff(all.get(layerSetKey(mode, [layer]))!.data, expected.data) < 1e-4, `${mode}@${layer}`);
    }
  }
  // mean pooling is linear: pooling the averaged states = averaging the pooled layers
  const perLayer = await Promise.all(
    [1, 2, 3, 4].map((layer) => model.embed(texts, { pooling: "mean", layer, normalize: false })),
  );
  const averaged = perLayer[0].data.map((_, i) => perLayer.reduce((s, m) => s + m.data[i], 0) / 4);
  assert.ok(maxDiff(all.get(layerSetKey("mean", [1, 2, 3, 4]))!.data, averaged) < 1e-4);
  const again = await cachedLayerSets(
    {
      info: model.info,
      embedLayerSets: async () => {
        throw new Error("should read the cache");
      },
    },
    texts,
    sets,
    ["mean", "max", "cls"],
    { cacheDir: dir },
  );
  assert.deepEqual(again.get("max@2")!.data, all.get("max@2")!.data);
  model.dispose();
});
