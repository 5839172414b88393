/**
 * `npm run bench`: encoder throughput of the default model (or SHIFTLAB_MODEL / --model REF) on the active engine and backend, and
 * how much padding length-bucketed batching saves on a realistic mixed-length batch. Prints numbers; asserts nothing.
 *
 *   npm run bench -- [--model REF] [--backend NAME] [--engine tfjs|onnxruntime] [--threads N] [--seconds S]
 *                    [--batch-sizes 8,32] [--lengths 32,128,512] [--no-mixed]
 *
 * --threads: the onnxruntime engine's threads (default SHIFTLAB_THREADS, else every core); --no-mixed skips the arXiv part.
 */
import { loadModel } from "../src/index";
import { booleanFlag, intFlag, parseArgs, rejectUnknownFlags, stringFlag } from "../src/cli/args";
import { parseEngineName } from "../src/encoders/states_engine";
import { loadCorpus } from "../src/text/corpora";
import { splitSentences } from "../src/text/sentences";
import { paddingFraction, planInInputOrder, planLengthBuckets } from "../src/encoders/batching";
import { seededRandom, shuffle } from "../src/util/random";

const BATCH_SIZES = [8, 32];
const SEQUENCE_LENGTHS = [32, 128, 512];

/** A text of exactly `tokens` word pieces with [CLS] and [SEP]: "the" is one word piece in BERT vocabularies. */
function textOfLength(tokens: number, variant: number): string {
  return `${variant} ` + Array.from({ length: tokens - 3 }, () => "the").join(" ");
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ["no-mixed"]);
  rejectUnknownFlags(
    args,
    ["model", "backend", "engine", "threads", "seconds", "batch-sizes", "lengths", "no-mixed"],
    "bench",
  );
  const minSeconds = Number(stringFlag(args, "seconds") ?? "3");
  const list = (name: string, fallback: number[]) =>
    stringFlag(args, name)
      ?.split(",")
      .map((s) => Number(s.trim())) ?? fallback;
  const batchSizes = list("batch-sizes", BATCH_SIZES);
  const sequenceLengths = list("lengths", SEQUENCE_LENGTHS);
  const model = await loadModel(stringFlag(args, "model") ?? process.env.SHIFTLAB_MODEL, {
    backend: stringFlag(args, "backend"),
    engine: parseEngineName(stringFlag(args, "engine")),
    threads: intFlag(args, "threads"),
  });
  const { info } = model;
  const engine = (info as { engineDescription?: string }).engineDescription ?? "tfjs";
  console.log(
    `model ${info.name} (${info.architecture}, ${info.numLayers} layers, hidden ${info.hiddenSize}) on ${engine}, backend ${info.backend}`,
  );
  console.log("batch  seq_len  tokens/s   ms/batch  repeats");
  for (const batchSize of batchSizes) {
    for (const length of sequenceLengths.filter((l) => l <= info.maxLength)) {
      const texts = Array.from({ length: batchSize }, (_, i) => textOfLength(length, i));
      const counted = model.countTokens(texts);
      if (counted.some((n) => n !== length))
        throw new Error(`bench texts have ${counted[0]} word pieces, wanted ${length}`);
      await model.embed(texts, { batchSize }); // warm-up: kernels compiled, weights uploaded
      let repeats = 0;
      const started = process.hrtime.bigint();
      let elapsed = 0;
      do {
        await model.embed(texts, { batchSize });
        repeats++;
        elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      } while (elapsed < minSeconds && repeats < 50);
      const tokensPerSecond = (repeats * batchSize * length) / elapsed;
      console.log(
        `${String(batchSize).padStart(5)}  ${String(length).padStart(7)}  ${tokensPerSecond.toFixed(0).padStart(8)}  ${((elapsed / repeats) * 1000).toFixed(1).padStart(9)}  ${String(repeats).padStart(7)}`,
      );
    }
  }

  if (booleanFlag(args, "no-mixed")) {
    model.dispose();
    return;
  }
  // A realistic mixed batch: held-out arXiv abstracts and single sentences from them, shuffled together.
  const abstracts = loadCorpus("arxiv", { limit: 256, seed: 1 }).map((d) => d.text);
  const sentences = abstracts.flatMap((a) => splitSentences(a)).slice(0, 768);
  const mixed = shuffle([...abstracts, ...sentences], seededRandom(7));
  const lengths = model.countTokens(mixed).map((n) => Math.min(n, info.maxLength));
  for (const batchSize of BATCH_SIZES) {
    const naive = paddingFraction(lengths, planInInputOrder(lengths, batchSize));
    const bucketed = paddingFraction(lengths, planLengthBuckets(lengths, batchSize));
    console.log(
      `padding fraction, ${mixed.length} mixed arXiv abstracts + sentences, batch ${batchSize}: input order ${naive.toFixed(3)}, length-bucketed ${bucketed.toFixed(3)}`,
    );
  }
  const started = process.hrtime.bigint();
  await model.embed(mixed, { batchSize: 32, onProgress: () => undefined });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const realTokens = lengths.reduce((a, b) => a + b, 0);
  console.log(
    `mixed batch end to end: ${mixed.length} texts, ${realTokens} tokens in ${seconds.toFixed(1)} s = ${(realTokens / seconds).toFixed(0)} real tokens/s`,
  );
  model.dispose();
}

main().catch((error) => {
  console.error(`bench: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
