import { test } from "node:test";
import assert from "node:assert/strict";
import type { EmbeddingModel } from "../embedding/model";
import { meanPairwiseCosineDistance } from "../metrics/geometry";
import { loadStaticWordModel } from "../encoders/static_word_model";
import { constructCorpus, type CellSummary, type TextMeasurement } from "./length_vs_shift";
import { loadSentenceDocuments, plainPassages } from "./sentence_corpora";
import { assetTransformerModels } from "../assets/model_ref";
import {
  measureModelOnCorpora,
  modelByCorpus,
  paperPlainMpdFor,
  parseModelList,
  sweepModelSpecs,
  sweepRow,
} from "./sweep";

test("SHIFTLAB_MODELS is a comma-separated list; the default encoder comes first, then the assets' Transformers, GloVe last", () => {
  assert.deepEqual(parseModelList(" a, ,b ,a,"), ["a", "b"]);
  assert.deepEqual(parseModelList(undefined), []);
  assert.deepEqual(
    sweepModelSpecs({ SHIFTLAB_MODELS: "BAAI/bge-small-en-v1.5, /models/e5-large-v2/" }).map((s) => [
      s.label,
      s.kind,
      s.ref,
    ]),
    [
      ["shiftlab-mini-encoder", "encoder", "shiftlab-mini-encoder"],
      ["shiftlab-mini-cls", "encoder", "shiftlab-mini-cls"],
      ["shiftlab-mini-mlm", "encoder", "shiftlab-mini-mlm"],
      ["bge-small-en-v1.5", "encoder", "BAAI/bge-small-en-v1.5"],
      ["e5-large-v2", "encoder", "/models/e5-large-v2/"],
      ["GloVe average (static)", "static", "glove-twitter-25d-12k"],
    ],
  );
  assert.deepEqual(
    sweepModelSpecs({ SHIFTLAB_MODEL: "x", SHIFTLAB_MODELS: "x" }, []).map((s) => s.ref),
    ["x", "glove-twitter-25d-12k"],
  );
  assert.deepEqual(
    sweepModelSpecs({ SHIFTLAB_MODEL: "shiftlab-mini-mlm" }).map((s) => s.ref),
    ["shiftlab-mini-mlm", "shiftlab-mini-encoder", "shiftlab-mini-cls", "glove-twitter-25d-12k"],
  );
});

test("the assets' Transformers are every folder with a config and safetensors weights (GloVe and the vocabulary are not)", () => {
  assert.deepEqual(assetTransformerModels(), ["shiftlab-mini-encoder", "shiftlab-mini-cls", "shiftlab-mini-mlm"]);
  assert.deepEqual(assetTransformerModels("/nonexistent"), []);
});

test("the paper's plain-corpus MPD is matched by model name", () => {
  assert.deepEqual(paperPlainMpdFor("BAAI/bge-large-en-v1.5"), { model: "bge-large", mpd: 0.6 });
  assert.deepEqual(paperPlainMpdFor("intfloat/e5-large-v2"), { model: "e5-large", mpd: 0.2 });
  assert.deepEqual(paperPlainMpdFor("sentence-transformers/all-mpnet-base-v2"), { model: "all-mpnet", mpd: 0.8 });
  assert.equal(paperPlainMpdFor("shiftlab-mini-encoder"), undefined);
  assert.equal(paperPlainMpdFor("bge-small-en-v1.5"), undefined);
});

function cell(k: number, mode: CellSummary["mode"], mpd: number, overlapAt1: number): CellSummary {
  return {
    corpus: "c",
    mode,
    k,
    texts: 10,
    meanTokens: 20 * k,
    mpd,
    anisotropy: 1 - mpd,
    meanShift: 0,
    meanConcentration: 0,
    overlapAt1,
    recallAt5: 1,
    meanReciprocalRank: 1,
  };
}

