/**
 * The onnxruntime engine: runs an architecture's ONNX graph (built in TypeScript from the loaded weights) through
 * onnxruntime-node and hands the hidden states back as tfjs tensors. One session per set of requested layers, built on first
 * use and kept: forward(layer) uses a graph that stops at that layer, forwardAllLayers one with numLayers + 1 outputs. τ is
 * a graph input, so one session serves every attention temperature.
 */
import * as tf from "@tensorflow/tfjs";
import { checkAttentionTemperature } from "../layers";
import type { PaddedBatch, StatesEngine } from "../states_engine";
import type { ForwardOptions } from "../token_encoder";
import { checkLayers, statesOutput, type ExtraInput, type OnnxArchitecture } from "./architecture";
import type { OrtModule, OrtSession, OrtTensor } from "./runtime";

export interface OnnxEngineOptions {
  /** intra-op threads (SHIFTLAB_THREADS) */
  threads: number;
  /** execution provider (only "cpu" is used for now) */
  executionProvider?: string;
}

/** protobuf's limit on one message: a model passed as bytes must stay below it */
export const MAX_MODEL_BYTES = 2 ** 31 - 1;

export class OnnxStatesEngine implements StatesEngine {
  readonly name = "onnxruntime";
  readonly description: string;
  private readonly sessions = new Map<string, Promise<OrtSession>>();
  private readonly provider: string;
  private disposed = false;
  private extras: { length: number; inputs: ExtraInput[] } | undefined;

  constructor(
    private readonly ort: OrtModule,
    readonly architecture: OnnxArchitecture,
    private readonly options: OnnxEngineOptions,
  ) {
    this.provider = options.executionProvider ?? "cpu";
    this.description = `onnxruntime (${this.provider}, ${options.threads} thread${options.threads === 1 ? "" : "s"})`;
  }

  get modelType(): string {
    return this.architecture.modelType;
  }
  get hiddenSize(): number {
    return this.architecture.hiddenSize;
  }
  get numLayers(): number {
    return this.architecture.numLayers;
  }
  get maxPositions(): number {
    return this.architecture.maxPositions;
  }
  get weightBytes(): number {
    return this.architecture.weightBytes;
  }

  /** The session computing `layers` (built and cached on first use); failures are not cached. */
  session(layers: readonly number[]): Promise<OrtSession> {
    if (this.disposed) return Promise.reject(new Error(`${this.who()}: the engine was disposed`));
    const wanted = checkLayers(layers, this.numLayers, this.who());
    const key = wanted.join(",");
    let session = this.sessions.get(key);
    if (session === undefined) {
      session = this.create(wanted);
      this.sessions.set(key, session);
      session.catch(() => this.sessions.delete(key));
    }
    return session;
  }

  private async create(layers: number[]): Promise<OrtSession> {
    const bytes = this.architecture.graph(layers);
    if (bytes.length > MAX_MODEL_BYTES)
      throw new Error(
        `${this.who()}: the ONNX model is ${(bytes.length / 2 ** 30).toFixed(2)} GiB, over the 2 GiB protobuf limit of a model passed as bytes; use --engine tfjs`,
      );
    return this.ort.InferenceSession.create(bytes, {
      executionProviders: [this.provider],
      intraOpNumThreads: this.options.threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: "all",
      executionMode: "sequential",
      logSeverityLevel: 3,
      // idle intra-op threads sleep instead of spinning: on a shared machine (notebooks, tests, CI) spinning threads take cores
      // the other work needs (mini encoder, batch 32 x 128, 2 threads on 2 busy cores: 4,200 tokens/s spinning, 4,800 without)
      extra: { session: { intra_op: { allow_spinning: "0" } } },
      // the CPU memory arena stays on: without it every batch allocates afresh and batch 32 × 512 runs at half the speed
      // (3,764 vs 7,504 tokens/s, 1 thread). The arena keeps the largest size it has needed, so RSS grows when a longer batch
      // first appears and is flat otherwise (npm run bench:memory: +91 MiB over 20,000 texts, at the points where longer
      // texts first came; without the arena −14 MiB)
      enableCpuMemArena: true,
    });
  }

  async forward(batch: PaddedBatch, layer: number, options: ForwardOptions = {}): Promise<tf.Tensor3D> {
    return (await this.run(batch, [layer], options))[0];
  }

  async forwardAllLayers(batch: PaddedBatch, options: ForwardOptions = {}): Promise<tf.Tensor3D[]> {
    return this.run(
      batch,
      Array.from({ length: this.numLayers + 1 }, (_, l) => l),
      options,
    );
  }

  private async run(batch: PaddedBatch, layers: number[], options: ForwardOptions): Promise<tf.Tensor3D[]> {
    const { rows, length } = batch;
    if (length > this.maxPositions)
      throw new Error(`${this.who()}: ${length} tokens exceed the model's ${this.maxPositions} positions`);
    if (batch.ids.length !== rows * length || batch.mask.length !== rows * length)
      throw new Error(
        `${this.who()}: ids/mask hold ${batch.ids.length}/${batch.mask.length} values, not ${rows}x${length}`,
      );
    const temperature = checkAttentionTemperature(options.attentionTemperature, this.who());
    const session = await this.session(layers);
    const T = this.ort.Tensor;
    const feeds: Record<string, OrtTensor> = {
      input_ids: new T("int32", batch.ids, [rows, length]),
      attention_mask: new T("int32", batch.mask, [rows, length]),
      inverse_temperature: new T("float32", Float32Array.of(1 / temperature), []),
    };
    for (const extra of this.extraInputs(length)) feeds[extra.name] = new T(extra.type, extra.data, extra.dims);
    // feed only what the session declares (onnxruntime refuses names it does not know)
    for (const name of Object.keys(feeds)) if (!session.inputNames.includes(name)) delete feeds[name];
    const names = layers.map(statesOutput);
    const outputs = await session.run(feeds, names);
    return names.map((name) => {
      const data = outputs[name].data;
      if (!(data instanceof Float32Array)) throw new Error(`${this.who()}: output ${name} is not float32`);
      return tf.tensor3d(data, [rows, length, this.hiddenSize]);
    });
  }

  /** the architecture's per-length inputs, kept for the last length asked (batches are bucketed by length) */
  private extraInputs(length: number): ExtraInput[] {
    if (this.extras?.length !== length) this.extras = { length, inputs: this.architecture.extraInputs(length) };
    return this.extras.inputs;
  }

  private who(): string {
    return `onnxruntime ${this.modelType}`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const session of this.sessions.values()) session.then((s) => s.release()).catch(() => undefined);
    this.sessions.clear();
  }
}
