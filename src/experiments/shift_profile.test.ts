import { test } from "node:test";
import assert from "node:assert/strict";
import type { Matrix } from "../matrix";
import type { EmbeddingModel, ModelInfo } from "../embedding/model";
import type { Passage } from "./sentence_units";
import {
  concentrationCorrelations,
  corpusShiftRows,
  describe,
  extremeShifts,
  passageMarkdown,
  passageSentenceVectors,
  shiftProfile,
  summarizeShifts,
  transitionDistances,
  type PassageShift,
} from "./shift_profile";

const close = (actual: number, expected: number, tolerance = 1e-6) =>
  assert.ok(Math.abs(actual - expected) < tolerance, `${actual} is not within ${tolerance} of ${expected}`);

/** Words → fixed 3-d vectors; records every embed call so the test can check there is exactly one. */
const VECTORS: Record<string, number[]> = {
  "North.": [1, 0, 0],
  "East.": [0, 1, 0],
  "Up.": [0, 0, 1],
  "Northeast.": [1, 1, 0], // cos 1/√2 with North and East
};

function fakeModel(): EmbeddingModel & { calls: string[][] } {
  const info: ModelInfo = {
    name: "fake",
    source: "",
    architecture: "fake",
    modelType: "fake",
    hiddenSize: 3,
    numLayers: 1,
    maxLength: 512,
    defaultPooling: "mean",
    normalize: false,
    backend: "cpu",
  };
  const calls: string[][] = [];
  return {
    info,
    calls,
    lastTruncations: [],
    async embed(texts: string[]): Promise<Matrix> {
      calls.push(texts);
      const data = new Float32Array(texts.length * 3);
      texts.forEach((t, i) => data.set(VECTORS[t], i * 3));
      return { rows: texts.length, cols: 3, data };
    },
    async tokenStates() {
      throw new Error("not needed");
    },
    countTokens: (texts: string[]) => texts.map((t) => t.split(" ").length + 2),
    dispose() {},
  };
}

const passage = (id: string, sentences: string[]): Passage => ({
  id,
  documentId: id.split("#")[0],
  sentences,
  text: sentences.join(" "),
});

test("shiftProfile embeds all sentences in one call and measures each passage from its own rows", async () => {
  const model = fakeModel();
  const passages = [
    passage("a#0", ["North.", "East.", "North."]),
    passage("b#4", ["North.", "North."]),
    passage("c#0", ["North.", "Northeast.", "East.", "Up."]),
  ];
  const profile = await shiftProfile(model, passages);
  assert.equal(model.calls.length, 1);
  assert.deepEqual(
    model.calls[0],
    passages.flatMap((p) => p.sentences),
  );
  assert.deepEqual(profile.sentenceOffsets, [0, 3, 5, 9]);
  assert.equal(profile.sentenceVectors.rows, 9);

  const [a, b, c] = profile.shifts;
  // a: two orthogonal transitions; pairs (N,E)=1, (N,N)=0, (E,N)=1
  assert.deepEqual([a.passageId, a.documentId, a.k, a.tokens], ["a#0", "a", 3, 5]);
  close(a.local, 2);
  close(a.dispersion, 2 / 3);
  close(a.shift, 4 / 3);
  // b: no movement at all
  assert.deepEqual([b.k, b.local, b.dispersion, b.shift], [2, 0, 0, 0]);
  // c: N→NE and NE→E cost 1 − 1/√2 each, E→Up costs 1; pair distances: 1−1/√2 (×2), 1 (N,E), 1 (N,Up), 1 (NE,Up), 1 (E,Up)
  const half = 1 - Math.SQRT1_2;
  close(c.local, 2 * half + 1);
  close(c.dispersion, (2 * half + 4) / 6);
  close(c.shift, (2 * half + 1) * ((2 * half + 4) / 6));
  close(c.localPerTransition, (2 * half + 1) / 3);
});

test("shiftProfile of no passages returns no shifts", async () => {
  const model = fakeModel();
  const profile = await shiftProfile(model, []);
  assert.deepEqual(profile.shifts, []);
  assert.deepEqual(profile.sentenceOffsets, [0]);
});

