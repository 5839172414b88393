import { test, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { assetsRoot } from "../assets/paths";
import { loadTokenizer } from "./tokenizer";

const encoderDir = path.join(assetsRoot(), "models", "shiftlab-mini-encoder");
const minilmConfigs = path.join(
  assetsRoot(),
  "models",
  "bert-base-uncased-wordpiece-vocab",
  "reference-configs",
  "all-MiniLM-L6-v2",
);
const parity: { items: { text: string; input_ids: number[] }[] } = JSON.parse(
  readFileSync(path.join(encoderDir, "reference", "parity.json"), "utf8"),
);

const temp = mkdtempSync(path.join(os.tmpdir(), "shiftlab-tokenizer-"));
after(() => rmSync(temp, { recursive: true, force: true }));

/** A folder with only the files named, copied from `from`. */
function folderWith(name: string, from: string, files: string[]): string {
  const dir = path.join(temp, name);
  mkdirSync(dir);
  for (const f of files) copyFileSync(path.join(from, f), path.join(dir, f));
  return dir;
}
const vocabOnlyDir = folderWith("vocab-only", encoderDir, ["vocab.txt", "tokenizer_config.json"]);

for (const [label, dir] of [
  ["tokenizer.json", encoderDir],
  ["vocab.txt + tokenizer_config.json", vocabOnlyDir],
] as const) {
  test(`${label}: input_ids equal the PyTorch reference for every parity item`, async () => {
    const tokenizer = await loadTokenizer(dir);
    assert.equal(tokenizer.maxLength, 512);
    assert.equal(tokenizer.padId, 0);
    assert.ok(tokenizer.source.includes(label.split(" ")[0]), tokenizer.source);
    const encodings = tokenizer.encodeBatch(parity.items.map((item) => item.text));
    parity.items.forEach((item, i) =>
      assert.deepEqual(encodings[i].ids, item.input_ids, `item ${i}: ${item.text.slice(0, 60)}`),
    );
  });

  test(`${label}: accents, one-character text, empty text and truncation`, async () => {
    const tokenizer = await loadTokenizer(dir);
    assert.deepEqual(tokenizer.encode("Café naïve").tokens, ["[CLS]", "cafe", "naive", "[SEP]"]);
    assert.deepEqual(tokenizer.encode("A").ids, [101, 1037, 102]);
    assert.deepEqual(tokenizer.encode(""), {
      ids: [101, 102],
      tokens: ["[CLS]", "[SEP]"],
      originalLength: 2,
      truncated: false,
    });
    const long = tokenizer.encode(parity.items[parity.items.length - 1].text);
    assert.equal(long.ids.length, 512);
    assert.equal(long.truncated, true);
    assert.equal(long.originalLength, 1224);
    assert.deepEqual([long.ids[0], long.ids[511]], [101, 102]);
    const short = tokenizer.encode(parity.items[0].text);
    assert.equal(short.truncated, false);
    assert.equal(short.originalLength, short.ids.length);
  });
}

test("maxLength is the smallest stated limit (MiniLM's sentence_bert_config says 256) and an override wins", async () => {
  const minilm = folderWith("minilm", minilmConfigs, [
    "config.json",
    "sentence_bert_config.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
  ]);
  copyFileSync(path.join(encoderDir, "vocab.txt"), path.join(minilm, "vocab.txt"));
  const tokenizer = await loadTokenizer(minilm);
  assert.equal(tokenizer.maxLength, 256);
  const longText = parity.items[parity.items.length - 1].text;
  assert.equal(tokenizer.encode(longText).ids.length, 256);

  const short = await loadTokenizer(encoderDir, { maxLength: 8 });
  const encoding = short.encode("The quick brown fox jumps over the lazy dog.");
  assert.deepEqual(encoding.ids, parity.items[0].input_ids.slice(0, 7).concat([102]));
  assert.equal(encoding.originalLength, 12);
  assert.equal(encoding.truncated, true);
  await assert.rejects(
    loadTokenizer(encoderDir, { maxLength: 600 }),
    /600 exceeds the model's config\.json max_position_embeddings \(512\)/,
  );
});

test("vocab.txt path honours do_lower_case: false (a cased word is unknown to the uncased vocabulary)", async () => {
  const dir = folderWith("cased", encoderDir, ["vocab.txt"]);
  writeFileSync(path.join(dir, "tokenizer_config.json"), JSON.stringify({ do_lower_case: false }));
  const tokenizer = await loadTokenizer(dir);
  assert.deepEqual(tokenizer.encode("The cat").tokens, ["[CLS]", "[UNK]", "cat", "[SEP]"]);
});

test("a folder with neither tokenizer.json nor vocab.txt is an error naming the folder and both files", async () => {
  const empty = path.join(temp, "empty");
  mkdirSync(empty);
  await assert.rejects(
    loadTokenizer(empty),
    (e: Error) => e.message.includes(empty) && /tokenizer\.json/.test(e.message) && /vocab\.txt/.test(e.message),
  );
});

test("an unreadable or invalid tokenizer.json is an error naming the file", async () => {
  const broken = path.join(temp, "broken");
  mkdirSync(broken);
  writeFileSync(path.join(broken, "tokenizer.json"), "{ not json");
  await assert.rejects(loadTokenizer(broken), (e: Error) => e.message.includes(path.join(broken, "tokenizer.json")));
  const notATokenizer = path.join(temp, "not-a-tokenizer");
  mkdirSync(notATokenizer);
  writeFileSync(path.join(notATokenizer, "tokenizer.json"), JSON.stringify({ model: { type: "NoSuchModel" } }));
  await assert.rejects(loadTokenizer(notATokenizer), (e: Error) =>
    e.message.includes(path.join(notATokenizer, "tokenizer.json")),
  );
});

test("a vocab.txt lacking a special token is an error naming the file and the token", async () => {
  const dir = path.join(temp, "no-cls");
  mkdirSync(dir);
  writeFileSync(path.join(dir, "vocab.txt"), "[PAD]\n[UNK]\n[SEP]\n[MASK]\nthe\n");
  await assert.rejects(
    loadTokenizer(dir),
    (e: Error) => e.message.includes(path.join(dir, "vocab.txt")) && e.message.includes("[CLS]"),
  );
});
