/**
 * `npm run bench:memory`: does a long embedding run hold on to memory? Embeds --texts single sentences (held-out arXiv
 * sentences, then April-2007 arXiv sentences, cycled when more are asked for) in calls of --chunk texts, as a notebook or the
 * cache would, keeping none of the results, and samples the process's RSS after every batch. Prints RSS, the JS heap,
 * external/array-buffer memory, the wasm heap (tfjs wasm) and tf.memory()'s live tensors at 1k, 2k, 5k, 10k, 15k and 20k texts,
 * and the growth after warm-up (from 2k texts to the end). No embedding cache is involved: loadModel's embed never reads or
 * writes it (only withEmbeddingCache does). With --expose-gc (as the npm script runs it) a full GC runs before each checkpoint,
 * so what remains is what is still referenced. Prints numbers; asserts nothing. Every per-chunk row: output/bench/memory-<engine>.tsv.
 *
 *   npm run bench:memory -- [--model REF] [--texts 20000] [--chunk 1000] [--batch-size 32] [--engine tfjs|onnxruntime]
 *                           [--backend NAME] [--threads N]
 *
 * Engine, backend and threads default as loadModel's do. tf.memory() counts this thread's tensors only: with tfjs on wasm and
 * more than one thread the lab runs worker threads (worker_pool_model.ts) whose tensors it cannot see; --threads 1 keeps the
 * model in this thread.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { loadModel, type EncoderModelInfo, type LoadModelOptions } from "../src/index";
import { intFlag, parseArgs, rejectPositionals, rejectUnknownFlags, stringFlag } from "../src/cli/args";
import { benchDir, cycledSentences, errorMessage, machineLine, mib, peakRssMib } from "./bench_texts";
import type { EngineName } from "./engine_run";

const CHECKPOINTS = [1000, 2000, 5000, 10000, 15000, 20000];
const WARM_UP_TEXTS = 2000;

interface Sample {
  texts: number;
  seconds: number;
  rss: number;
  /** the largest RSS seen after any batch of this chunk */
  batchPeakRss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** the wasm backend's linear memory (it only grows), or NaN on other backends */
  wasmHeap: number;
  numTensors: number;
  tfBytes: number;
}

function wasmHeapBytes(): number {
  try {
    const backend = tf.backend() as { wasm?: { HEAPU8?: Uint8Array } };
    return backend.wasm?.HEAPU8?.byteLength ?? NaN;
  } catch {
    return NaN;
  }
}

function sample(texts: number, seconds: number, batchPeakRss: number): Sample {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const usage = process.memoryUsage();
  const memory = tf.memory();
  return {
    texts,
    seconds,
    rss: usage.rss,
    batchPeakRss,
    heapUsed: usage.heapUsed,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
    wasmHeap: wasmHeapBytes(),
    numTensors: memory.numTensors,
    tfBytes: memory.numBytes,
  };
}

