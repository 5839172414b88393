/**
 * The worker side of the worker-pool model (worker_pool_model.ts): one worker thread holds one whole model (tokenizer and
 * weights on its own single-threaded backend) and answers the main thread's requests one at a time. Started through
 * `startEmbedWorker` in worker_pool_model.ts; every message is a WorkerRequest, every answer a WorkerReply.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Matrix } from "../matrix";
import type { EmbeddingModel, EmbedOptions } from "./model";
import type { PoolingMode } from "./pooling_modes";

/** what the main thread asks for (a request is this with its id) */
export type WorkerRequestBody =
  | { method: "embed"; texts: string[]; options: Omit<EmbedOptions, "onProgress"> }
  | { method: "embedLayerSets"; texts: string[]; layerSets: number[][]; modes: PoolingMode[]; batchSize?: number }
  | { method: "tokenStates"; text: string; options: { layer?: number; attentionTemperature?: number } };

export type WorkerRequest = WorkerRequestBody & { id: number };

export type WorkerReply =
  | { id: -1; ready: true; info: EmbeddingModel["info"] }
  | { id: -1; ready: false; error: string }
  | { id: number; progress: number }
  | { id: number; result: unknown; truncations?: EmbeddingModel["lastTruncations"] }
  | { id: number; error: string };

export interface WorkerSetup {
  ref?: string;
  backend?: string;
  maxLength?: number;
}

type LayerSetModel = EmbeddingModel & {
  embedLayerSets(
    texts: string[],
    sets: number[][],
    modes: PoolingMode[],
    batchSize?: number,
  ): Promise<Map<string, Matrix>>;
};

async function serve(): Promise<void> {
  const port = parentPort!;
  const setup = workerData as WorkerSetup;
  let model: LayerSetModel;
  try {
    // required here, not imported at the top: the main thread loads this file's types only (a CommonJS require, because the
    // worker runs through tsx's CommonJS hook, which does not see dynamic import())
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadModel } = require("./load_model") as typeof import("./load_model");
    model = (await loadModel(setup.ref, {
      backend: setup.backend,
      maxLength: setup.maxLength,
      engine: "tfjs",
      threads: 1,
    })) as LayerSetModel;
  } catch (error) {
    port.postMessage({ id: -1, ready: false, error: describe(error) } satisfies WorkerReply);
    return;
  }
  port.postMessage({ id: -1, ready: true, info: model.info } satisfies WorkerReply);
  // one request at a time, in arrival order: the backend is single-threaded anyway
  let queue = Promise.resolve();
  port.on("message", (request: WorkerRequest) => {
    queue = queue.then(() => answer(model, request, port));
  });
}

async function answer(
  model: LayerSetModel,
  request: WorkerRequest,
  port: NonNullable<typeof parentPort>,
): Promise<void> {
  try {
    if (request.method === "embed") {
      const matrix = await model.embed(request.texts, {
        ...request.options,
        onProgress: (done) => port.postMessage({ id: request.id, progress: done } satisfies WorkerReply),
      });
      const reply: WorkerReply = { id: request.id, result: matrix, truncations: model.lastTruncations };
      port.postMessage(reply, [ownBuffer(matrix)]);
    } else if (request.method === "embedLayerSets") {
      const sets = await model.embedLayerSets(request.texts, request.layerSets, request.modes, request.batchSize);
      const entries = [...sets];
      const reply: WorkerReply = { id: request.id, result: entries, truncations: model.lastTruncations };
      port.postMessage(
        reply,
        entries.map(([, m]) => ownBuffer(m)),
      );
    } else {
      const states = await model.tokenStates(request.text, request.options);
      port.postMessage({ id: request.id, result: states } satisfies WorkerReply);
    }
  } catch (error) {
    port.postMessage({ id: request.id, error: describe(error) } satisfies WorkerReply);
  }
}

/** The matrix's buffer, to transfer; copied first when the data is a view into a larger buffer. */
function ownBuffer(m: Matrix): ArrayBuffer {
  if (m.data.byteOffset !== 0 || m.data.byteLength !== m.data.buffer.byteLength) m.data = m.data.slice();
  return m.data.buffer as ArrayBuffer;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

if (parentPort) void serve();
