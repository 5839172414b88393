/**
 * Post-processing of embeddings for retrieval, fitted on the corpus only and then applied to corpus and queries alike:
 *   none           unchanged
 *   center         x − μ                                     (μ = corpus mean)
 *   whiten         (x − μ) · U · Λ^(−1/2)                    BERT-whitening (Su et al. 2021), Σ = U Λ Uᵀ the corpus covariance;
 *                                                            all d directions are kept; directions with λ ≤ 1e-10·λ_max (no
 *                                                            variance in the corpus) are set to 0 instead of being blown up
 *   remove-top:D   (x − μ) − Σ_{i ≤ D} ((x − μ)·u_i) u_i     all-but-the-top (Mu & Viswanath 2018): the D leading principal
 *                                                            directions of the corpus are removed after centring
 * Covariance Σ = (1/(N−1)) Σ_n (x_n − μ)(x_n − μ)ᵀ is accumulated on the tfjs backend in row blocks, in float64, and
 * decomposed by ml-pca (eigenvectors of a symmetric matrix, largest eigenvalue first). d ≤ 1024 keeps that quick.
 */
import * as tf from "@tensorflow/tfjs";
import { PCA } from "ml-pca";
import type { Matrix } from "../matrix";
import { columnMeans, forEachRowBlock } from "../metrics/geometry";

export type PostprocessSpec =
  { kind: "none" } | { kind: "center" } | { kind: "whiten" } | { kind: "remove-top"; directions: number };

export interface Postprocessor {
  spec: PostprocessSpec;
  apply(m: Matrix): Matrix;
}

const DEGENERATE_EIGENVALUE = 1e-10;

export function parsePostprocess(text: string): PostprocessSpec {
  if (text === "none" || text === "center" || text === "whiten") return { kind: text };
  const match = /^remove-top:(\d+)$/.exec(text);
  if (match && Number(match[1]) >= 1) return { kind: "remove-top", directions: Number(match[1]) };
  throw new Error(`--postprocess must be none, center, whiten or remove-top:D (D ≥ 1), got ${JSON.stringify(text)}`);
}

export function describePostprocess(spec: PostprocessSpec): string {
  return spec.kind === "remove-top" ? `remove-top:${spec.directions}` : spec.kind;
}

/** Fit the post-processing on the corpus rows. */
export function fitPostprocess(corpus: Matrix, spec: PostprocessSpec): Postprocessor {
  if (spec.kind === "none") return { spec, apply: (m) => m };
  if (corpus.rows < 2)
    throw new Error(`postprocess ${describePostprocess(spec)}: needs at least 2 corpus rows, got ${corpus.rows}`);
  const mean = Float32Array.from(columnMeans(corpus));
  if (spec.kind === "center") return { spec, apply: (m) => affine(m, mean, undefined) };
  const d = corpus.cols;
  if (spec.kind === "remove-top" && spec.directions >= d)
    throw new Error(`postprocess remove-top:${spec.directions}: the vectors have only ${d} dimensions`);
  const { values, vectors } = covarianceEigen(corpus, mean);
  const transform = new Float32Array(d * d); // row-major d × d, applied as x · transform
  if (spec.kind === "whiten") {
    const floor = values[0] * DEGENERATE_EIGENVALUE;
    for (let i = 0; i < d; i++) {
      for (let c = 0; c < d; c++)
        transform[i * d + c] = values[c] > floor ? vectors[i * d + c] / Math.sqrt(values[c]) : 0;
    }
  } else {
    // I − U_D U_Dᵀ
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let projection = 0;
        for (let c = 0; c < spec.directions; c++) projection += vectors[i * d + c] * vectors[j * d + c];
        transform[i * d + j] = (i === j ? 1 : 0) - projection;
      }
    }
  }
  return { spec, apply: (m) => affine(m, mean, transform) };
}

/** (m − mean) · transform (transform omitted: identity), block by block on the backend. */
function affine(m: Matrix, mean: Float32Array, transform: Float32Array | undefined): Matrix {
  if (m.cols !== mean.length) throw new Error(`postprocess: fitted on ${mean.length}-wide vectors, got ${m.cols}`);
  const out = new Float32Array(m.rows * m.cols);
  const meanTensor = tf.tensor1d(mean);
  const transformTensor = transform ? tf.tensor2d(transform, [m.cols, m.cols]) : undefined;
  try {
    forEachRowBlock(m, undefined, (block, start) => {
      const centred = block.sub(meanTensor) as tf.Tensor2D;
      const result = transformTensor ? centred.matMul(transformTensor) : centred;
      out.set(result.dataSync(), start * m.cols);
    });
  } finally {
    meanTensor.dispose();
    transformTensor?.dispose();
  }
  return { rows: m.rows, cols: m.cols, data: out };
}

/** Eigenvalues (largest first) and eigenvectors (row-major d × d, column c for value c) of the corpus covariance. */
function covarianceEigen(corpus: Matrix, mean: Float32Array): { values: number[]; vectors: Float64Array } {
  const d = corpus.cols;
  const total = new Float64Array(d * d);
  const meanTensor = tf.tensor1d(mean);
  try {
    forEachRowBlock(corpus, undefined, (block) => {
      const x = block.sub(meanTensor);
      const product = x.matMul(x, true, false).dataSync();
      for (let i = 0; i < total.length; i++) total[i] += product[i];
    });
  } finally {
    meanTensor.dispose();
  }
  const rows: number[][] = [];
  for (let i = 0; i < d; i++) {
    const row: number[] = [];
    for (let j = 0; j < d; j++) row.push((total[i * d + j] + total[j * d + i]) / 2 / (corpus.rows - 1));
    rows.push(row);
  }
  const pca = new PCA(rows, { isCovarianceMatrix: true });
  return { values: pca.getEigenvalues().slice(), vectors: Float64Array.from(pca.getEigenvectors().to1DArray()) };
}
