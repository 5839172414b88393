/**
 * Reading an architecture's weights out of a checkpoint: every encoder file has one mapping function that asks a WeightReader
 * for tensors by their Hugging Face names. The reader checks shapes, stores Linear layers as [in, out] (transposed once at load:
 * a transposed matMul operand is slow on wasm). Mappings read through TensorSource, so a test can hand them the tensor names of a
 * published checkpoint and see which they read.
 */
import * as tf from "@tensorflow/tfjs";
import type { Dense, Norm, ScaleNorm } from "./layers";

/** What a mapping needs from a checkpoint (Checkpoint implements it; tests pass name-only fakes). */
export interface TensorSource {
  readonly source: string;
  names(): string[];
  has(name: string): boolean;
  read(name: string, expectedShape?: readonly number[]): Float32Array;
}

export class WeightReader {
  constructor(
    private readonly ckpt: TensorSource,
    readonly prefix: string,
  ) {}

  has(name: string): boolean {
    return this.ckpt.has(this.prefix + name);
  }

  private values(name: string, shape: readonly number[]): Float32Array {
    return this.ckpt.read(this.prefix + name, shape);
  }

  vector(name: string, size: number): tf.Tensor1D {
    return tf.tensor1d(this.values(name, [size]));
  }

  matrix(name: string, rows: number, cols: number): tf.Tensor2D {
    return tf.tensor2d(this.values(name, [rows, cols]), [rows, cols]);
  }

  /** A Linear layer; `bias: false` for layers without one (Qwen3's projections). */
  dense(name: string, inSize: number, outSize: number, bias = true): Dense {
    const weight = tf.transpose(this.matrix(`${name}.weight`, outSize, inSize)) as tf.Tensor2D;
    return { weight, bias: bias ? this.vector(`${name}.bias`, outSize) : undefined };
  }

  layerNorm(name: string, size: number): Norm {
    return { gamma: this.vector(`${name}.weight`, size), beta: this.vector(`${name}.bias`, size) };
  }

  rmsNorm(name: string, size: number): ScaleNorm {
    return { gamma: this.vector(`${name}.weight`, size) };
  }
}

/**
 * The prefix under which a checkpoint stores the base model: tried in order, the first under which `anchor` exists wins.
 * Never derived from config.json's "architectures" (all-mpnet-base-v2 names MPNetForMaskedLM but stores plain MPNetModel names).
 */
export function findPrefix(ckpt: TensorSource, anchor: string, prefixes: readonly string[]): string {
  const prefix = prefixes.find((p) => ckpt.has(p + anchor));
  if (prefix === undefined) {
    throw new Error(
      `${ckpt.source}: tensor "${anchor}" is missing (also looked for ${prefixes
        .filter((p) => p !== "")
        .map((p) => `"${p}${anchor}"`)
        .join(", ")})`,
    );
  }
  return prefix;
}

/** Every tensor inside a weights record (objects and arrays walked), for dispose(). */
export function tensorsOf(weights: unknown): tf.Tensor[] {
  if (weights instanceof tf.Tensor) return [weights];
  if (Array.isArray(weights)) return weights.flatMap(tensorsOf);
  if (typeof weights === "object" && weights !== null) return Object.values(weights).flatMap(tensorsOf);
  return [];
}