test("describe and summarizeShifts give quartiles of R type 7", () => {
  const d = describe([4, 1, 3, 2, 10]);
  assert.deepEqual(d, { n: 5, mean: 4, median: 3, q1: 2, q3: 4, min: 1, max: 10 });
  const summary = summarizeShifts([
    { passageId: "x", documentId: "x", tokens: 10, k: 2, local: 1, localPerTransition: 1, dispersion: 1, shift: 1 },
    { passageId: "y", documentId: "y", tokens: 20, k: 4, local: 3, localPerTransition: 1, dispersion: 0.5, shift: 1.5 },
  ]);
  assert.equal(summary.passages, 2);
  assert.equal(summary.meanSentences, 3);
  assert.equal(summary.meanTokens, 15);
  assert.equal(summary.shift.mean, 1.25);
  assert.equal(summary.dispersion.median, 0.75);
});

test("extremeShifts returns the top and bottom without overlap", () => {
  const items = [0.5, 2, 0.1, 3, 1].map((shift, i) => ({ id: i, shift }));
  const { highest, lowest } = extremeShifts(items, 2);
  assert.deepEqual(
    highest.map((x) => x.shift),
    [3, 2],
  );
  assert.deepEqual(
    lowest.map((x) => x.shift),
    [0.1, 0.5],
  );
  const few = extremeShifts(items.slice(0, 3), 2);
  assert.deepEqual(
    few.highest.map((x) => x.shift),
    [2, 0.5],
  );
  assert.deepEqual(
    few.lowest.map((x) => x.shift),
    [0.1],
  );
});

test("transitionDistances sum to Local and passageMarkdown shows each step", async () => {
  const model = fakeModel();
  const passages = [passage("a#0", ["North.", "East.", "North."]), passage("c#0", ["North.", "Northeast.", "Up."])];
  const profile = await shiftProfile(model, passages);
  const distances = transitionDistances(passageSentenceVectors(profile, 1));
  close(distances[0], 1 - Math.SQRT1_2);
  close(distances[1], 1);
  close(distances[0] + distances[1], profile.shifts[1].local);
  const markdown = passageMarkdown(
    "Top *1*",
    passages[0],
    profile.shifts[0],
    transitionDistances(passageSentenceVectors(profile, 0)),
  );
  assert.equal(
    markdown,
    "#### Top *1*\nShift 1.333 = Local 2.000 × Disp 0.667; k = 3\n\n1. North. *(→ 1.00)*\n2. East. *(→ 1.00)*\n3. North.\n",
  );
  const escaped = passageMarkdown("x", passage("e#0", ["A *bold* [link] claim."]), profile.shifts[1], []);
  assert.ok(escaped.includes("1. A \\*bold\\* \\[link\\] claim."), escaped);
});

test("concentrationCorrelations ranks Shift and length against concentration", () => {
  const shifts: PassageShift[] = [1, 2, 3, 4, 5, 6, 7, 8].map((shift, i) => ({
    passageId: `p${i}`,
    documentId: `d${i}`,
    tokens: [50, 10, 40, 20, 80, 30, 70, 60][i],
    k: 7,
    local: shift,
    localPerTransition: shift / 6,
    dispersion: 1,
    shift,
  }));
  const concentration = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]; // rises with Shift exactly
  const result = concentrationCorrelations(shifts, concentration, { resamples: 200, seed: 1 });
  assert.equal(result.n, 8);
  close(result.shift.estimate, 1, 1e-12);
  // ranks of tokens: 5 1 4 2 8 3 7 6 against 1…8: Σd² = 16+1+1+4+9+9+0+4 = 44, rho = 1 − 6·44/(8·63) = 10/21
  close(result.tokens.estimate, 10 / 21, 1e-12);
  assert.ok(result.tokens.lower < result.tokens.estimate && result.tokens.estimate <= result.tokens.upper);
  // Shift determines concentration's ranks completely, so removing length changes nothing: partial = 1
  close(result.shiftGivenTokens, 1, 1e-9);
  assert.throws(() => concentrationCorrelations(shifts, [1, 2]), /8 shifts but 2/);
  close(result.shiftOverTokens.estimate, 1 - 10 / 21, 1e-12);
  assert.equal(result.documents, 8);
});

