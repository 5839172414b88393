import { test } from "node:test";
import assert from "node:assert/strict";
import type { TextDilution } from "../experiments/dilution";
import type { PooledMpdRow } from "../experiments/pooled_mpd";
import { dilutionScatterFigure } from "./dilution_figures";
import { euclideanRatioFigure, mpdVersusKFigure } from "./pooled_mpd_figures";
import { PALETTE } from "./style";

const close = (actual: number, expected: number, tolerance = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

function pooledRow(corpus: string, k: number): PooledMpdRow {
  const mpd = 0.8 - 0.05 * Math.log2(k);
  return {
    corpus,
    k,
    groups: 32 / k,
    sentenceCosineMpd: 0.8,
    consecutiveMeanCosineMpd: mpd,
    randomMeanCosineMpd: mpd - 0.01,
    randomMeanCosineMpdStandardError: 0.001,
    randomPartitions: 5,
    sentenceNegativeCosineShare: 0,
    contextualCosineMpd: mpd + 0.01,
    sentenceEuclideanMpd: 1.2,
    consecutiveMeanEuclideanMpd: 1.2 / Math.sqrt(k),
    randomMeanEuclideanMpd: 1.1 / Math.sqrt(k),
    consecutiveNormalizedMeanEuclideanMpd: 1.2,
    contextualEuclideanMpd: 1.2,
    sentenceSpread: 0.7,
    consecutiveMeanSpread: 0.7 / k,
    cohesion: 0,
    amplification: 0,
  };
}

test("pooled MPD figures: one trace per corpus and series, corpus colours from the palette, the 1/√k reference", () => {
  const rows = ["a", "b"].flatMap((corpus) => [1, 2, 4].map((k) => pooledRow(corpus, k)));
  const cosine = mpdVersusKFigure("t", rows).data as { name: string; y: number[]; line: { color: string } }[];
  assert.equal(cosine.length, 6);
  assert.deepEqual(
    cosine.map((d) => d.line.color),
    [PALETTE[0], PALETTE[0], PALETTE[0], PALETTE[1], PALETTE[1], PALETTE[1]],
  );
  assert.deepEqual(
    cosine[0].y,
    rows.slice(0, 3).map((r) => r.consecutiveMeanCosineMpd),
  );
  const ratio = euclideanRatioFigure("t", rows).data as { x: number[]; y: number[] }[];
  assert.equal(ratio.length, 5);
  ratio[4].x.forEach((k, i) => close(ratio[4].y[i], 1 / Math.sqrt(k)));
  ratio[0].y.forEach((y, i) => close(y, 1 / Math.sqrt(ratio[0].x[i])));
});

test("dilutionScatterFigure: one trace per corpus plus the theoretical curve", () => {
  const results: TextDilution[] = [0.2, 0.5, 0.7].map((x, i) => ({
    id: `t${i}`,
    source: "fake",
    documentId: `t${i}`,
    k: 3,
    dispersion: 1.5 * x,
    dilutionCoordinate: x,
    cMeanOfMean: 0,
    cMeanPredicted: 0,
    cMeanContextual: 0.1 * (i + 1),
    preview:
      i === 2
        ? "Pooling dilutes meaning when the sentences of a text drift apart, and the longer the drift the further the mean"
        : `text ${i}`,
  }));
  const figure = dilutionScatterFigure("t", [{ name: "fake", results }]);
  assert.equal(figure.data.length, 2);
  const curve = figure.data[1] as { x: number[]; y: number[] };
  curve.x.forEach((x, i) => close(curve.y[i], 1 - Math.sqrt(1 - x)));
  const points = figure.data[0] as { y: number[]; text: string[] };
  assert.deepEqual(
    points.y,
    results.map((r) => r.cMeanContextual),
  );
  assert.deepEqual(points.text, [
    "t0 (k=3)<br>text 0",
    "t1 (k=3)<br>text 1",
    "t2 (k=3)<br>Pooling dilutes meaning when the sentences of a text drift<br>apart, and the longer the drift the further the mean",
  ]);
});
