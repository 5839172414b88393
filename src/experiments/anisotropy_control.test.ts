import { test } from "node:test";
import assert from "node:assert/strict";
import type { Matrix } from "../matrix";
import { gaussian, seededRandom } from "../util/random";
import { anisotropyControlHolds } from "../notebook/length_vs_shift_claims";
import { anisotropyControls } from "./anisotropy_control";
import { TextVectors, type CorpusConstruction } from "./length_vs_shift";
import type { ConstructedText } from "./construct";

const DIM = 64;
const SEEDS = 40;

/**
 * A cell pair built from vectors: query i = e_i + q·c (c a direction shared by the queries), sequential text i = e_i + noise,
 * random text i = r·e_i + a_i·c + noise with a_i varying: `common` sets how strongly the random texts (and queries) share c.
 */
function planted(common: number, seed: number): { construction: CorpusConstruction; vectors: TextVectors } {
  const rng = seededRandom(seed);
  const texts: ConstructedText[] = [];
  const rows: { text: string; vector: number[] }[] = [];
  const seedSentences = new Map<string, string>();
  const vector = (f: (j: number) => number) => Array.from({ length: DIM }, (_, j) => f(j));
  for (let i = 0; i < SEEDS; i++) {
    const seedId = `d${i}#0`;
    const a = 1 + 0.8 * gaussian(rng);
    seedSentences.set(seedId, `q${i}`);
    rows.push({ text: `q${i}`, vector: vector((j) => (j === i ? 1 : 0) + (j === DIM - 1 ? common : 0)) });
    rows.push({ text: `s${i}`, vector: vector((j) => (j === i ? 1 : 0) + 0.35 * gaussian(rng)) });
    rows.push({
      text: `r${i}`,
      vector: vector((j) => (j === i ? 0.6 : 0) + (j === DIM - 1 ? common * a : 0) + 0.3 * gaussian(rng)),
    });
    for (const [mode, text] of [
      ["sequential", `s${i}`],
      ["random", `r${i}`],
    ] as const)
      texts.push({ seedId, mode, k: 8, sentences: [text], text, tokens: 10 });
  }
  const matrix: Matrix = { rows: rows.length, cols: DIM, data: Float32Array.from(rows.flatMap((r) => r.vector)) };
  return {
    construction: {
      corpus: "planted",
      texts,
      reports: [],
      seedLevel: { tried: 0, overlap: 0, fewOtherSentences: 0 },
      seedSentences,
    },
    vectors: TextVectors.fromMatrix(
      rows.map((r) => r.text),
      matrix,
    ),
  };
}

const options = { minTexts: 10, seed: 3, resamples: 300, confidence: 0.9 };

test("anisotropy controls: the injected sequential cell reaches the random cell's anisotropy; rows carry the chance level", () => {
  const { construction, vectors } = planted(0, 1);
  const { rows, contrasts } = anisotropyControls([construction], vectors, 8, options);
  assert.deepEqual(
    rows.map((r) => r.source),
    ["natural prose", "injected", "shift", "shift, centred"],
  );
  const [, injected, random] = rows;
  assert.ok(
    Math.abs(injected.anisotropy - random.anisotropy) < 1e-4 || injected.anisotropy >= random.anisotropy,
    `${injected.anisotropy} vs ${random.anisotropy}`,
  );
  assert.ok(rows.every((r) => r.chance === 1 / SEEDS));
  assert.equal(contrasts[0].seeds, SEEDS);
});

test("anisotropy controls: a planted case where a shared component is what hurts retrieval fails the criterion", () => {
  // queries and random texts share c with varying weight: centring removes it and retrieval comes back
  const hurt = planted(3, 2);
  const control = anisotropyControls([hurt.construction], hurt.vectors, 8, options).contrasts[0];
  console.log(
    `planted: centring gain ${control.centringGain.estimate.toFixed(3)} [${control.centringGain.lower.toFixed(3)}, ${control.centringGain.upper.toFixed(3)}], injected loss ${control.injectedLoss.estimate.toFixed(3)}`,
  );
  assert.equal(anisotropyControlHolds(control), false);
  assert.ok(control.centringGain.lower > 0, "centring should restore retrieval in the planted case");
});

test("anisotropy controls: too few paired seeds give a note, not a row", () => {
  const { construction, vectors } = planted(0, 1);
  const { rows, notes } = anisotropyControls([construction], vectors, 8, { ...options, minTexts: SEEDS + 1 });
  assert.equal(rows.length, 0);
  assert.match(notes[0], /paired seeds/);
});
