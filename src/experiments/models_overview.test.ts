import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { FIXTURES_DIR, measureModelOverview, overviewModels, theorem1Held } from "./models_overview";
import type { Document } from "../text/corpora";

const WORDS = [
  "pooling",
  "dilutes",
  "meaning",
  "vectors",
  "collapse",
  "toward",
  "the",
  "mean",
  "sentences",
  "drift",
  "a",
  "text",
  "keeps",
];
/** Documents of short sentences from a fixed word list (the fixtures' tokenizers know these words). */
function documents(count: number): Document[] {
  return Array.from({ length: count }, (_, d) => ({
    id: `doc${d}`,
    source: "synthetic",
    text: Array.from({ length: 8 }, (_, s) => {
      const words = Array.from(
        { length: 5 + ((d + s) % 4) },
        (_, w) => WORDS[(d * 7 + s * 3 + w * (d + 1)) % WORDS.length],
      );
      return `${words.join(" ")[0].toUpperCase()}${words.join(" ").slice(1)}.`;
    }).join(" "),
  }));
}

test("overviewModels: every fixture folder, then the assets' encoders, then SHIFTLAB_MODELS, then GloVe", () => {
  const models = overviewModels({ SHIFTLAB_MODELS: "/m/e5-small-v2/, BAAI/bge-small-en-v1.5" }, [
    "shiftlab-mini-encoder",
  ]);
  const fixtures = models.filter((m) => m.origin === "tiny random fixture").map((m) => path.basename(m.ref));
  assert.deepEqual(fixtures, ["bert", "mpnet", "qwen3", "roberta", "sentence-modules", "xlm-roberta"]);
  assert.deepEqual(
    models.filter((m) => m.origin !== "tiny random fixture").map((m) => [m.label, m.origin]),
    [
      ["shiftlab-mini-encoder", "trained (shared assets)"],
      ["e5-small-v2", "SHIFTLAB_MODELS"],
      ["bge-small-en-v1.5", "SHIFTLAB_MODELS"],
      ["GloVe average (static)", "static baseline"],
    ],
  );
});

test("measureModelOverview: a fixture loads, passes parity, and gets throughput, MPD and ρ with its CI", async () => {
  const row = await measureModelOverview(
    { label: "fixture: bert", ref: path.join(FIXTURES_DIR, "bert"), origin: "tiny random fixture" },
    documents(12),
    {
      texts: 10,
      sentencesPerWindow: [3, 5],
      seed: 7,
      resamples: 200,
    },
  );
  assert.equal(row.loads, "yes");
  assert.equal(row.parity, "passed");
  assert.ok((row.parityMaxAbsDiff as number) < 1e-4);
  assert.equal(row.texts, 10);
  assert.ok((row.tokensPerSecond as number) > 0);
  assert.ok((row.plainMpd as number) > 0 && (row.plainMpd as number) < 2);
  assert.ok((row.rhoLower as number) <= (row.rho as number) && (row.rho as number) <= (row.rhoUpper as number));
  assert.equal(row.modules, "Pooling(mean) → Normalize");
  assert.equal(theorem1Held(row), (row.rhoLower as number) > 0);
});

test("measureModelOverview: a model that does not load gives a row saying why", async () => {
  const row = await measureModelOverview(
    { label: "missing", ref: path.join(FIXTURES_DIR, "no-such-model"), origin: "SHIFTLAB_MODELS" },
    [],
    { texts: 1, sentencesPerWindow: [1, 1], seed: 1, resamples: 10 },
  );
  assert.match(row.loads, /^no: /);
  assert.equal(row.rho, null);
  assert.equal(theorem1Held(row), false);
});
