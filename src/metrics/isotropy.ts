/**
 * How evenly a point cloud uses the dimensions of its space: IsoScore, effective rank and the PCA explained-variance
 * spectrum. The d × d cross-product matrix is built on the tfjs backend in row blocks (accumulated in float64), then
 * decomposed in float64 by ml-pca, so N is limited only by time, and d by a d × d eigendecomposition (about 11 s
 * for d = 768 on one CPU core; each function here does its own).
 */
import * as tf from "@tensorflow/tfjs";
import { PCA } from "ml-pca";
import type { Matrix } from "../matrix";
import { columnMeans, forEachRowBlock, type BlockOptions } from "./geometry";

/**
 * IsoScore (Rudman, Gillman, Rayne & Eickhoff, Findings of ACL 2022), for points in n = m.cols dimensions:
 *   1. reorient the points with PCA; their variance vector in PCA coordinates is the covariance eigenvalues λ;
 *   2. normalise it to length √n:                     λ̂ = √n · λ / ‖λ‖;
 *   3. isotropy defect, the distance to the diagonal:  δ = ‖λ̂ − 1‖ / √(2(n − √n))   (0 ≤ δ ≤ 1);
 *   4. dimensions used:                                k = (n − δ²(n − √n))² / n,   fraction φ = k / n;
 *   5. rescale to [0, 1]:                              ι = (n·φ − 1) / (n − 1) = (k − 1) / (n − 1).
 * ι = 1 when all n variances are equal, 0 when one direction holds all variance; k equal variances out of n give
 * exactly (k − 1)/(n − 1). Expanding ‖λ̂ − 1‖² shows k = (Σλ)² / Σλ², the participation ratio of the spectrum.
 * NaN for fewer than 2 dimensions or no variance at all.
 */
export function isoScore(m: Matrix, options: BlockOptions = {}): number {
  return isoScoreFromVariances(covarianceEigen(m, options).values);
}

/** Steps 2–5 of IsoScore from the variances along the principal axes (see isoScore). */
export function isoScoreFromVariances(variances: ArrayLike<number>): number {
  const n = variances.length;
  const clamped = Array.from(variances, (v) => Math.max(v, 0));
  const length = Math.hypot(...clamped);
  if (n < 2 || length === 0) return NaN;
  const rootN = Math.sqrt(n);
  const distanceSquared = clamped.reduce((s, v) => s + ((rootN * v) / length - 1) ** 2, 0);
  const defectSquared = distanceSquared / (2 * (n - rootN));
  const dimensionsUsed = (n - defectSquared * (n - rootN)) ** 2 / n;
  return (dimensionsUsed - 1) / (n - 1);
}

export interface EffectiveRankOptions extends BlockOptions {
  /** subtract the column means first (default false: Roy & Vetterli use the raw matrix) */
  center?: boolean;
}

/**
 * Effective rank (Roy & Vetterli 2007): exp of the Shannon entropy of the singular values normalised to sum 1;
 * between 1 (rank one) and min(N, d) (all singular values equal). Uses the raw (uncentred) matrix unless
 * options.center. NaN for an all-zero matrix.
 *
 * Singular values come from the eigenvectors v_i of the Gram matrix XᵀX as σ_i = ‖X v_i‖, not as √λ_i: rounding
 * leaves eigenvalues of about 1e-7·λ_max on null directions, whose square roots (≈ 3e-4·σ_max each) would add a
 * visible false entropy over hundreds of dimensions, while the projection keeps them at ≈ 1e-7·σ_max.
 */
export function effectiveRank(m: Matrix, options: EffectiveRankOptions = {}): number {
  const center = options.center ?? false;
  const { vectors } = gramEigen(m, center, options);
  const squaredSingularValues = new Float64Array(m.cols);
  const means = center ? tf.tensor1d(Float32Array.from(columnMeans(m, options))) : null;
  const basis = tf.tensor2d(Float32Array.from(vectors), [m.cols, m.cols]);
  try {
    forEachRowBlock(m, options.blockRows, (block) => {
      const x = means ? block.sub(means) : block;
      const columnEnergy = x.matMul(basis).square().sum(0).dataSync();
      for (let i = 0; i < m.cols; i++) squaredSingularValues[i] += columnEnergy[i];
    });
  } finally {
    basis.dispose();
    means?.dispose();
  }
  const singularValues = Array.from(squaredSingularValues, Math.sqrt);
  const total = singularValues.reduce((s, v) => s + v, 0);
  if (total === 0) return NaN;
  let entropy = 0;
  for (const sigma of singularValues) {
    const p = sigma / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}

export interface SpectrumOptions extends BlockOptions {
  /** how many leading components to return (default all d) */
  components?: number;
}

/**
 * Fraction of the total variance along each principal axis, largest first (ml-pca's getExplainedVariance on the
 * covariance matrix). All d entries sum to 1; with options.components only the leading fractions are returned
 * (still fractions of the total). Rounding negatives are clamped to 0.
 */
export function explainedVarianceSpectrum(m: Matrix, options: SpectrumOptions = {}): number[] {
  const covariance = crossProduct(m, true, options);
  const pca = new PCA(toRows(covariance, m.cols), { isCovarianceMatrix: true });
  const spectrum = pca.getExplainedVariance().map((v) => Math.max(v, 0));
  return options.components === undefined ? spectrum : spectrum.slice(0, options.components);
}

interface Eigen {
  /** eigenvalues, largest first */
  values: number[];
  /** row-major d × d; column i is the eigenvector of values[i] */
  vectors: Float64Array;
}

/** Eigenvalues of the covariance matrix = variances along the principal axes, largest first. */
function covarianceEigen(m: Matrix, options: BlockOptions): Eigen {
  const eigen = gramEigen(m, true, options);
  const scale = 1 / Math.max(m.rows - 1, 1);
  return { values: eigen.values.map((v) => v * scale), vectors: eigen.vectors };
}

function gramEigen(m: Matrix, center: boolean, options: BlockOptions): Eigen {
  const gram = crossProduct(m, center, options);
  const pca = new PCA(toRows(gram, m.cols), { isCovarianceMatrix: true });
  const vectors = Float64Array.from(pca.getEigenvectors().to1DArray());
  return { values: pca.getEigenvalues().slice(), vectors };
}

/**
 * Σ_rows (x − c)(x − c)ᵀ as a row-major d × d float64 array, c the column means when centred, else 0.
 * Centring each block before the product (rather than subtracting N·ccᵀ afterwards) avoids cancellation.
 * The result is symmetrised to remove rounding asymmetry before the eigendecomposition.
 */
function crossProduct(m: Matrix, center: boolean, options: BlockOptions): Float64Array {
  const d = m.cols;
  const total = new Float64Array(d * d);
  const means = center ? tf.tensor1d(Float32Array.from(columnMeans(m, options))) : null;
  try {
    forEachRowBlock(m, options.blockRows, (block) => {
      const x = means ? block.sub(means) : block;
      const product = x.matMul(x, true, false).dataSync();
      for (let i = 0; i < total.length; i++) total[i] += product[i];
    });
  } finally {
    means?.dispose();
  }
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const average = (total[i * d + j] + total[j * d + i]) / 2;
      total[i * d + j] = average;
      total[j * d + i] = average;
    }
  }
  return total;
}

function toRows(values: Float64Array, cols: number): number[][] {
  return Array.from({ length: values.length / cols }, (_, i) => Array.from(values.subarray(i * cols, (i + 1) * cols)));
}
