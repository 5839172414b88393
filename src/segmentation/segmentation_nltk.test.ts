import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fromBoundaryString, toBoundaryString } from "./boundaries";
import { pk, windowDiff } from "./metrics";

interface NltkCase {
  ref: string;
  hyp: string;
  k: number;
  pk: number;
  windowdiff: number;
  windowdiffWeighted: number;
  nltkDefaultK?: number;
  pkNltkDefaultK?: number;
}

// Written by scripts/fixtures/nltk_segmentation.py (NLTK's nltk.metrics.segmentation on seeded random segmentations).
const fixture = JSON.parse(readFileSync(join(__dirname, "testdata", "nltk_segmentation.json"), "utf8")) as {
  cases: NltkCase[];
};

test("Pk and WindowDiff equal NLTK's pk and windowdiff on random segmentations", () => {
  assert.ok(fixture.cases.length >= 100);
  let worst = 0;
  let withDefaultK = 0;
  for (const c of fixture.cases) {
    const ref = fromBoundaryString(c.ref);
    const hyp = fromBoundaryString(c.hyp);
    assert.equal(toBoundaryString(ref.n, ref.boundaries), c.ref);
    const ours = [
      [pk(ref.n, ref.boundaries, hyp.boundaries, { k: c.k }), c.pk],
      [windowDiff(ref.n, ref.boundaries, hyp.boundaries, { k: c.k }), c.windowdiff],
      [windowDiff(ref.n, ref.boundaries, hyp.boundaries, { k: c.k, weighted: true }), c.windowdiffWeighted],
    ];
    if (c.nltkDefaultK !== undefined && c.pkNltkDefaultK !== undefined) {
      withDefaultK++;
      ours.push([pk(ref.n, ref.boundaries, hyp.boundaries, { k: c.nltkDefaultK }), c.pkNltkDefaultK]);
    }
    for (const [mine, nltk] of ours) worst = Math.max(worst, Math.abs(mine - nltk));
  }
  assert.ok(withDefaultK > 20, `${withDefaultK} cases with NLTK's default k`);
  assert.ok(worst < 1e-12, `max |ours − NLTK| = ${worst}`);
});
