import { test } from "node:test";
import * as assert from "node:assert/strict";
import { sentenceBlocksByCorpus } from "./pooled_mpd_blocks";

test("sentenceBlocksByCorpus: blocks of blockSize consecutive sentences, disjoint, one line per corpus", () => {
  const countTokens = (texts: string[]) => texts.map((t) => t.split(/\s+/).length + 2);
  const { blocks, lines } = sentenceBlocksByCorpus(["brown", "wikitext"], {
    blockSize: 4,
    blocksPerCorpus: 6,
    seed: 3,
    countTokens: countTokens,
    maxTokens: 512,
  });
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^brown \(\d+ documents\): 6\/6 windows from \d+ documents .*→ 24 sentences$/);
  for (const name of ["brown", "wikitext"] as const) {
    const windows = blocks.get(name)!;
    assert.equal(windows.length, 6);
    for (const w of windows) assert.equal(w.sentences.length, 4);
    // disjoint: no two windows of one document start at the same sentence or overlap
    const starts = new Map<string, number[]>();
    for (const w of windows) {
      const start = Number(w.id.split("#").pop());
      const document = w.documentId ?? w.id;
      starts.set(document, [...(starts.get(document) ?? []), start]);
    }
    for (const list of starts.values()) {
      list.sort((a, b) => a - b);
      for (let i = 1; i < list.length; i++) assert.ok(list[i] - list[i - 1] >= 4);
    }
  }
  // the same seed gives the same blocks
  const again = sentenceBlocksByCorpus(["brown"], {
    blockSize: 4,
    blocksPerCorpus: 6,
    seed: 3,
    countTokens,
    maxTokens: 512,
  });
  assert.deepEqual(
    again.blocks.get("brown")!.map((w) => w.id),
    blocks.get("brown")!.map((w) => w.id),
  );
});
