/**
 * `npm run bench:engines`: the same mixed-length texts embedded by every engine × backend the lab has here, each in a fresh
 * process (bench/engine_run.ts, so peak RSS is per engine and thread settings apply from the start): tokens/s (real tokens,
 * never padding), texts/s, CPU cores kept busy, peak RSS, padding waste of the lab's length buckets, and the max |difference|
 * of each engine's embeddings from the first engine's (≤ 1e-4: "ok", else "EXCEEDS"). With a Python that has
 * sentence-transformers (--python PATH) it also runs bench/sentence_transformers_reference.py on the
 * same texts and checkpoint for each thread count and prints the speed ratio lab / sentence-transformers. Prints numbers;
 * asserts nothing. Progress goes to stderr.
 *
 *   npm run bench:engines -- [--model REF] [--texts 2000] [--engines LIST] [--threads 1,2] [--cpu-texts 100]
 *                            [--python PATH] [--batch-size 32] [--seed 2603]
 *
 * Texts: a seeded mix of whole held-out arXiv abstracts (a quarter) and single sentences of them (bench/bench_texts.ts),
 * written to output/bench/texts.jsonl for the Python reference. Engines: a comma-separated list of engine:backend[:threads].
 * An entry without ":threads" runs once per --threads count where threads mean something: onnxruntime:cpu (intra-op threads)
 * and tfjs:wasm (the lab's worker threads, each holding the model; 1 = in-process); the others run once. The default,
 *   tfjs:wasm,tfjs:cpu,tfjs:webgpu,onnxruntime:cpu,onnxruntime:webgpu
 * is every engine × backend the lab may have. tfjs:cpu (plain JavaScript) gets only the first --cpu-texts texts (0 = all). One that
 * cannot load prints "not available: <reason>". Throughput depends on what else the machine runs: the load average before
 * and after each run is printed with it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { resolveModelRef } from "../src/assets/model_ref";
import { intFlag, parseArgs, rejectPositionals, rejectUnknownFlags, stringFlag } from "../src/cli/args";
import { childEnvironment } from "../src/settings";
import {
  benchDir,
  DEFAULT_SEED,
  errorMessage,
  machineLine,
  maxAbsDifference,
  mixedArxivTexts,
  readFloat32,
  writeJsonl,
} from "./bench_texts";
import type { RunStats } from "./engine_run";
import type { Matrix } from "../src/matrix";

const TOLERANCE = 1e-4;
/** a child that runs longer than this is stopped and reported as failed */
const CHILD_TIMEOUT_MS = 60 * 60 * 1000;

interface EngineSpec {
  engine: string;
  backend: string;
  threads: number;
}

interface Row {
  label: string;
  spec: EngineSpec;
  stats: RunStats;
  embeddings?: Matrix;
}

function parseEngines(list: string, threadCounts: number[]): EngineSpec[] {
  return list
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .flatMap((item) => {
      const [engine, backend, threads, extra] = item.split(":");
      if (!engine || !backend || extra !== undefined)
        throw new Error(`--engines: "${item}" is not engine:backend[:threads], e.g. tfjs:wasm or onnxruntime:cpu:2`);
      if (threads === undefined) {
        // threads: onnxruntime's intra-op threads; tfjs wasm's worker threads (each holds the model); tfjs cpu/webgpu: one
        const counts =
          (engine === "onnxruntime" && backend === "cpu") || (engine === "tfjs" && backend === "wasm")
            ? threadCounts
            : [1];
        return counts.map((t) => ({ engine, backend, threads: t }));
      }
      const t = Number(threads);
      if (!Number.isInteger(t) || t <= 0) throw new Error(`--engines: "${item}": threads must be a positive integer`);
      return [{ engine, backend, threads: t }];
    });
}

function labelOf(spec: EngineSpec): string {
  return `${spec.engine}:${spec.backend}:${spec.threads}`;
}

/** The Python to run the sentence-transformers reference with (--python). */
function pythonPath(flag: string | undefined): string | undefined {
  const value = flag?.trim();
  return value ? value : undefined;
}