test("sweepRow reports per-mode values at the largest complete k up to the wanted one", () => {
  const cells = [
    ...(["repeat", "sequential", "random"] as const).flatMap((m, i) => [
      cell(2, m, 0.5 - i * 0.1, 1),
      cell(4, m, 0.4 - i * 0.1, 1 - i * 0.2),
    ]),
    cell(8, "repeat", 0.6, 1), // k = 8 lacks the other modes
  ];
  const texts: TextMeasurement[] = Array.from({ length: 30 }, (_, i) => ({
    corpus: "c",
    mode: (["repeat", "sequential", "random"] as const)[i % 3],
    k: [2, 4][i % 2],
    seedId: `s${i}`,
    tokens: 40 + ((i * 7) % 11),
    shift: (i % 3) * 0.5 + ((i * 5) % 7) / 10,
    local: 0,
    dispersion: 0,
    concentration: (i % 3) * 0.2 + ((i * 3) % 5) / 50,
    rank: 1,
  }));
  const row = sweepRow("m", "c", cells, texts, 0.42, 8, { minTexts: 2 });
  assert.equal(row.compareK, 4);
  assert.deepEqual(
    [row.mpdRepeat, row.mpdSequential, row.mpdRandom].map((v) => +v.toFixed(6)),
    [0.4, 0.3, 0.2],
  );
  assert.deepEqual(
    [row.overlapRepeat, row.overlapSequential, row.overlapRandom].map((v) => +v.toFixed(6)),
    [1, 0.8, 0.6],
  );
  assert.equal(row.plainMpd, 0.42);
  assert.equal(row.texts, 30);
  assert.ok(row.rShift > 0.8, `${row.rShift}`);
  assert.equal(sweepRow("m", "c", cells, texts, 0.42, 2, { minTexts: 2 }).compareK, 2);
  const grid = modelByCorpus([row, { ...row, corpus: "d", rShift: 0.1 }, { ...row, model: "n" }], "rShift");
  assert.deepEqual(grid.models, ["m", "n"]);
  assert.deepEqual(grid.corpora, ["c", "d"]);
  assert.equal(grid.z[0][1], 0.1);
  assert.ok(Number.isNaN(grid.z[1][1]));
});

test("measureModelOnCorpora on real arXiv abstracts with the GloVe baseline: one embed call, plain MPD as measured directly", async () => {
  const glove = await loadStaticWordModel();
  let embedCalls = 0;
  const counting: EmbeddingModel = Object.create(glove, {
    embed: { value: (texts: string[], o?: object) => (embedCalls++, glove.embed(texts, o)) },
  });
  const documents = loadSentenceDocuments("arxiv", { limit: 40, seed: 5 });
  const construction = constructCorpus("arxiv", documents, {
    countTokens: (t) => glove.countTokens(t),
    ks: [1, 2, 4],
    maxTokens: 512,
    seeds: 6,
    seed: 1,
  });
  const passages = plainPassages(documents, { count: 12, seed: 2 });
  const result = await measureModelOnCorpora("glove", counting, [{ construction, passages }], {
    compareK: 8,
    inference: { minTexts: 2, resamples: 100 },
  });
  assert.equal(embedCalls, 1);
  assert.equal(result.rows.length, 1);
  const [row] = result.rows;
  assert.equal(row.model, "glove");
  assert.equal(row.compareK, 4);
  assert.equal(row.texts, 6 + 2 * 3 * 6);
  assert.ok(Math.abs(row.plainMpd - meanPairwiseCosineDistance(await glove.embed(passages))) < 1e-6, `${row.plainMpd}`);
  // a 25-d average of word vectors is very concentrated: plain MPD well below 0.5
  assert.ok(row.plainMpd > 0 && row.plainMpd < 0.3, `${row.plainMpd}`);
  assert.equal(row.overlapRepeat, 1); // a repeated sentence averages to the sentence itself
  assert.ok(result.cells.every((c) => c.model === "glove") && result.texts.every((t) => t.model === "glove"));
  // GloVe measures length in words
  const k1 = result.texts.find((t) => t.k === 1)!;
  assert.equal(k1.tokens, glove.countTokens([construction.seedSentences.get(k1.seedId)!])[0]);
});
