/**
 * Reading JSON lines from stdin, one line at a time (constant memory in the number of lines), for every command that
 * takes them.
 * - Lines are split on "\n" only (a trailing "\r" is dropped): texts may hold U+2028 or U+0085, which are not line ends.
 * - A line that starts like JSON (`{` or `[` after leading spaces) must parse, or it is an error naming its line number.
 * - Any other line is plain text where the command allows it (`plainText: true`; a blank line is then the empty text), and
 *   an error otherwise, except blank lines, which are skipped.
 * Documents (`readDocuments`): objects `{"id", "text"}` or `{"id", "sentences": [...]}`, optionally with the true
 * `"boundaries"` (sentence indices where each chunk after the first starts); a text is split into sentences here, given
 * sentences are used as they are. `writeLine` waits until the line is handed to the stream, so output keeps pace with
 * input and a later error loses nothing already written.
 */
import { StringDecoder } from "node:string_decoder";
import { checkBoundaries } from "../segmentation/boundaries";
import { normalizeSpaces } from "../text/document_sentences";
import { splitSentences } from "../text/sentences";

export class JsonLinesError extends Error {
  constructor(
    readonly lineNumber: number,
    message: string,
  ) {
    super(`stdin line ${lineNumber}: ${message}`);
  }
}

/** One input line: `value` when it was JSON, `text` when it was plain text. */
export interface InputLine {
  lineNumber: number;
  value?: unknown;
  text?: string;
}

export interface JsonLinesOptions {
  /** accept lines that are not JSON as plain text (default false) */
  plainText?: boolean;
}

/** The line (1-based number) as JSON or plain text; undefined for a blank line that is skipped. */
export function parseJsonLine(raw: string, lineNumber: number, options: JsonLinesOptions = {}): InputLine | undefined {
  const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  const start = line.trimStart()[0];
  if (start === "{" || start === "[") {
    try {
      return { lineNumber, value: JSON.parse(line) };
    } catch (error) {
      throw new JsonLinesError(lineNumber, `not valid JSON (${(error as Error).message}): ${line.slice(0, 80)}`);
    }
  }
  if (options.plainText) return { lineNumber, text: line };
  if (line.trim() === "") return undefined;
  throw new JsonLinesError(lineNumber, `expected a JSON object, got plain text: ${line.slice(0, 80)}`);
}

/** Every line of a whole input string (the final newline adds no line). */
export function parseJsonLines(input: string, options: JsonLinesOptions = {}): InputLine[] {
  const lines = input.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const out: InputLine[] = [];
  lines.forEach((raw, i) => {
    const parsed = parseJsonLine(raw, i + 1, options);
    if (parsed) out.push(parsed);
  });
  return out;
}

/** Raw lines of a byte or string stream, as they arrive. */
export async function* streamLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  for await (const chunk of input) {
    pending += typeof chunk === "string" ? chunk : decoder.write(chunk);
    let end: number;
    while ((end = pending.indexOf("\n")) >= 0) {
      yield pending.slice(0, end);
      pending = pending.slice(end + 1);
    }
  }
  pending += decoder.end();
  if (pending !== "") yield pending;
}

/** Parsed lines of a stream, as they arrive. */
export async function* readJsonLines(
  input: AsyncIterable<Buffer | string>,
  options: JsonLinesOptions = {},
): AsyncGenerator<InputLine> {
  let lineNumber = 0;
  for await (const raw of streamLines(input)) {
    const parsed = parseJsonLine(raw, ++lineNumber, options);
    if (parsed) yield parsed;
  }
}

/** A document read from one input line. */
export interface DocumentLine {
  lineNumber: number;
  id: string;
  sentences: string[];
  /** the true boundaries, when the line gives them */
  boundaries?: number[];
}

/** The document on a parsed line, or an error naming the line. */
export function toDocumentLine(line: InputLine): DocumentLine {
  const fail = (message: string) => new JsonLinesError(line.lineNumber, message);
  const record = line.value;
  if (typeof record !== "object" || record === null || Array.isArray(record))
    throw fail(`expected a JSON object {"id", "text"} or {"id", "sentences"}`);
  const { id, text, sentences, boundaries } = record as Record<string, unknown>;
  if (typeof id !== "string" && typeof id !== "number") throw fail(`"id" must be a string or a number`);
  let split: string[];
  if (sentences !== undefined) {
    if (!Array.isArray(sentences) || !sentences.every((s) => typeof s === "string"))
      throw fail(`"sentences" must be an array of strings`);
    split = sentences as string[];
  } else if (typeof text === "string") {
    split = splitSentences(text)
      .map(normalizeSpaces)
      .filter((s) => s !== "");
  } else {
    throw fail(`needs a string "text" or an array "sentences"`);
  }
  const document: DocumentLine = { lineNumber: line.lineNumber, id: String(id), sentences: split };
  if (boundaries !== undefined) {
    if (!Array.isArray(boundaries)) throw fail(`"boundaries" must be an array of sentence indices`);
    try {
      checkBoundaries(split.length, boundaries as number[], `"boundaries"`);
    } catch (error) {
      throw fail((error as Error).message);
    }
    document.boundaries = boundaries as number[];
  }
  return document;
}

/** Documents of a JSON-lines stream, as they arrive. */
export async function* readDocuments(input: AsyncIterable<Buffer | string>): AsyncGenerator<DocumentLine> {
  for await (const line of readJsonLines(input)) yield toDocumentLine(line);
}

/**
 * Documents in batches of at most `maxDocuments`, or fewer once they hold `maxSentences` sentences. When reading fails,
 * the documents read before the bad line come out as a last batch, then the error.
 */
export async function* batchDocuments(
  documents: AsyncIterable<DocumentLine>,
  maxDocuments: number,
  maxSentences: number,
): AsyncGenerator<DocumentLine[]> {
  let batch: DocumentLine[] = [];
  let sentences = 0;
  try {
    for await (const document of documents) {
      batch.push(document);
      sentences += document.sentences.length;
      if (batch.length >= maxDocuments || sentences >= maxSentences) {
        yield batch;
        batch = [];
        sentences = 0;
      }
    }
  } catch (error) {
    if (batch.length > 0) yield batch; // the documents read before a bad line are still processed
    throw error;
  }
  if (batch.length > 0) yield batch;
}

/** Write one line and wait until the stream has taken it. */
export function writeLine(stream: NodeJS.WritableStream, line: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(line + "\n", (error) => (error ? reject(error) : resolve())));
}

/** Progress on stderr for long inputs: a line every `everySeconds` (default 5), none for a run shorter than that. */
export function progressReporter(command: string, enabled: boolean, everySeconds = 5): (documents: number) => void {
  const started = Date.now();
  let last = started;
  return (documents) => {
    const now = Date.now();
    if (!enabled || now - last < everySeconds * 1000) return;
    last = now;
    const rate = documents / ((now - started) / 1000);
    process.stderr.write(`shiftlab ${command}: ${documents} documents (${rate.toFixed(1)}/s)\n`);
  };
}
