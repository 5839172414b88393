/**
 * Parallelism across CPU cores for the single-threaded WebAssembly backend: N worker threads, each holding the whole model
 * (embed_worker.ts), share every embed() call. tfjs-backend-wasm's own multi-threaded build cannot start in Node (its pthread
 * workers are created from blob: URLs, which Node's worker_threads refuse), so the lab splits the texts instead.
 *
 * The texts are dealt to the workers longest first, each to the worker with the fewest characters so far, so every worker
 * gets a similar share of the work and each still buckets its own texts by length. Results come back in input order; the
 * embeddings are those of one model (same arithmetic in every worker), so they do not depend on the number of workers.
 * Memory: each worker holds its own copy of the weights.
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { projectRoot } from "../assets/paths";
import { resolveModelRef } from "../assets/model_ref";
import { loadTokenizer } from "../tokens/tokenizer";
import type { Matrix } from "../matrix";
import {
  bindModelMethods,
  type EmbedOptions,
  type EmbeddingModel,
  type TokenStates,
  type TruncationNote,
} from "./model";
import type { PoolingMode } from "./pooling_modes";
import type { WorkerReply, WorkerRequest, WorkerRequestBody, WorkerSetup } from "./embed_worker";
import { requestedEngine } from "../encoders/engine_select";
import { hasOnnxGraph } from "../encoders/onnx/graphs";
import { loadOnnxRuntime } from "../encoders/onnx/runtime";
import { threadsSetting } from "../settings";

/**
 * a call is split so that each worker gets at least this many texts (a single text stays in one worker). Splitting even a
 * batch of 8 pays: 8 × 128 tokens ran at 1,999 tokens/s unsplit (threshold 16) and 3,688 split (2 workers, npm run bench)
 */
const MIN_TEXTS_PER_WORKER = 2;

interface Pending {
  resolve: (reply: { result: unknown; truncations?: TruncationNote[] }) => void;
  reject: (error: Error) => void;
  onProgress?: (done: number) => void;
}

/** One worker thread and its outstanding requests. */
class EmbedWorker {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  private constructor(
    private readonly worker: Worker,
    readonly info: EmbeddingModel["info"],
  ) {
    worker.on("message", (reply: WorkerReply) => this.receive(reply));
    worker.on("error", (error) => this.failAll(error));
    worker.on("exit", (code) => this.failAll(new Error(`embedding worker exited (code ${code})`)));
    worker.unref();
  }

  static start(setup: WorkerSetup): Promise<EmbedWorker> {
    // the worker runs TypeScript through tsx, as bin/shiftlab.js does
    const file = path.join(projectRoot(), "src", "embedding", "embed_worker.ts");
    const code = `require(${JSON.stringify(require.resolve("tsx/cjs"))}); require(${JSON.stringify(file)});`;
    const worker = new Worker(code, { eval: true, workerData: setup });
    return new Promise((resolve, reject) => {
      const onFirst = (reply: WorkerReply) => {
        worker.off("error", onError);
        if ("ready" in reply && reply.ready) resolve(new EmbedWorker(worker, reply.info));
        else {
          void worker.terminate();
          reject(
            new Error(
              `embedding worker could not load ${setup.ref ?? "the default model"}:\n${"error" in reply ? reply.error : ""}`,
            ),
          );
        }
      };
      const onError = (error: Error) => reject(error);
      worker.once("message", onFirst);
      worker.once("error", onError);
    });
  }

  request(message: WorkerRequestBody, onProgress?: (done: number) => void) {
    const id = this.nextId++;
    return new Promise<{ result: unknown; truncations?: TruncationNote[] }>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.ref(); // keep the process alive while an answer is due
      this.worker.postMessage({ ...message, id } as WorkerRequest);
    });
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private receive(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    if ("progress" in reply) return pending.onProgress?.(reply.progress);
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if ("error" in reply) pending.reject(new Error(reply.error));
    else if ("result" in reply) pending.resolve(reply);
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}

/**
 * Whether loadModel should return a worker pool: the engine is tfjs (asked for, or the default because onnxruntime cannot run
 * this model), the backend is wasm (one thread per model; GPU and native backends use their own threads), and more than one
 * thread is allowed (`threads`, else SHIFTLAB_THREADS, else every core).
 */
export async function useWorkerPool(
  modelType: string,
  backend: string,
  options: { engine?: string; threads?: number },
): Promise<boolean> {
  if (backend !== "wasm" || (options.threads ?? threadsSetting()) < 2) return false;
  const wanted = requestedEngine(options.engine);
  if (wanted === "onnxruntime") return false;
  return wanted === "tfjs" || loadOnnxRuntime().module === undefined || !hasOnnxGraph(modelType);
}

export interface WorkerPoolOptions {
  /** worker threads (default: SHIFTLAB_THREADS, else every core) */
  threads?: number;
  /** tfjs backend of every worker (default wasm) */
  backend?: string;
  maxLength?: number;
  /** the model's name in info (default: the worker's) */
  name?: string;
}

