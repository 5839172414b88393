import { test } from "node:test";
import assert from "node:assert/strict";
import { chunkerComparisonFigure, categoryBarPanels } from "../figures/segmentation_figures";
import type { BootstrapInterval } from "../metrics/stats";
import {
  anchorCheck,
  pairedClaim,
  PAPER_CHUNKER_TABLE,
  segmentationIdentities,
  sizeMisses,
} from "./shift_splitter_claims";
import { chunkerTableRows } from "./shift_splitter_tables";

const ci = (estimate: number, lower: number, upper: number): BootstrapInterval => ({
  estimate,
  lower,
  upper,
  confidence: 0.95,
  standardError: 0,
  resamples: 100,
});

test("a paired claim holds only when the whole interval is on the claimed side of 0", () => {
  assert.equal(pairedClaim("x", ci(0.1, 0.02, 0.2), "higher").held, true);
  assert.equal(pairedClaim("x", ci(0.1, -0.01, 0.2), "higher").held, false);
  assert.equal(pairedClaim("x", ci(-0.1, -0.2, -0.01), "lower").held, true);
  assert.equal(pairedClaim("x", ci(-0.1, -0.2, 0), "lower").held, false);
  assert.match(String(pairedClaim("x", ci(-0.1, -0.2, -0.01), "lower").measured), /-0\.100 \[-0\.200, -0\.010\]/);
  assert.equal(anchorCheck(0.5).held, true);
  assert.equal(anchorCheck(0.3).held, false);
});

test("identities: size misses, WindowDiff ≥ Pk, W = 1 cuts, reassembly and leaks", () => {
  assert.deepEqual(
    sizeMisses([
      { method: "a", meanChunkSentences: 5.5, targetSize: 5 },
      { method: "a", meanChunkSentences: 5, targetSize: 5 },
    ]),
    [{ method: "a", mean: 0.05, max: 0.1 }],
  );
  const row = {
    benchmark: "b",
    document: "d",
    method: "shift" as const,
    setting: "",
    sentences: 4,
    pk: 0.2,
    windowDiff: 0.3,
    precision: 1,
    recall: 1,
    f1: 1,
    targetSize: 2,
    meanChunkSentences: 2,
    chunkSizeVariance: 0,
    boundaries: [2],
  };
  const document = {
    id: "d",
    source: "wikitext" as const,
    sentences: ["A b c.", "D e f."],
    queries: ["G h i."],
    heldOutAt: [1],
  };
  const good = segmentationIdentities({
    matchedRows: [row],
    retrievalChunkings: [
      { document: "d", method: "fixed", boundaries: [1], meanChunkSentences: 1, chunkTexts: ["A b c.", "D e f."] },
    ],
    retrievalTarget: 1,
    retrievalDocuments: [document],
    windowOnePairs: [{ shift: [3], semantic: [3] }],
  });
  assert.ok(
    good.every((c) => c.held && c.kind === "identity"),
    JSON.stringify(good),
  );
  const bad = segmentationIdentities({
    matchedRows: [{ ...row, windowDiff: 0.1 }],
    retrievalChunkings: [
      { document: "d", method: "fixed", boundaries: [], meanChunkSentences: 2, chunkTexts: ["A b c. G h i."] },
    ],
    retrievalTarget: 1,
    retrievalDocuments: [document],
    windowOnePairs: [{ shift: [3], semantic: [4] }],
  });
  assert.ok(
    bad.every((c) => !c.held),
    JSON.stringify(bad),
  );
});

test("the chunker table ends with the paper's rows; the comparison figure draws bars and the paper's marks", () => {
  const scores = [
    {
      method: "shift" as const,
      documents: 2,
      pk: 0.3,
      windowDiff: 0.35,
      precision: 0.5,
      recall: 0.5,
      f1: 0.5,
      meanChunkSentences: 5,
      chunkSizeVariance: 2,
    },
  ];
  const rows = chunkerTableRows([{ benchmark: "toy", scores }]);
  assert.equal(rows.length, 1 + Object.keys(PAPER_CHUNKER_TABLE).length);
  assert.equal(rows[1].F1, PAPER_CHUNKER_TABLE.shift.f1);
  const figure = chunkerComparisonFigure("t", [{ benchmark: "toy", scores }], PAPER_CHUNKER_TABLE);
  const data = figure.data as { type: string }[];
  assert.equal(data.filter((d) => d.type === "bar").length, 3); // one chunker in three panels
  assert.equal(data.filter((d) => d.type === "scatter").length, 2 * 3); // the paper's three chunkers in the F1 and Pk panels
  assert.equal((categoryBarPanels("t", [], { yTitle: "y" }).data as object[]).length, 0);
});
