/**
 * One engine of `npm run bench:engines`, in a process of its own (so its peak RSS is its own and SHIFTLAB_THREADS applies from
 * the start): loads the model with the asked engine and backend, embeds the texts of a JSONL file once to warm up (first batch)
 * and once timed, and writes <out>/embeddings.f32 (float32 rows) and <out>/stats.json. An engine or backend that cannot load
 * here is reported as { status: "not available", reason } with exit code 0; an error after loading as { status: "failed" }.
 * Progress goes to stderr. bench/engines.ts starts it; by hand:
 *
 *   tsx bench/engine_run.ts --engine tfjs|onnxruntime --backend wasm|cpu|webgpu --threads N --texts-file F --out DIR
 *                           [--model REF] [--limit N] [--batch-size 32]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadModel, type EncoderModelInfo, type LoadModelOptions } from "../src/index";
import type { EmbeddingModel } from "../src/embedding/model";
import { describeBackend } from "../src/backend/select";
import { intFlag, parseArgs, rejectPositionals, rejectUnknownFlags, stringFlag } from "../src/cli/args";
import { paddingFraction, planInInputOrder, planLengthBuckets } from "../src/encoders/batching";
import { errorMessage, peakRssMib, readTextsJsonl, writeFloat32 } from "./bench_texts";

/** The engines of the lab's loadModel contract (`engine` option and `model.info.engine`). */
export const ENGINES = ["tfjs", "onnxruntime"] as const;
export type EngineName = (typeof ENGINES)[number];

export interface RunStats {
  engine: string;
  backend: string;
  threads: number;
  status: "ok" | "not available" | "failed";
  reason?: string;
  /** what the model reports having loaded: info.engine (absent before the engine option existed) and info.backend */
  loadedEngine?: string;
  loadedBackend?: string;
  backendDescription?: string;
  /** the engine's own description from model.info, e.g. "onnxruntime (cpu, 2 threads)" */
  engineDescription?: string;
  model?: string;
  texts?: number;
  cols?: number;
  /** word pieces actually encoded (special tokens included, after truncation to maxLength): no padding */
  realTokens?: number;
  /** padded positions / all positions, for the lab's length-bucketed plan and for batches in input order */
  padding?: number;
  paddingInputOrder?: number;
  batchSize?: number;
  loadSeconds?: number;
  seconds?: number;
  tokensPerSecond?: number;
  textsPerSecond?: number;
  /** CPU time (user + system) over wall time during the timed run: how many cores it kept busy */
  cpuCores?: number;
  /** the kernel's high-water mark for the whole process (load, warm-up and run) */
  peakRssMib?: number;
  /** the largest RSS seen after a batch of the timed run */
  sampledPeakRssMib?: number;
  rssAfterLoadMib?: number;
  loadAverageBefore?: number[];
  loadAverageAfter?: number[];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  rejectUnknownFlags(
    args,
    ["engine", "backend", "threads", "model", "texts-file", "limit", "out", "batch-size"],
    "bench/engine_run",
  );
  rejectPositionals(args, "bench/engine_run");
  const engine = stringFlag(args, "engine") ?? "tfjs";
  const backend = stringFlag(args, "backend") ?? "wasm";
  const threads = intFlag(args, "threads") ?? 1;
  const textsFile = required(stringFlag(args, "texts-file"), "--texts-file");
  const out = required(stringFlag(args, "out"), "--out");
  const batchSize = intFlag(args, "batch-size") ?? 32;
  const all = readTextsJsonl(textsFile);
  const texts = all.slice(0, intFlag(args, "limit") ?? all.length);
  const label = `${engine}:${backend}:${threads}`;
  mkdirSync(out, { recursive: true });
  const stats: RunStats = { engine, backend, threads, status: "ok", texts: texts.length, batchSize };
  const finish = (status: RunStats["status"], reason?: string) => {
    Object.assign(stats, { status, reason, peakRssMib: peakRssMib() });
    writeFileSync(path.join(out, "stats.json"), JSON.stringify(stats, null, 2) + "\n");
    if (reason !== undefined) process.stderr.write(`engine_run ${label}: ${status}: ${reason}\n`);
  };

  if (!(ENGINES as readonly string[]).includes(engine))
    return finish("not available", `unknown engine "${engine}" (known: ${ENGINES.join(", ")})`);
  if (engine === "tfjs" && backend !== "wasm" && threads !== 1)
    return finish("not available", `tfjs ${backend} runs in one thread (the lab's worker threads are for wasm only)`);