const m = (bytes: number) => (Number.isNaN(bytes) ? "-" : mib(bytes).toFixed(1));

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  rejectUnknownFlags(args, ["model", "texts", "chunk", "batch-size", "engine", "backend", "threads"], "bench:memory");
  rejectPositionals(args, "bench:memory");
  const count = intFlag(args, "texts") ?? 20000;
  const chunk = intFlag(args, "chunk") ?? 1000;
  const batchSize = intFlag(args, "batch-size") ?? 32;
  const engine = stringFlag(args, "engine");
  const options: LoadModelOptions & { engine?: EngineName; threads?: number } = {
    backend: stringFlag(args, "backend"),
    threads: intFlag(args, "threads"),
  };
  if (engine !== undefined) options.engine = engine as EngineName;
  const { texts, distinct } = cycledSentences(count);

  const start = sample(0, 0, process.memoryUsage.rss());
  const model = await loadModel(stringFlag(args, "model"), options);
  const info = model.info as EncoderModelInfo & { engine?: string };
  if (engine !== undefined && (info.engine ?? "tfjs") !== engine)
    throw new Error(
      `asked for engine ${engine}, but model.info.engine is ${info.engine ?? "absent (this checkout's loadModel has no engine option yet)"}`,
    );
  const tokens = model.countTokens(texts).reduce((a, n) => a + Math.min(n, info.maxLength), 0);
  console.log(
    `bench:memory: model ${info.name} on engine ${info.engine ?? "tfjs"}, backend ${info.backend}; ${count} sentences ` +
      `(${distinct} distinct, held-out arXiv then arXiv 2007, cycled), ${tokens} real tokens; calls of ${chunk} texts, ` +
      `batch ${batchSize}; ${(globalThis as { gc?: unknown }).gc ? "full GC before each sample" : "no --expose-gc: no GC forced"}` +
      (info.backend.includes("worker") ? "; tensors: this thread's only (the workers' are not counted)" : ""),
  );
  console.log(`machine: ${machineLine()} at start`);
  const afterLoad = sample(0, 0, process.memoryUsage.rss());
  console.log(
    `RSS before loading ${m(start.rss)} MiB, after loading ${m(afterLoad.rss)} MiB; tensors after loading ${afterLoad.numTensors} (${m(afterLoad.tfBytes)} MiB)`,
  );

  const samples: Sample[] = [];
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  let done = 0;
  while (done < count) {
    const part = texts.slice(done, Math.min(count, done + chunk));
    let batchPeak = 0;
    await model.embed(part, {
      batchSize,
      onProgress: () => {
        batchPeak = Math.max(batchPeak, process.memoryUsage.rss());
      },
    });
    done += part.length;
    const s = sample(done, seconds(), batchPeak);
    samples.push(s);
    process.stderr.write(
      `bench:memory: ${done}/${count} texts, ${s.seconds.toFixed(0)} s, RSS ${m(s.rss)} MiB, ${s.numTensors} tensors\n`,
    );
  }
  const elapsed = seconds();
  model.dispose();
  const afterDispose = sample(count, elapsed, 0);

  const header = "texts   RSS MiB  batch-peak RSS  heapUsed  external  arrayBuffers  wasm heap  tensors  tf MiB";
  const row = (s: Sample) =>
    [
      String(s.texts).padStart(5),
      m(s.rss).padStart(9),
      m(s.batchPeakRss).padStart(15),
      m(s.heapUsed).padStart(9),
      m(s.external).padStart(9),
      m(s.arrayBuffers).padStart(13),
      m(s.wasmHeap).padStart(10),
      String(s.numTensors).padStart(8),
      m(s.tfBytes).padStart(7),
    ].join(" ");
  console.log("");
  console.log(header);
  for (const checkpoint of CHECKPOINTS.filter((c) => c <= count)) {
    const s = samples.find((x) => x.texts >= checkpoint);
    if (s !== undefined) console.log(row(s));
  }
  if (!CHECKPOINTS.includes(count)) console.log(row(samples[samples.length - 1]));
  console.log(
    `after dispose: RSS ${m(afterDispose.rss)} MiB, ${afterDispose.numTensors} tensors (${m(afterDispose.tfBytes)} MiB)`,
  );

  const warm = samples.find((x) => x.texts >= Math.min(WARM_UP_TEXTS, count)) ?? samples[0];
  const last = samples[samples.length - 1];
  const per1k = (a: number, b: number) =>
    last.texts === warm.texts ? NaN : ((b - a) / (last.texts - warm.texts)) * 1000;
  console.log(
    `growth after warm-up (${warm.texts} → ${last.texts} texts): RSS ${(mib(last.rss - warm.rss) >= 0 ? "+" : "") + m(last.rss - warm.rss)} MiB ` +
      `(${mib(per1k(warm.rss, last.rss)).toFixed(2)} MiB per 1k texts), heapUsed ${m(last.heapUsed - warm.heapUsed)} MiB, ` +
      `external ${m(last.external - warm.external)} MiB, wasm heap ${m(last.wasmHeap - warm.wasmHeap)} MiB, ` +
      `tensors ${warm.numTensors} → ${last.numTensors}, tf bytes ${m(last.tfBytes - warm.tfBytes)} MiB; ` +
      `peak RSS (high-water) ${peakRssMib().toFixed(0)} MiB`,
  );
  console.log(
    `${count} texts, ${tokens} tokens in ${elapsed.toFixed(0)} s = ${(tokens / elapsed).toFixed(0)} real tokens/s`,
  );

  mkdirSync(benchDir(), { recursive: true });
  const file = path.join(benchDir(), `memory-${info.engine ?? "tfjs"}.tsv`);
  const keys = Object.keys(samples[0]) as (keyof Sample)[];
  writeFileSync(file, [keys.join("\t"), ...samples.map((s) => keys.map((k) => s[k]).join("\t"))].join("\n") + "\n");
  console.log(`every chunk: ${path.relative(process.cwd(), file)}`);
}

main().catch((error) => {
  console.error(`bench:memory: ${errorMessage(error)}`);
  process.exit(1);
});
