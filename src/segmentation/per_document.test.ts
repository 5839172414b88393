import { test } from "node:test";
import assert from "node:assert/strict";
import { scoreChunkers } from "./benchmark";
import type { SegmentedDocument } from "./benchmarks";
import { meanScores, pairedDifference, scoreDocuments } from "./per_document";

const words = ["river", "bank", "money", "loan", "tree", "leaf", "storm", "rain", "music", "song", "chess", "board"];
/** Three topics of uneven length; each sentence repeats its topic's words, so TextTiling has something to find. */
function documents(): SegmentedDocument[] {
  return [
    [5, 9, 6],
    [7, 4, 8],
    [6, 6, 6],
  ].map((sizes, d) => {
    const sentences = sizes.flatMap((size, t) =>
      Array.from(
        { length: size },
        (_, i) =>
          `${words[(4 * t + d) % 12]} ${words[(4 * t + d + 1) % 12]} and ${words[(4 * t + d + 2) % 12]} number ${i} here.`,
      ),
    );
    return { id: `doc${d}`, sentences, boundaries: [sizes[0], sizes[0] + sizes[1]] };
  });
}

test("per-document rows average to scoreChunkers' means", async () => {
  const docs = documents();
  for (const target of ["reference", 4, undefined] as const) {
    const rows = scoreDocuments("toy", docs, ["fixed", "texttiling"], { target });
    assert.equal(rows.length, 6);
    assert.deepEqual(meanScores(rows), await scoreChunkers(undefined, docs, ["fixed", "texttiling"], { target }));
    for (const r of rows) assert.ok(r.windowDiff >= r.pk); // a window with different "any boundary" has a different count
  }
});

test("paired differences are means over the same documents, resampled by document", () => {
  const rows = scoreDocuments("toy", documents(), ["fixed", "texttiling"], { target: "reference" });
  const d = pairedDifference(rows, "texttiling", "fixed", "pk", { seed: 2, resamples: 300 });
  const pkOf = (m: string) => rows.filter((r) => r.method === m).map((r) => r.pk);
  const expected = pkOf("texttiling").reduce((s, v, i) => s + v - pkOf("fixed")[i], 0) / 3;
  assert.ok(Math.abs(d.estimate - expected) < 1e-12);
  assert.ok(d.lower <= d.estimate && d.estimate <= d.upper);
  assert.throws(() => pairedDifference(rows.slice(1), "texttiling", "fixed", "pk", { seed: 1 }), /same documents/);
});