/** Loads `ref` in worker threads (each on `backend`, default wasm) and returns one model that splits work among them. */
export async function loadWorkerPoolModel(
  ref: string | undefined,
  options: WorkerPoolOptions = {},
): Promise<WorkerPoolModel> {
  const workers = options.threads ?? threadsSetting();
  if (!(Number.isInteger(workers) && workers >= 1))
    throw new Error(`loadWorkerPoolModel: threads must be a positive integer, got ${workers}`);
  const { dir } = await resolveModelRef(ref);
  const tokenizer = await loadTokenizer(dir, { maxLength: options.maxLength });
  const setup: WorkerSetup = { ref: dir, backend: options.backend ?? "wasm", maxLength: options.maxLength };
  const started = await Promise.allSettled(Array.from({ length: workers }, () => EmbedWorker.start(setup)));
  const ready = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failure = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) {
    await Promise.all(ready.map((w) => w.terminate()));
    throw failure.reason;
  }
  return new WorkerPoolModel(ready, (texts) => tokenizer.encodeBatch(texts).map((e) => e.originalLength), options.name);
}

export class WorkerPoolModel implements EmbeddingModel {
  readonly info: EmbeddingModel["info"];
  private truncations: TruncationNote[] = [];
  private disposed = false;

  constructor(
    private readonly workers: EmbedWorker[],
    private readonly count: (texts: string[]) => number[],
    name?: string,
  ) {
    const first = workers[0].info as EmbeddingModel["info"] & { engineDescription?: string };
    const threads = `${workers.length} worker thread${workers.length === 1 ? "" : "s"}`;
    this.info = {
      ...first,
      name: name ?? first.name,
      backend: `${first.backend} × ${threads}`,
      ...(first.engineDescription === undefined ? {} : { engineDescription: `tfjs (${first.backend} × ${threads})` }),
    } as EmbeddingModel["info"];
    bindModelMethods(this);
  }

  get lastTruncations(): TruncationNote[] {
    return this.truncations;
  }

  countTokens(texts: string[]): number[] {
    this.checkAlive();
    return this.count(texts);
  }

  async embed(texts: string[], options: EmbedOptions = {}): Promise<Matrix> {
    this.checkAlive();
    const { onProgress, ...rest } = options;
    const shares = this.shares(texts);
    const done = shares.map(() => 0);
    const replies = await Promise.all(
      shares.map((indices, w) =>
        this.workers[w].request({ method: "embed", texts: indices.map((i) => texts[i]), options: rest }, (n) => {
          done[w] = n;
          onProgress?.(
            done.reduce((a, b) => a + b, 0),
            texts.length,
          );
        }),
      ),
    );
    const parts = replies.map((r) => r.result as Matrix);
    this.truncations = this.gatherTruncations(shares, replies);
    return gatherRows(shares, parts, texts.length);
  }

  /** TransformerEmbeddingModel.embedLayerSets, split the same way (used by the pooling ablation). */
  async embedLayerSets(
    texts: string[],
    layerSets: number[][],
    modes: PoolingMode[],
    batchSize?: number,
  ): Promise<Map<string, Matrix>> {
    this.checkAlive();
    const shares = this.shares(texts);
    const replies = await Promise.all(
      shares.map((indices, w) =>
        this.workers[w].request({
          method: "embedLayerSets",
          texts: indices.map((i) => texts[i]),
          layerSets,
          modes,
          batchSize,
        }),
      ),
    );
    const maps = replies.map((r) => new Map(r.result as [string, Matrix][]));
    this.truncations = this.gatherTruncations(shares, replies);
    const keys = [...maps[0].keys()];
    return new Map(
      keys.map((key) => [
        key,
        gatherRows(
          shares,
          maps.map((m) => m.get(key)!),
          texts.length,
        ),
      ]),
    );
  }

  async tokenStates(
    text: string,
    options: { layer?: number; attentionTemperature?: number } = {},
  ): Promise<TokenStates> {
    this.checkAlive();
    return (await this.workers[0].request({ method: "tokenStates", text, options })).result as TokenStates;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const w of this.workers) void w.terminate();
  }

  /** text indices per worker (each share in input order); a small call goes to one worker */
  private shares(texts: string[]): number[][] {
    const n = Math.min(this.workers.length, Math.max(1, Math.floor(texts.length / MIN_TEXTS_PER_WORKER)));
    // characters stand in for word pieces: the workers tokenise anyway, so the main thread does not tokenise every text twice
    const lengths = texts.map((t) => t.length);
    const shares: number[][] = Array.from({ length: n }, () => []);
    const load = new Array<number>(n).fill(0);
    const longestFirst = lengths.map((_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
    for (const i of longestFirst) {
      const w = load.indexOf(Math.min(...load));
      shares[w].push(i);
      load[w] += lengths[i];
    }
    return shares.map((s) => s.sort((a, b) => a - b));
  }

  private gatherTruncations(shares: number[][], replies: { truncations?: TruncationNote[] }[]): TruncationNote[] {
    return replies
      .flatMap((r, w) => (r.truncations ?? []).map((t) => ({ ...t, index: shares[w][t.index] })))
      .sort((a, b) => a.index - b.index);
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error(`${this.info.name}: this model was disposed`);
  }
}

/** Rows of each worker's part put back at their texts' places. */
function gatherRows(shares: number[][], parts: Matrix[], rows: number): Matrix {
  const cols = parts[0].cols;
  const data = new Float32Array(rows * cols);
  shares.forEach((indices, w) =>
    indices.forEach((textIndex, r) => data.set(parts[w].data.subarray(r * cols, (r + 1) * cols), textIndex * cols)),
  );
  return { rows, cols, data };
}