  // LoadModelOptions.engine and .threads are the lab's contract (threads: onnxruntime's intra-op threads, or tfjs-wasm worker
  // threads); SHIFTLAB_THREADS is set too by bench/engines.ts. A checkout without the engine option is caught below.
  // For tfjs, --backend is the tfjs backend. For onnxruntime it is the execution provider, checked against what the engine
  // reports; the tfjs backend around it (pooling, normalisation) is left to the lab's default.
  const options: LoadModelOptions & { engine?: EngineName; threads?: number } =
    engine === "tfjs" ? { backend, engine, threads } : { engine: engine as EngineName, threads };
  let model: EmbeddingModel;
  const loadStarted = process.hrtime.bigint();
  try {
    model = await loadModel(stringFlag(args, "model"), options);
  } catch (error) {
    return finish("not available", errorMessage(error).split("\n")[0]);
  }
  stats.loadSeconds = Number(process.hrtime.bigint() - loadStarted) / 1e9;
  const info = model.info as EncoderModelInfo & { engine?: string };
  const described = engineDescription(info);
  Object.assign(stats, {
    loadedEngine: info.engine,
    loadedBackend: info.backend,
    engineDescription: described?.text,
    model: info.name,
  });
  const refuse = (reason: string) => {
    model.dispose();
    finish("not available", reason);
  };
  if ((info.engine ?? "tfjs") !== engine)
    return refuse(
      info.engine === undefined
        ? `this checkout's loadModel has no engine option yet (model.info.engine is absent; it loaded tfjs)`
        : `asked for engine ${engine}, loadModel gave ${info.engine}`,
    );
  if (engine === "tfjs") {
    // "wasm" in one thread, "wasm × 2 worker threads" for the lab's worker pool
    const [loadedBackend, pool] = info.backend.split(" × ");
    const workers = pool === undefined ? 1 : Number(/^(\d+)/.exec(pool)?.[1]);
    if (loadedBackend !== backend)
      return refuse(`asked for tfjs backend ${backend}, the model loaded on ${info.backend}`);
    if (workers !== threads)
      return refuse(
        `asked for ${threads} threads, the model runs ${info.backend} (this checkout has no tfjs worker threads?)`,
      );
  }
  if (engine !== "tfjs") {
    if (described === undefined)
      return refuse(`model.info names no execution provider (no "${engine} (provider, N threads)" description)`);
    if (described.provider !== backend)
      return refuse(`the lab's ${engine} engine runs on the ${described.provider} execution provider, not ${backend}`);
    if (described.threads !== undefined && described.threads !== threads)
      return refuse(`asked for ${threads} threads (SHIFTLAB_THREADS), the engine reports ${described.threads}`);
  }
  stats.backendDescription =
    engine === "tfjs" ? `${info.backend}: ${describeBackend()}` : `${described?.text} + tfjs ${info.backend}`;
  stats.rssAfterLoadMib = process.memoryUsage.rss() / 2 ** 20;

  try {
    const lengths = model.countTokens(texts).map((n) => Math.min(n, info.maxLength));
    stats.realTokens = lengths.reduce((a, b) => a + b, 0);
    stats.padding = paddingFraction(lengths, planLengthBuckets(lengths, batchSize));
    stats.paddingInputOrder = paddingFraction(lengths, planInInputOrder(lengths, batchSize));
    process.stderr.write(`engine_run ${label}: warm-up (${Math.min(batchSize, texts.length)} texts)\n`);
    await model.embed(texts.slice(0, batchSize), { batchSize, onProgress: () => undefined });

    let sampledPeak = 0;
    let lastPrint = Date.now();
    stats.loadAverageBefore = os.loadavg();
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    const embeddings = await model.embed(texts, {
      batchSize,
      onProgress: (done, total) => {
        sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
        if (Date.now() - lastPrint >= 10_000 || done === total) {
          lastPrint = Date.now();
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          process.stderr.write(`engine_run ${label}: ${done}/${total} texts, ${seconds.toFixed(1)} s\n`);
        }
      },
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    stats.loadAverageAfter = os.loadavg();
    writeFloat32(path.join(out, "embeddings.f32"), embeddings);
    Object.assign(stats, {
      cols: embeddings.cols,
      seconds,
      tokensPerSecond: stats.realTokens / seconds,
      textsPerSecond: texts.length / seconds,
      cpuCores: (cpu.user + cpu.system) / 1e6 / seconds,
      sampledPeakRssMib: sampledPeak / 2 ** 20,
    });
    model.dispose();
    finish("ok");
  } catch (error) {
    finish("failed", errorMessage(error).split("\n")[0]);
  }
}

/** The engine's own description ("onnxruntime (cpu, 2 threads)", "tfjs (wasm)") wherever model.info carries it. */
function engineDescription(info: object): { text: string; provider: string; threads?: number } | undefined {
  for (const value of Object.values(info)) {
    const match =
      typeof value === "string" ? /^(?:onnxruntime|tfjs) \(([^,)]+)(?:, (\d+) threads?)?\)/.exec(value) : null;
    if (match !== null)
      return { text: value, provider: match[1], threads: match[2] === undefined ? undefined : Number(match[2]) };
  }
  return undefined;
}

function required(value: string | undefined, name: string): string {
  if (value === undefined) throw new Error(`bench/engine_run: ${name} is required`);
  return value;
}

main().catch((error) => {
  console.error(`bench/engine_run: ${errorMessage(error)}`);
  process.exit(1);
});
