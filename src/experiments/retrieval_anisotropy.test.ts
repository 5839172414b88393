import { test } from "node:test";
import assert from "node:assert/strict";
import type { BeirDataset } from "../retrieval/beir_dataset";
import {
  buildExtendedCollections,
  olsSlope,
  sourceSlopes,
  type SourceLevel,
  type SourceMeasurement,
} from "./retrieval_anisotropy";

const doc = (id: string, n: number) => ({
  id,
  title: `T${id}`,
  text: Array.from({ length: n }, (_, j) => `Doc ${id} line ${j}.`).join(" "),
});
const dataset: BeirDataset = {
  name: "toy",
  dir: "",
  split: "test",
  corpus: [doc("a", 5), doc("b", 2)],
  queries: [{ id: "q", text: "q" }],
  qrels: new Map([["q", new Map([["a", 1]])]]),
};
const donors = [doc("a", 5), doc("x", 3), doc("y", 3)];

test("buildExtendedCollections: base, unrelated donors' sentences, own next sentences wrapping round; levels nested", () => {
  const c = buildExtendedCollections(dataset, donors, { baseSentences: 3, levels: [1, 3], seed: 5 });
  assert.equal(c.base.corpus[0].text, "Ta Doc a line 0. Doc a line 1. Doc a line 2.");
  assert.equal(c.base.corpus[1].text, "Tb Doc b line 0. Doc b line 1.");
  // own continuation: a has sentences 3, 4 then wraps to 0; b (2 sentences) wraps from sentence (3 mod 2) = 1
  assert.equal(c.coherent[1].corpus[0].text, `${c.base.corpus[0].text} Doc a line 3. Doc a line 4. Doc a line 0.`);
  assert.equal(c.coherent[0].corpus[1].text, `${c.base.corpus[1].text} Doc b line 1.`);
  for (let i = 0; i < 2; i++) {
    const added = c.shift[1].corpus[i].text.slice(c.base.corpus[i].text.length + 1);
    // a is relevant to a query, so it never lends sentences; donors x and y do
    assert.match(added, /^(Doc [xy] line \d\.( |$)){3}$/);
    assert.ok(c.shift[1].corpus[i].text.startsWith(c.shift[0].corpus[i].text));
  }
  assert.deepEqual(c.shift[0].qrels, dataset.qrels);
});

test("olsSlope: exact on a line; NaN when x does not vary", () => {
  assert.ok(Math.abs(olsSlope([0, 1, 2], [1, 3, 5]) - 2) < 1e-12);
  assert.ok(Number.isNaN(olsSlope([1, 1], [0, 1])));
});

test("sourceSlopes: quality falling with MPD gives a positive slope and a negative change, with intervals around them", () => {
  const level = (source: SourceLevel["source"], mpd: number, q: number[]): SourceLevel => ({
    source,
    level: 0,
    label: source,
    mpd,
    meanTokens: 0,
    perQuery: { ndcg_at_10: q, recall_at_10: q },
  });
  const base = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
  const m: SourceMeasurement = {
    levels: [
      level("base", 0.6, base),
      level(
        "semantic shift",
        0.5,
        base.map((v) => v - 0.1),
      ),
      level(
        "semantic shift",
        0.4,
        base.map((v, i) => v - 0.2 + (i % 2 ? 0.01 : -0.01)),
      ),
      level("coherent length", 0.55, base),
      level("common direction", 0.4, base),
    ],
    centring: [],
    matchingErrors: [],
  };
  const slopes = sourceSlopes(m, { seed: 1, resamples: 200 });
  const shift = slopes.find((s) => s.source === "semantic shift" && s.metric === "ndcg_at_10")!;
  assert.ok(Math.abs(shift.slope.estimate - 1) < 1e-9);
  assert.ok(shift.slope.lower > 0.8 && shift.slope.upper < 1.2);
  assert.ok(Math.abs(shift.change.estimate + 0.2) < 1e-9);
  const direction = slopes.find((s) => s.source === "common direction" && s.metric === "recall_at_10")!;
  assert.equal(direction.slope.estimate, 0);
  assert.equal(direction.mpdTop, 0.4);
});