function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): { ok: boolean; why: string } {
  const result = spawnSync(command, args, { stdio: ["ignore", 2, 2], env, timeout: CHILD_TIMEOUT_MS });
  if (result.error !== undefined) return { ok: false, why: errorMessage(result.error) };
  if (result.signal !== null) return { ok: false, why: `killed by ${result.signal}` };
  if (result.status !== 0) return { ok: false, why: `exit code ${result.status}` };
  return { ok: true, why: "" };
}

function readStats(file: string): RunStats | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as RunStats) : undefined;
}

const fixed = (value: number | undefined, digits: number) => (value === undefined ? "-" : value.toFixed(digits));

function table(headers: string[], rows: string[][]): string {
  // a short row (an engine that did not run: label and reason) does not widen the columns
  const full = rows.filter((r) => r.length === headers.length);
  const widths = headers.map((h, c) => Math.max(h.length, ...full.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c])))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

function differenceCell(row: Row, reference: Row | undefined): string {
  if (row.embeddings === undefined || reference?.embeddings === undefined) return "-";
  if (row === reference) return "(reference)";
  const rows = Math.min(row.embeddings.rows, reference.embeddings.rows);
  const difference = maxAbsDifference(row.embeddings, reference.embeddings, rows);
  return `${difference.toExponential(1)} ${difference <= TOLERANCE ? "ok" : "EXCEEDS"}`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  rejectUnknownFlags(
    args,
    ["model", "texts", "engines", "threads", "cpu-texts", "python", "batch-size", "seed"],
    "bench:engines",
  );
  rejectPositionals(args, "bench:engines");
  const count = intFlag(args, "texts") ?? 2000;
  const seed = intFlag(args, "seed") ?? DEFAULT_SEED;
  const batchSize = intFlag(args, "batch-size") ?? 32;
  const cpuTexts = intFlag(args, "cpu-texts") ?? 100;
  const threadCounts = (stringFlag(args, "threads") ?? "1,2").split(",").map((t) => {
    const n = Number(t);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--threads: "${t}" is not a positive integer`);
    return n;
  });
  const specs = parseEngines(
    stringFlag(args, "engines") ?? "tfjs:wasm,tfjs:cpu,tfjs:webgpu,onnxruntime:cpu,onnxruntime:webgpu",
    threadCounts,
  );
  const modelRef = stringFlag(args, "model");
  const { name: modelName, dir: modelDir } = await resolveModelRef(modelRef);

  const texts = mixedArxivTexts(count, seed);
  const dir = benchDir();
  const textsFile = path.join(dir, "texts.jsonl");
  writeJsonl(textsFile, texts);
  const abstracts = texts.filter((t) => t.kind === "abstract").length;
  console.log(
    `bench:engines: model ${modelName} (${modelDir}); ${texts.length} texts = ${abstracts} held-out arXiv abstracts + ` +
      `${texts.length - abstracts} sentences of them (seed ${seed}, arxiv_ml_1000: held out from shiftlab-mini-encoder's ` +
      `training), written to ${path.relative(process.cwd(), textsFile)}; batch ${batchSize}`,
  );
  console.log(`machine: ${machineLine()} at start`);

  const rows: Row[] = [];
  /** engine → why this checkout's loadModel cannot run it at all (asked once, not per backend) */
  const missingEngine = new Map<string, string>();
  for (const spec of specs) {
    const label = labelOf(spec);
    const out = path.join(dir, "engines", label.replace(/:/g, "-"));
    rmSync(out, { recursive: true, force: true });
    const limit = spec.engine === "tfjs" && spec.backend === "cpu" && cpuTexts > 0 ? Math.min(cpuTexts, count) : count;
    const childArgs = [
      "--import",
      "tsx",
      path.join(__dirname, "engine_run.ts"),
      ...["--engine", spec.engine, "--backend", spec.backend, "--threads", String(spec.threads)],
      ...["--texts-file", textsFile, "--limit", String(limit), "--out", out, "--batch-size", String(batchSize)],
      ...(modelRef === undefined ? [] : ["--model", modelRef]),
    ];
    // for onnxruntime the "backend" is the execution provider (SHIFTLAB_ORT_PROVIDER)
    const env = childEnvironment({
      SHIFTLAB_ENGINE: spec.engine,
      SHIFTLAB_THREADS: String(spec.threads),
      ...(spec.engine === "onnxruntime" ? { SHIFTLAB_ORT_PROVIDER: spec.backend } : {}),
    });
    const missing = missingEngine.get(spec.engine);
    process.stderr.write(
      `bench:engines: ${label}: ${missing === undefined ? `${limit} texts, fresh process` : "skipped (engine missing)"}\n`,
    );
    const run = missing === undefined ? runChild(process.execPath, childArgs, env) : { ok: true, why: "" };
    const stats: RunStats = (missing === undefined ? readStats(path.join(out, "stats.json")) : undefined) ?? {
      ...spec,
      status: missing === undefined ? "failed" : "not available",
      reason: missing ?? (run.ok ? "wrote no stats.json" : run.why),
    };
    if (stats.status === "not available" && stats.reason?.includes("no engine option"))
      missingEngine.set(spec.engine, stats.reason);
    const row: Row = { label, spec, stats };
    if (stats.status === "ok" && stats.texts !== undefined && stats.cols !== undefined)
      row.embeddings = readFloat32(path.join(out, "embeddings.f32"), stats.texts, stats.cols);
    rows.push(row);
  }

  const reference =
    rows.find((r) => r.embeddings !== undefined && r.embeddings.rows === count) ?? rows.find((r) => r.embeddings);
  console.log("");
  console.log(
    table(
      [
        "engine:backend:threads",
        "texts",
        "tokens",
        "tokens/s",
        "texts/s",
        "cores busy",
        "peak RSS MiB",
        "padding",
        "load avg before→after",
        `max|Δ| vs ${reference?.label ?? "-"}`,
      ],
      rows.map((row) => {
        const s = row.stats;
        if (s.status !== "ok") return [row.label, `${s.status}: ${s.reason ?? ""}`];
        return [
          row.label,
          String(s.texts),
          String(s.realTokens),
          fixed(s.tokensPerSecond, 0),
          fixed(s.textsPerSecond, 1),
          fixed(s.cpuCores, 2),
          fixed(s.peakRssMib, 0),
          fixed(s.padding, 3),
          `${fixed(s.loadAverageBefore?.[0], 2)}→${fixed(s.loadAverageAfter?.[0], 2)}`,
          differenceCell(row, reference),
        ];
      }),
    ),
  );
  const anyOk = rows.find((r) => r.stats.status === "ok");
  if (anyOk !== undefined)
    console.log(
      `padding waste (padded positions / all positions) at batch ${batchSize}: lab's length buckets ${fixed(anyOk.stats.padding, 3)}, ` +
        `batches in input order ${fixed(anyOk.stats.paddingInputOrder, 3)} (${anyOk.label}'s ${anyOk.stats.texts} texts); ` +
        `tokens/s counts real word pieces only (special tokens included), tokenisation included; ` +
        `peak RSS = the child process's high-water mark (load + warm-up + run)`,
    );
  for (const row of rows.filter((r) => r.stats.status === "ok" && r.stats.texts !== count))
    console.log(
      `${row.label} ran on the first ${row.stats.texts} of the ${count} texts (--cpu-texts); its Δ is over those`,
    );

  // The sentence-transformers reference
  const python = pythonPath(stringFlag(args, "python"));
  const script = path.join(__dirname, "sentence_transformers_reference.py");
  const stDir = path.join(dir, "sentence-transformers");
  const command = (py: string) =>
    `${py} ${path.relative(process.cwd(), script)} --model ${modelDir} --texts ${path.relative(process.cwd(), textsFile)} ` +
    `--threads ${threadCounts.join(",")} --batch-size ${batchSize} --out ${path.relative(process.cwd(), stDir)}`;
  console.log("");
  if (python === undefined) {
    console.log(
      `sentence-transformers reference: not run (give --python PATH, a Python with ` +
        `sentence-transformers). To run it on these texts:\n  ${command("PYTHON")}`,
    );
    return;
  }
  const stRows: Row[] = [];
  for (const threads of threadCounts) {
    const label = `sentence-transformers:torch-cpu:${threads}`;
    rmSync(path.join(stDir, `st-t${threads}.json`), { force: true });
    process.stderr.write(
      `bench:engines: ${label} (fresh process): ${command(python).replace(/--threads \S+/, `--threads ${threads}`)}\n`,
    );
    const run = runChild(
      python,
      [
        script,
        ...["--model", modelDir, "--texts", textsFile, "--threads", String(threads)],
        ...["--batch-size", String(batchSize), "--out", stDir],
      ],
      childEnvironment(),
    );
    const stats: RunStats = readStats(path.join(stDir, `st-t${threads}.json`)) ?? {
      engine: "sentence-transformers",
      backend: "torch-cpu",
      threads,
      status: "failed",
      reason: `${run.ok ? "wrote no stats" : run.why} (does ${python} have sentence_transformers? see the lines above)`,
    };
    const row: Row = { label, spec: { engine: "sentence-transformers", backend: "torch-cpu", threads }, stats };
    if (stats.status === "ok" && stats.texts !== undefined && stats.cols !== undefined)
      row.embeddings = readFloat32(path.join(stDir, `st-t${threads}.f32`), stats.texts, stats.cols);
    stRows.push(row);
  }
  // lab engines on the CPU that embedded every text: the ones a thread-for-thread speed comparison makes sense for
  const labOk = rows.filter(
    (r) =>
      r.stats.status === "ok" && r.stats.texts === count && (r.spec.backend === "cpu" || r.spec.backend === "wasm"),
  );
  const firstSt = stRows.find((r) => r.stats.status === "ok");
  console.log(
    `sentence-transformers ${(firstSt?.stats as { sentenceTransformers?: string } | undefined)?.sentenceTransformers ?? "?"}, ` +
      `torch ${(firstSt?.stats as { torch?: string } | undefined)?.torch ?? "?"} on the CPU, batch ${batchSize}, ` +
      `its own length sort (padding ${fixed(firstSt?.stats.padding, 3)}); a fresh process per thread count`,
  );
  console.log(
    table(
      [
        "reference:threads",
        "tokens",
        "tokens/s",
        "texts/s",
        "cores busy",
        "peak RSS MiB",
        "load avg before→after",
        `max|Δ| vs ${reference?.label ?? "-"}`,
        ...labOk.map((r) => `${r.label} / ST`),
      ],
      stRows.map((row) => {
        const s = row.stats;
        if (s.status !== "ok") return [row.label, `${s.status}: ${s.reason ?? ""}`];
        return [
          row.label,
          String(s.realTokens),
          fixed(s.tokensPerSecond, 0),
          fixed(s.textsPerSecond, 1),
          fixed(s.cpuCores, 2),
          fixed(s.peakRssMib, 0),
          `${fixed(s.loadAverageBefore?.[0], 2)}→${fixed(s.loadAverageAfter?.[0], 2)}`,
          differenceCell(row, reference),
          ...labOk.map((r) => fixed((r.stats.tokensPerSecond ?? NaN) / (s.tokensPerSecond ?? NaN), 2)),
        ];
      }),
    ),
  );
  const mismatched = stRows.filter(
    (r) => r.stats.status === "ok" && labOk.length > 0 && r.stats.realTokens !== labOk[0].stats.realTokens,
  );
  if (mismatched.length > 0)
    console.log(
      `note: sentence-transformers counted ${mismatched[0].stats.realTokens} tokens, the lab ${labOk[0].stats.realTokens}: ` +
        `the tokenisers differ on these texts`,
    );
  console.log(
    `lab / ST = the lab engine's tokens/s over sentence-transformers' with the thread count in each name (compare like with like)`,
  );
}

main().catch((error) => {
  console.error(`bench:engines: ${errorMessage(error)}`);
  process.exit(1);
});
