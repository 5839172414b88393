/**
 * `shiftlab retrieve`: runs BM25 or a dense model over a BEIR dataset and prints one JSON object with the metrics
 * (src/retrieval/ir_metrics.ts), the numbers of queries and documents and the seconds taken; --run-out writes a TREC run.
 */
import { writeFileSync } from "node:fs";
import { loadModel } from "../embedding/load_model";
import { parseEngineName, type EngineName } from "../encoders/states_engine";
import { isStaticWordModelRef, loadStaticWordModel } from "../encoders/static_word_model";
import { isPoolingMode, POOLING_MODES } from "../embedding/pooling_modes";
import { loadBeirDataset } from "../retrieval/beir_dataset";
import { BM25_DEFAULTS } from "../retrieval/bm25";
import { evaluateRun } from "../retrieval/ir_metrics";
import { describePostprocess, parsePostprocess, type PostprocessSpec } from "../retrieval/postprocess";
import { bm25Run, denseRun } from "../retrieval/retrieve";
import { formatRun, type Run } from "../retrieval/trec_files";
import { intFlag, parseArgs, rejectPositionals, rejectUnknownFlags, stringFlag } from "./args";

export const RETRIEVE_USAGE =
  "usage: shiftlab retrieve --dataset NAME|DIR [--split test] (--model REF [--pooling MODE] [--layer N] " +
  "[--postprocess none|center|whiten|remove-top:D] [--backend NAME] [--engine NAME] [--batch-size N] | --method bm25) [--top-k 100] [--run-out FILE]";

const FLAGS = [
  "dataset",
  "split",
  "model",
  "pooling",
  "layer",
  "postprocess",
  "backend",
  "engine",
  "batch-size",
  "method",
  "top-k",
  "run-out",
];
const DENSE_ONLY = ["pooling", "layer", "postprocess", "backend", "engine", "batch-size"];

interface RetrieveRequest {
  dataset: string;
  split: string;
  topK: number;
  runOut?: string;
  method: "bm25" | "dense";
  model?: string;
  pooling?: (typeof POOLING_MODES)[number];
  layer?: number;
  postprocess: PostprocessSpec;
  backend?: string;
  engine?: EngineName;
  batchSize?: number;
}

/** The request, or a usage error message. */
export function parseRetrieveArgs(argv: string[]): RetrieveRequest {
  const args = parseArgs(argv);
  rejectUnknownFlags(args, FLAGS, "retrieve");
  rejectPositionals(args, "retrieve");
  const dataset = stringFlag(args, "dataset");
  if (dataset === undefined) throw new Error("shiftlab retrieve: --dataset is required");
  const method = stringFlag(args, "method");
  const model = stringFlag(args, "model");
  if (method !== undefined && method !== "bm25")
    throw new Error(`shiftlab retrieve: --method must be bm25, got ${JSON.stringify(method)}`);
  if ((method === undefined) === (model === undefined))
    throw new Error("shiftlab retrieve: give exactly one of --model REF or --method bm25");
  if (method === "bm25") {
    const misplaced = DENSE_ONLY.find((f) => args.flags.has(f));
    if (misplaced) throw new Error(`shiftlab retrieve: --${misplaced} applies to --model, not to --method bm25`);
  }
  const pooling = stringFlag(args, "pooling");
  if (pooling !== undefined && !isPoolingMode(pooling))
    throw new Error(`--pooling must be one of ${POOLING_MODES.join(", ")}, got ${JSON.stringify(pooling)}`);
  const topK = intFlag(args, "top-k") ?? 100;
  if (topK < 1) throw new Error(`--top-k must be ≥ 1, got ${topK}`);
  return {
    dataset,
    split: stringFlag(args, "split") ?? "test",
    topK,
    runOut: stringFlag(args, "run-out"),
    method: method === "bm25" ? "bm25" : "dense",
    model,
    pooling: pooling as RetrieveRequest["pooling"],
    layer: intFlag(args, "layer"),
    postprocess: parsePostprocess(stringFlag(args, "postprocess") ?? "none"),
    backend: stringFlag(args, "backend"),
    engine: parseEngineName(stringFlag(args, "engine")),
    batchSize: intFlag(args, "batch-size"),
  };
}

export async function retrieveCommand(argv: string[]): Promise<number> {
  let request: RetrieveRequest;
  try {
    request = parseRetrieveArgs(argv);
  } catch (e) {
    console.error(`${(e as Error).message}\n${RETRIEVE_USAGE}`);
    return 2;
  }
  const started = Date.now();
  const dataset = loadBeirDataset(request.dataset, request.split);
  let run: Run;
  let settings: Record<string, unknown>;
  if (request.method === "bm25") {
    run = bm25Run(dataset, request.topK);
    settings = { method: "bm25", k1: BM25_DEFAULTS.k1, b: BM25_DEFAULTS.b };
  } else {
    // static word vectors (GloVe) are the lab's non-contextual baseline: `--model glove-twitter-25d-12k`
    const model = isStaticWordModelRef(request.model)
      ? await loadStaticWordModel(request.model)
      : await loadModel(request.model, { backend: request.backend, engine: request.engine });
    try {
      const embed = { pooling: request.pooling, layer: request.layer, batchSize: request.batchSize };
      run = await denseRun(model, dataset, { embed, postprocess: request.postprocess, topK: request.topK });
      settings = {
        method: "dense",
        model: model.info.name,
        pooling: request.pooling ?? model.info.defaultPooling,
        layer: request.layer ?? model.info.numLayers,
        postprocess: describePostprocess(request.postprocess),
        backend: model.info.backend,
        engine: (model.info as { engine?: string }).engine,
      };
    } finally {
      model.dispose();
    }
  }
  if (request.runOut !== undefined)
    writeFileSync(request.runOut, formatRun(run, request.method === "bm25" ? "shiftlab-bm25" : "shiftlab-dense"));
  const metrics = evaluateRun(dataset.qrels, run);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    JSON.stringify({
      dataset: dataset.name,
      split: dataset.split,
      ...settings,
      top_k: request.topK,
      ...metrics,
      documents: dataset.corpus.length,
      seconds,
    }),
  );
  return 0;
}
