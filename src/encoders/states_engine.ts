/**
 * StatesEngine: what computes hidden states for the embedding model, asynchronously, so that an engine outside tfjs
 * (onnxruntime, src/encoders/onnx/engine.ts) can serve it. States come back as tfjs tensors either way, so pooling, the
 * sentence-transformers modules and normalisation run in one place (src/embedding) whatever the engine.
 *
 * TfjsStatesEngine wraps a TokenEncoder (the registry's tfjs implementation of each architecture), unchanged.
 */
import * as tf from "@tensorflow/tfjs";
import type { ForwardOptions, TokenEncoder } from "./token_encoder";

export const ENGINE_NAMES = ["onnxruntime", "tfjs"] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** An engine name (trimmed), checked; "" and undefined give undefined (choose). */
export function parseEngineName(value: string | undefined): EngineName | undefined {
  const name = (value ?? "").trim();
  if (name === "") return undefined;
  if (!(ENGINE_NAMES as readonly string[]).includes(name))
    throw new Error(`Unknown engine ${JSON.stringify(name)}; valid names: ${ENGINE_NAMES.join(", ")}`);
  return name as EngineName;
}

/** Right-padded token ids and their 0/1 mask, row-major [rows, length] (batching.ts padIds) */
export interface PaddedBatch {
  ids: Int32Array;
  mask: Int32Array;
  rows: number;
  length: number;
}

export interface StatesEngine {
  readonly name: EngineName;
  /** how it runs, e.g. "tfjs (wasm)" or "onnxruntime (cpu)" */
  readonly description: string;
  readonly modelType: string;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly maxPositions: number;
  /** bytes the weights hold (float32) where the engine computes */
  readonly weightBytes: number;
  /** [rows, length, H] states after `layer` (0 = embedding output); the caller disposes the tensor */
  forward(batch: PaddedBatch, layer: number, options?: ForwardOptions): Promise<tf.Tensor3D>;
  /** every layer's states, index 0 = embedding output (numLayers + 1 tensors) */
  forwardAllLayers(batch: PaddedBatch, options?: ForwardOptions): Promise<tf.Tensor3D[]>;
  dispose(): void;
}

export class TfjsStatesEngine implements StatesEngine {
  readonly name = "tfjs";
  readonly description: string;

  constructor(
    readonly encoder: TokenEncoder,
    backend: string,
    readonly weightBytes: number,
  ) {
    this.description = `tfjs (${backend})`;
  }

  get modelType(): string {
    return this.encoder.modelType;
  }
  get hiddenSize(): number {
    return this.encoder.hiddenSize;
  }
  get numLayers(): number {
    return this.encoder.numLayers;
  }
  get maxPositions(): number {
    return this.encoder.maxPositions;
  }

  async forward(batch: PaddedBatch, layer: number, options: ForwardOptions = {}): Promise<tf.Tensor3D> {
    return tf.tidy(() => this.encoder.forward(...tensorsOf(batch), layer, options));
  }

  async forwardAllLayers(batch: PaddedBatch, options: ForwardOptions = {}): Promise<tf.Tensor3D[]> {
    return tf.tidy(() => this.encoder.forwardAllLayers(...tensorsOf(batch), options));
  }

  dispose(): void {
    this.encoder.dispose();
  }
}

function tensorsOf(batch: PaddedBatch): [tf.Tensor2D, tf.Tensor2D] {
  return [
    tf.tensor2d(batch.ids, [batch.rows, batch.length], "int32"),
    tf.tensor2d(batch.mask, [batch.rows, batch.length], "int32"),
  ];
}
