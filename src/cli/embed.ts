/**
 * `shiftlab embed`: texts on stdin, one JSON array of numbers per input line on stdout, in input order.
 * A line is a JSON object with a string "text" field, or else taken as plain text (an empty line is the empty text).
 */
import { loadModel } from "../index";
import { isPoolingMode, POOLING_MODES, type PoolingMode } from "../embedding/pooling_modes";
import { booleanFlag, intFlag, parseArgs, rejectPositionals, rejectUnknownFlags, stringFlag } from "./args";

export function parseInputLines(input: string): string[] {
  const lines = input.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop(); // the final newline ends the last line, it adds none
  return lines.map((raw, i) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (!line.trimStart().startsWith("{")) return line;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return line; // plain text that happens to start with "{"
    }
    const text = (parsed as { text?: unknown }).text;
    if (typeof text !== "string") throw new Error(`stdin line ${i + 1}: JSON object without a string "text" field: ${line.slice(0, 80)}`);
    return text;
  });
}

function poolingFlag(value: string | undefined): PoolingMode | undefined {
  if (value === undefined) return undefined;
  if (!isPoolingMode(value)) throw new Error(`--pooling must be one of ${POOLING_MODES.join(", ")}, got ${JSON.stringify(value)}`);
  return value;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function embedCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ["normalize", "no-normalize"]);
  rejectUnknownFlags(args, ["model", "pooling", "normalize", "no-normalize", "layer", "backend", "batch-size"], "embed");
  rejectPositionals(args, "embed", "texts are read from stdin (e.g. shiftlab embed < in.txt)");
  const pooling = poolingFlag(stringFlag(args, "pooling"));
  if (booleanFlag(args, "normalize") && booleanFlag(args, "no-normalize")) throw new Error("shiftlab embed: --normalize and --no-normalize contradict each other");
  const off = args.flags.get("normalize") === "false" || booleanFlag(args, "no-normalize");
  const normalize = booleanFlag(args, "normalize") ? true : off ? false : undefined;
  const texts = parseInputLines(await readStdin());
  const model = await loadModel(stringFlag(args, "model"), { backend: stringFlag(args, "backend") });
  try {
    const vectors = await model.embed(texts, { pooling, normalize, layer: intFlag(args, "layer"), batchSize: intFlag(args, "batch-size") });
    const out: string[] = [];
    for (let i = 0; i < vectors.rows; i++) out.push(JSON.stringify(Array.from(vectors.data.subarray(i * vectors.cols, (i + 1) * vectors.cols))));
    if (out.length > 0) process.stdout.write(out.join("\n") + "\n");
    return 0;
  } finally {
    model.dispose();
  }
}