test("concentrationCorrelations resamples documents: passages of one document stay together", () => {
  // 4 documents of 3 passages; within a document the passages are identical, so a resample by passage and one by document differ
  const shifts: PassageShift[] = Array.from({ length: 12 }, (_, i) => ({
    passageId: `p${i}`,
    documentId: `d${Math.floor(i / 3)}`,
    tokens: 10 + (i % 5),
    k: 7,
    local: 1,
    localPerTransition: 1 / 6,
    dispersion: 1,
    shift: [3, 1, 4, 2][Math.floor(i / 3)] + 0.01 * i,
  }));
  const concentration = shifts.map((s, i) => [0.4, 0.1, 0.2, 0.3][Math.floor(i / 3)] + 0.001 * i);
  const byDocument = concentrationCorrelations(shifts, concentration, { resamples: 300, seed: 4 });
  assert.equal(byDocument.documents, 4);
  const asIndependent = concentrationCorrelations(
    shifts.map((s, i) => ({ ...s, documentId: `own${i}` })),
    concentration,
    { resamples: 300, seed: 4 },
  );
  assert.equal(byDocument.shift.estimate, asIndependent.shift.estimate);
  assert.ok(byDocument.shift.upper - byDocument.shift.lower > asIndependent.shift.upper - asIndependent.shift.lower);
});

test("permutationResolution: 5 points have 120 orderings; ρ = 1 has p = 2/120, one adjacent swap ρ = 0.9", async () => {
  const { permutationResolution, seriesByCorpus } = await import("./shift_profile");
  const resolution = permutationResolution(5);
  assert.equal(resolution.orderings, 120);
  close(resolution.perfect, 2 / 120, 1e-12);
  close(resolution.oneSwap.rho, 0.9, 1e-12);
  assert.ok(resolution.oneSwap.pValue > resolution.perfect && resolution.oneSwap.pValue < 0.1);
  const shifts = new Map([
    [
      "A",
      [{ passageId: "p", documentId: "d", tokens: 3, k: 2, local: 1, localPerTransition: 1, dispersion: 1, shift: 2 }],
    ],
  ]);
  assert.deepEqual(
    seriesByCorpus(
      shifts,
      (s) => s.tokens,
      (s) => s.shift,
    ),
    [{ name: "A", x: [3], y: [2], text: ["p"] }],
  );
});

test("extremeTextRows: per corpus its highest and lowest text, with the full text", async () => {
  const { extremeTextRows } = await import("./shift_profile");
  const item = (index: number, corpus: string, shift: number) => ({
    passageId: `p${index}`,
    documentId: `d${index}`,
    tokens: 5,
    k: 2,
    local: shift,
    localPerTransition: shift,
    dispersion: 1,
    shift,
    index,
    corpus,
  });
  const passages = [0, 1, 2].map((i) => passage(`p${i}`, [`Sentence ${i}.`]));
  const rows = extremeTextRows([item(0, "A", 0.2), item(1, "A", 0.9), item(2, "B", 0.5)], passages);
  assert.deepEqual(
    rows.map((r) => [r.corpus, r.which, r.passage, r.text]),
    [
      ["A", "highest", "p1", "Sentence 1."],
      ["A", "lowest", "p0", "Sentence 0."],
      ["B", "highest", "p2", "Sentence 2."],
    ],
  );
});

test("corpusShiftRows: MPD over pairs of different documents, standard error over document means", () => {
  const shift = (documentId: string, value: number): PassageShift => ({
    passageId: `${documentId}#${value}`,
    documentId,
    tokens: 10,
    k: 2,
    local: value,
    localPerTransition: value,
    dispersion: 1,
    shift: value,
  });
  // documents a (two identical passages), b and c: orthogonal unit vectors across documents
  const shifts = [shift("a", 1), shift("a", 3), shift("b", 2), shift("c", 6)];
  const vectors: Matrix = { rows: 4, cols: 3, data: Float32Array.from([1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]) };
  const [row] = corpusShiftRows(new Map([["toy", shifts]]), new Map([["toy", vectors]]));
  // the identical same-document pair (distance 0) is left out: every remaining pair is orthogonal, MPD 1 (plain MPD: 5/6)
  close(row.mpd_cosine, 1);
  close(row.mean_shift, 3);
  assert.equal(row.documents, 3);
  // document means 2, 2, 6: sample SD 2.3094 / √3
  close(row.shift_standard_error, Math.sqrt(16 / 3) / Math.sqrt(3));
});
