import { test } from "node:test";
import assert from "node:assert/strict";
import type { EmbeddingModel } from "../embedding/model";
import { matrixFromRows } from "../matrix";
import {
  bestChunkRanks,
  chunkedRetrieval,
  chunkTexts,
  ONE_VECTOR,
  pairedRecallDifference,
  pooledChunkVectors,
  recallByBin,
  type QueryRank,
} from "./chunked_retrieval";
import { holdOutQueries, type LongDocument } from "./long_documents";

test("chunk texts and pooled chunk vectors follow the boundaries", () => {
  assert.deepEqual(chunkTexts(["A b.", "C d.", "E f."], [2]), ["A b. C d.", "E f."]);
  const pooled = pooledChunkVectors(
    matrixFromRows([
      [2, 0],
      [0, 3],
      [0, 1],
    ]),
    [1],
  );
  assert.deepEqual(Array.from(pooled.data), [1, 0, 0, 1]); // unit rows first, then the mean
});

test("a document scores its best chunk; ties count against the query", () => {
  // documents 0 (chunks 0, 1) and 1 (chunk 2); query 0 is nearest chunk 1, query 1 ties chunk 0 with chunk 2
  const chunks = matrixFromRows([
    [1, 0],
    [0, 1],
    [1, 0],
  ]);
  const queries = matrixFromRows([
    [0.1, 1],
    [1, 0],
  ]);
  assert.deepEqual(bestChunkRanks(queries, chunks, [0, 0, 1], [0, 1], 2), [1, 2]);
});

test("held-out queries leave their documents, away from the ends", () => {
  const sentences = Array.from(
    { length: 12 },
    (_, i) => `This is sentence number ${i} of the long test document here.`,
  );
  const docs: LongDocument[] = [{ id: "a", source: "wikitext", sentences }];
  const [held] = holdOutQueries(docs, { seed: 3, queriesPerDocument: 2 });
  assert.equal(held.sentences.length, 10);
  assert.equal(held.queries.length, 2);
  for (const [q, at] of held.queries.map((q, i) => [q, held.heldOutAt[i]] as const)) {
    assert.ok(at > 0 && at < 11);
    assert.ok(!held.sentences.includes(q));
    assert.equal(q, sentences[at]);
  }
  assert.deepEqual(holdOutQueries(docs, { seed: 3, queriesPerDocument: 2 }), [held]);
});

/** Bag-of-letters vectors: a text's vector counts its letters a–z, so texts about the same letters are close. */
const letterModel = {
  embed: async (texts: string[]) =>
    matrixFromRows(
      texts.map((t) =>
        Array.from(
          { length: 26 },
          (_, c) => [...t.toLowerCase()].filter((ch) => ch.charCodeAt(0) - 97 === c).length + 1e-3,
        ),
      ),
    ),
} as unknown as EmbeddingModel;

test("chunked retrieval: every unit ranks every query, chunks cover their documents, sizes near the target", async () => {
  // two topics per document (letters a/b, then c/d …), 8 sentences each; the query comes from the second topic
  const topic = (letters: string, i: number) => `${letters.repeat(3 + (i % 3))} ${letters} ${i} ${letters}.`;
  const docs: LongDocument[] = ["ab", "cd", "ef", "gh"].map((first, d) => ({
    id: `doc${d}`,
    source: "wikitext",
    sentences: [
      ...Array.from({ length: 8 }, (_, i) => topic(first, i)),
      ...Array.from({ length: 8 }, (_, i) => topic(["xy", "uv", "pq", "st"][d], i)),
    ],
  }));
  const held = holdOutQueries(docs, { seed: 1, minWords: 3 });
  for (const vectors of ["pooled", "encoded"] as const) {
    const result = await chunkedRetrieval(letterModel, held, {
      methods: ["fixed", "shift", "semantic"],
      targetSize: 5,
      vectors,
    });
    assert.equal(result.ranks.length, 4 * 4);
    assert.ok(
      result.ranks.filter((r) => r.unit !== ONE_VECTOR).every((r) => r.rank === 1),
      vectors,
    );
    for (const c of result.chunkings)
      assert.equal(c.chunkTexts.join(" "), held.find((d) => d.id === c.document)!.sentences.join(" "));
    // 15 sentences: fixed chunks of 5 exactly; the toy's tied distances let the others come only near
    assert.ok(
      result.chunkings.every((c) =>
        c.method === "fixed" ? c.meanChunkSentences === 5 : Math.abs(c.meanChunkSentences - 5) <= 2,
      ),
    );
  }
});

test("recall by bin and paired recall differences resample documents", () => {
  const ranks: QueryRank[] = [];
  for (let d = 0; d < 6; d++) {
    for (const [unit, rank] of [
      ["shift", d < 3 ? 1 : 20],
      ["fixed", 20],
    ] as const)
      ranks.push({ document: `d${d}`, source: "x", sentences: 10 + d, shift: d, unit, query: "q", rank });
  }
  const bins = recallByBin(ranks, "sentences", 10, 3).filter((b) => b.unit === "shift");
  assert.deepEqual(
    bins.map((b) => [b.documents, b.recall]),
    [
      [2, 1],
      [2, 0.5],
      [2, 0],
    ],
  );
  // equal values still split into equal-count bins
  const tied = recallByBin(
    ranks.map((r) => ({ ...r, sentences: 50 })),
    "sentences",
    10,
    3,
  ).filter((b) => b.unit === "shift");
  assert.deepEqual(
    tied.map((b) => [b.documents, b.range]),
    [
      [2, "50–50"],
      [2, "50–50"],
      [2, "50–50"],
    ],
  );
  const difference = pairedRecallDifference(ranks, "shift", "fixed", 10, { seed: 1, resamples: 200 });
  assert.equal(difference.estimate, 0.5);
  assert.ok(difference.lower >= 0 && difference.upper <= 1);
});
