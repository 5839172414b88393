import { test } from "node:test";
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import {
  batchDocuments,
  parseJsonLine,
  parseJsonLines,
  readDocuments,
  readJsonLines,
  toDocumentLine,
  type DocumentLine,
} from "./json_lines";

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

test("JSON lines: objects and arrays parse, a broken one is an error naming its line", () => {
  assert.deepEqual(parseJsonLine('{"id": 1}\r', 3), { lineNumber: 3, value: { id: 1 } });
  assert.deepEqual(parseJsonLine("  [1, 2]", 4), { lineNumber: 4, value: [1, 2] });
  assert.throws(() => parseJsonLines('{"id": 1}\n{"id": 2,\n'), /stdin line 2: not valid JSON/);
  assert.throws(() => parseJsonLine("[not json", 9), /stdin line 9: not valid JSON/);
});

test("JSON lines: plain text only where allowed; blank lines skipped otherwise", () => {
  assert.deepEqual(parseJsonLines('plain words\n\n{"text": "x"}\n', { plainText: true }), [
    { lineNumber: 1, text: "plain words" },
    { lineNumber: 2, text: "" },
    { lineNumber: 3, value: { text: "x" } },
  ]);
  assert.throws(() => parseJsonLines("plain words\n"), /stdin line 1: expected a JSON object, got plain text/);
  assert.deepEqual(parseJsonLines('\n{"a": 1}\n   \n'), [{ lineNumber: 2, value: { a: 1 } }]);
});

test("a stream is split on \\n only, across chunk borders and multi-byte characters", async () => {
  const bytes = Buffer.from('{"text": "café \u2028 x"}\n{"text": "ü"}', "utf8");
  const chunks = [bytes.subarray(0, 12), bytes.subarray(12, 28), bytes.subarray(28)]; // splits inside "é" and "ü"
  const lines = await collect(readJsonLines(Readable.from(chunks)));
  assert.deepEqual(
    lines.map((l) => l.value),
    [{ text: "café \u2028 x" }, { text: "ü" }],
  );
});

test("documents: text is split into sentences, given sentences and boundaries are kept, mistakes name the line", () => {
  const fromText = toDocumentLine({ lineNumber: 1, value: { id: 7, text: "One sentence here. And a second one." } });
  assert.deepEqual(fromText, { lineNumber: 1, id: "7", sentences: ["One sentence here.", "And a second one."] });
  const given = toDocumentLine({ lineNumber: 2, value: { id: "d", sentences: ["a. b.", "c"], boundaries: [1] } });
  assert.deepEqual(given.sentences, ["a. b.", "c"]);
  assert.deepEqual(given.boundaries, [1]);
  assert.throws(() => toDocumentLine({ lineNumber: 5, value: { id: "x" } }), /stdin line 5: needs a string "text"/);
  assert.throws(
    () => toDocumentLine({ lineNumber: 6, value: { id: "x", sentences: ["a", "b"], boundaries: [2] } }),
    /stdin line 6: "boundaries"/,
  );
  assert.throws(() => toDocumentLine({ lineNumber: 7, value: [1] }), /stdin line 7: expected a JSON object/);
});

test("batches: the documents before a bad line still come out, then the error", async () => {
  const input = Readable.from([
    '{"id": "a", "text": "A."}\n{"id": "b", "text": "B."}\n{"id": "c", "text": "C."}\n{"id": \n',
  ]);
  const seen: string[][] = [];
  await assert.rejects(async () => {
    for await (const batch of batchDocuments(readDocuments(input), 2, 100))
      seen.push(batch.map((d: DocumentLine) => d.id));
  }, /stdin line 4: not valid JSON/);
  assert.deepEqual(seen, [["a", "b"], ["c"]]);
});
