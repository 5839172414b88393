/**
 * What sentence-transformers does after the Transformer: pool the token states with every mode the Pooling module names
 * (concatenated in its order), then run the Dense and Normalize modules in modules.json's order. A trailing Normalize is left
 * to the caller (embed()'s `normalize` option decides it); one between Dense modules runs here when normalisation is on.
 */
import * as tf from "@tensorflow/tfjs";
import type { HeadStep, SentenceEmbeddingSetup } from "../encoders/checkpoint/config";
import type { DenseActivation, DenseModuleConfig } from "../encoders/checkpoint/sentence_modules";
import { readSafetensors } from "../encoders/checkpoint/safetensors";
import { poolTokenStates } from "./pool";
import type { PoolingMode } from "./pooling_modes";

type LoadedStep =
  { kind: "normalize" } | { kind: "dense"; config: DenseModuleConfig; weight: tf.Tensor2D; bias?: tf.Tensor1D };

/** torch.nn.functional.normalize's floor on the norm */
const NORM_EPS = 1e-12;

/** Each mode's pooled vectors [B, H], concatenated along the features → [B, modes · H]. */
export function poolModes(states: tf.Tensor3D, mask: tf.Tensor2D, modes: readonly PoolingMode[]): tf.Tensor2D {
  if (modes.length === 1) return poolTokenStates(states, mask, modes[0]);
  return tf.tidy(() =>
    tf.concat(
      modes.map((mode) => poolTokenStates(states, mask, mode)),
      1,
    ),
  );
}

export class SentenceHead {
  constructor(
    readonly modes: readonly PoolingMode[],
    private readonly steps: LoadedStep[],
    /** width of the pooled (concatenated) vector */
    readonly pooledSize: number,
  ) {}

  /** width of the vectors the head returns */
  get outputSize(): number {
    const dense = this.steps.filter((s): s is Extract<LoadedStep, { kind: "dense" }> => s.kind === "dense");
    return dense.length === 0 ? this.pooledSize : dense[dense.length - 1].config.outFeatures;
  }

  /** values in the Dense modules' weights */
  get parameters(): number {
    return this.steps.reduce((sum, s) => (s.kind === "dense" ? sum + s.weight.size + (s.bias?.size ?? 0) : sum), 0);
  }

  /** The modules in words, e.g. ["Pooling(cls + mean)", "Dense(64 → 24, tanh)", "Normalize"] */
  describe(): string[] {
    return [
      `Pooling(${this.modes.join(" + ")})`,
      ...this.steps.map((s) =>
        s.kind === "normalize"
          ? "Normalize"
          : `Dense(${s.config.inFeatures} → ${s.config.outFeatures}${s.bias ? "" : ", no bias"}, ${s.config.activation})`,
      ),
    ];
  }

  /** Pooled vectors [B, pooledSize] through the Dense modules (and any Normalize between them when `normalize`). */
  apply(pooled: tf.Tensor2D, normalize: boolean): tf.Tensor2D {
    const lastDense = this.steps.map((s) => s.kind).lastIndexOf("dense");
    if (lastDense < 0) return pooled;
    return tf.tidy(() => {
      let x = pooled;
      this.steps.slice(0, lastDense + 1).forEach((s) => {
        if (s.kind === "dense")
          x = activate(tf.fused.matMul({ a: x, b: s.weight, bias: s.bias }) as tf.Tensor2D, s.config.activation);
        else if (normalize) x = x.div(x.norm(2, 1, true).maximum(NORM_EPS));
      });
      return x;
    });
  }

  dispose(): void {
    for (const s of this.steps) if (s.kind === "dense") tf.dispose([s.weight, ...(s.bias ? [s.bias] : [])]);
  }
}

function activate(x: tf.Tensor2D, kind: DenseActivation): tf.Tensor2D {
  switch (kind) {
    case "identity":
      return x;
    case "tanh":
      return x.tanh();
    case "relu":
      return x.relu();
    case "sigmoid":
      return x.sigmoid();
    case "silu":
      return x.mul(x.sigmoid());
    case "gelu":
      return x.mul(0.5).mul(tf.erf(x.mul(Math.SQRT1_2)).add(1));
  }
}

/** The setup's pooling modes and Dense weights (read from each module's model.safetensors, shapes checked). */
export async function loadSentenceHead(setup: SentenceEmbeddingSetup, hiddenSize: number): Promise<SentenceHead> {
  const pooledSize = setup.poolingModes.length * hiddenSize;
  const steps: LoadedStep[] = [];
  let width = pooledSize;
  try {
    for (const step of setup.head as HeadStep[]) {
      if (step.kind === "normalize") {
        steps.push(step);
        continue;
      }
      const c = step.dense;
      if (c.inFeatures !== width) {
        throw new Error(
          `${c.dir}/config.json: in_features ${c.inFeatures} does not match the ${width} features before it (${setup.poolingModes.join(" + ")} pooling of ${hiddenSize})`,
        );
      }
      const file = await readSafetensors(c.weightsFile);
      const read = (name: string, shape: number[]): Float32Array => {
        const found = file.entry(name).shape;
        if (found.join(",") !== shape.join(","))
          throw new Error(
            `${c.weightsFile}: tensor "${name}" has shape [${found.join(", ")}], expected [${shape.join(", ")}]`,
          );
        return file.read(name);
      };
      // stored [out, in] like nn.Linear; kept as [in, out] so the matMul needs no transposed operand
      const weight = tf.tidy(
        () =>
          tf
            .tensor2d(read("linear.weight", [c.outFeatures, c.inFeatures]), [c.outFeatures, c.inFeatures])
            .transpose() as tf.Tensor2D,
      );
      const bias = c.bias ? tf.tensor1d(read("linear.bias", [c.outFeatures])) : undefined;
      steps.push({ kind: "dense", config: c, weight, bias });
      width = c.outFeatures;
    }
  } catch (error) {
    new SentenceHead(setup.poolingModes, steps, pooledSize).dispose();
    throw error;
  }
  return new SentenceHead(setup.poolingModes, steps, pooledSize);
}
