/**
 * `shiftlab embed`: texts on stdin, one JSON array of numbers per input line on stdout, in input order.
 * A line is a JSON object with a string "text" field, or else taken as plain text (an empty line is the empty text).
 */
import { fstatSync } from "node:fs";
import { loadModel } from "../embedding/load_model";
import { isPoolingMode, POOLING_MODES, type PoolingMode } from "../embedding/pooling_modes";
import { parseEngineName } from "../encoders/states_engine";
import { JsonLinesError, parseJsonLines } from "./json_lines";
import { booleanFlag, intFlag, parseArgs, rejectPositionals, rejectUnknownFlags, stringFlag } from "./args";

/**
 * Texts from stdin lines: a JSON object gives its "text" field; a line that starts like JSON but does not parse is an error
 * naming its line number (json_lines.ts); any other line is plain text (an empty line is the empty text).
 */
export function parseInputLines(input: string): string[] {
  return parseJsonLines(input, { plainText: true }).map((line) => {
    if (line.text !== undefined) return line.text;
    const text = (line.value as { text?: unknown } | null)?.text;
    if (typeof line.value !== "object" || Array.isArray(line.value) || typeof text !== "string") {
      throw new JsonLinesError(
        line.lineNumber,
        `JSON without a string "text" field: ${JSON.stringify(line.value).slice(0, 80)}`,
      );
    }
    return text;
  });
}

function poolingFlag(value: string | undefined): PoolingMode | undefined {
  if (value === undefined) return undefined;
  if (!isPoolingMode(value))
    throw new Error(`--pooling must be one of ${POOLING_MODES.join(", ")}, got ${JSON.stringify(value)}`);
  return value;
}

/** --attention-temperature T: TempScale's τ, a number > 0 (1 = the model as trained) */
function temperatureFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Number(value);
  if (value.trim() === "" || !Number.isFinite(t) || t <= 0)
    throw new Error(`--attention-temperature must be a number > 0, got ${JSON.stringify(value)}`);
  return t;
}

async function readStdin(): Promise<string> {
  if (fstatSync(0).isDirectory())
    throw new Error("could not read stdin (EISDIR: it is a directory); pipe a text file into shiftlab embed");
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  } catch (error) {
    throw new Error(`could not read stdin (${(error as Error).message}); pipe a text file into shiftlab embed`);
  }
  return decodeUtf8Text(Buffer.concat(chunks), "stdin");
}

/** The bytes as UTF-8 text, or an error that says why they are not: UTF-16, binary (NUL bytes), or invalid UTF-8 at a line. */
export function decodeUtf8Text(bytes: Uint8Array, what: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new Error(`${what} is UTF-16 text (byte-order mark); convert it to UTF-8, e.g. iconv -f UTF-16 -t UTF-8`);
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0)
    throw new Error(`${what} line ${lineAt(bytes, nul)}: a NUL byte: this looks like a binary file, not text`);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    const bad = firstInvalidUtf8(bytes);
    throw new Error(`${what} line ${lineAt(bytes, bad)}: not valid UTF-8 (byte ${bad}); convert the file to UTF-8`);
  }
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (lead byte and continuation bytes). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i];
    const extra = lead < 0x80 ? 0 : lead >> 5 === 6 ? 1 : lead >> 4 === 14 ? 2 : lead >> 3 === 30 ? 3 : -1;
    if (extra < 0) return i;
    for (let j = 1; j <= extra; j++) if (i + j >= bytes.length || bytes[i + j] >> 6 !== 2) return i;
    i += extra + 1;
  }
  return 0; // well-formed lead/continuation structure but rejected (overlong or surrogate): report the start
}

export async function embedCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ["normalize", "no-normalize"]);
  rejectUnknownFlags(
    args,
    [
      "model",
      "pooling",
      "normalize",
      "no-normalize",
      "layer",
      "backend",
      "engine",
      "batch-size",
      "prompt",
      "attention-temperature",
    ],
    "embed",
  );
  rejectPositionals(args, "embed", "texts are read from stdin (e.g. shiftlab embed < in.txt)");
  const pooling = poolingFlag(stringFlag(args, "pooling"));
  if (booleanFlag(args, "normalize") && booleanFlag(args, "no-normalize"))
    throw new Error("shiftlab embed: --normalize and --no-normalize contradict each other");
  const off = args.flags.get("normalize") === "false" || booleanFlag(args, "no-normalize");
  const normalize = booleanFlag(args, "normalize") ? true : off ? false : undefined;
  const texts = parseInputLines(await readStdin());
  const model = await loadModel(stringFlag(args, "model"), {
    backend: stringFlag(args, "backend"),
    engine: parseEngineName(stringFlag(args, "engine")),
  });
  try {
    // --prompt: a name from the checkpoint's config_sentence_transformers.json (e.g. query), else the literal text
    const prompt = stringFlag(args, "prompt");
    const names = Object.keys((model.info as { prompts?: Record<string, string> }).prompts ?? {});
    if (prompt !== undefined && /^[A-Za-z_][\w-]*$/.test(prompt) && !names.includes(prompt)) {
      process.stderr.write(
        `shiftlab embed: "${prompt}" is not a prompt name of ${model.info.name} (${names.length > 0 ? `names: ${names.join(", ")}` : "it defines none"}); prepending it as text\n`,
      );
    }
    const attentionTemperature = temperatureFlag(stringFlag(args, "attention-temperature"));
    const vectors = await model.embed(texts, {
      pooling,
      normalize,
      prompt,
      attentionTemperature,
      layer: intFlag(args, "layer"),
      batchSize: intFlag(args, "batch-size"),
    });
    const out: string[] = [];
    for (let i = 0; i < vectors.rows; i++)
      out.push(JSON.stringify(Array.from(vectors.data.subarray(i * vectors.cols, (i + 1) * vectors.cols))));
    if (out.length > 0) process.stdout.write(out.join("\n") + "\n");
    return 0;
  } finally {
    model.dispose();
  }
}
