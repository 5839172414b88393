import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { assetsRoot } from "../assets/paths";
import { row } from "../matrix";
import { dot, unitVector64 } from "../metrics/vectors";
import { isStaticWordModelRef, loadStaticWordModel, tokenizeForGlove } from "./static_word_model";

const GLOVE_FILE = join(assetsRoot(), "models/glove-twitter-25d-12k/glove.twitter.27B.25d.subset12k.txt");
/** word → its row as float32, read straight from the file */
const FILE_ROWS = new Map(
  readFileSync(GLOVE_FILE, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const [word, ...values] = l.split(" ");
      return [word, values.map((v) => Math.fround(Number(v)))] as const;
    }),
);
const modelPromise = loadStaticWordModel();

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => dot(unitVector64(a), unitVector64(b));

test("loads all 11,925 words with the file's own values", async () => {
  const model = await modelPromise;
  assert.equal(model.words.length, 11925);
  assert.deepEqual([model.info.modelType, model.info.numLayers, model.info.hiddenSize], ["static-glove", 0, 25]);
  assert.equal(model.info.name, "glove-twitter-25d-12k");
  assert.equal(model.words[0], "the");
  assert.equal(model.vectorOf("the")![0], Math.fround(-0.010167));
  assert.equal(model.vectorOf("the")![12], Math.fround(-6.3371));
  assert.deepEqual(Array.from(model.vectorOf("king")!), FILE_ROWS.get("king"));
  assert.equal(model.vectorOf("zzzqqq"), undefined);
});

test("a text's embedding is the average of its known words' vectors", async () => {
  const model = await modelPromise;
  const text = "The King, the computer! Zzzqqq 2024";
  assert.deepEqual(tokenizeForGlove(text), ["the", "king", "the", "computer", "zzzqqq"]);
  const embedded = row(await model.embed([text]), 0);
  const words = ["the", "king", "the", "computer"];
  for (let j = 0; j < 25; j++) {
    const byHand = words.reduce((s, w) => s + FILE_ROWS.get(w)![j], 0) / words.length;
    assert.ok(Math.abs(embedded[j] - byHand) < 1e-6, `dimension ${j}: ${embedded[j]} vs ${byHand}`);
  }
  assert.deepEqual(model.countTokens([text, "", "Don't stop!"]), [5, 0, 3]);
});

test("normalisation, zero vectors for texts without known words, accents folded", async () => {
  const model = await modelPromise;
  const out = await model.embed(["happy birthday", "", "zzzqqq 123 !!", "Café"], { normalize: true });
  const norm = Math.hypot(...row(out, 0));
  assert.ok(Math.abs(norm - 1) < 1e-6, `norm ${norm}`);
  assert.deepEqual(Array.from(row(out, 1)), new Array(25).fill(0));
  assert.deepEqual(Array.from(row(out, 2)), new Array(25).fill(0));
  const cafe = row(await model.embed(["Café"]), 0);
  assert.deepEqual(Array.from(cafe), FILE_ROWS.get("cafe"));
});

test("real neighbours: king is closer to queen and prince than to computer", async () => {
  const model = await modelPromise;
  const king = model.vectorOf("king")!;
  const toComputer = cosine(king, model.vectorOf("computer")!);
  assert.ok(cosine(king, model.vectorOf("queen")!) > toComputer + 0.2);
  assert.ok(cosine(king, model.vectorOf("prince")!) > toComputer + 0.2);
});

test("tokenStates gives one row per word; unsupported options fail clearly", async () => {
  const model = await modelPromise;
  const states = await model.tokenStates("Queen zzzqqq");
  assert.deepEqual(states.tokens, ["queen", "zzzqqq"]);
  assert.equal(states.ids[0], model.words.indexOf("queen"));
  assert.equal(states.ids[1], -1);
  assert.deepEqual(Array.from(row(states.states, 0)), FILE_ROWS.get("queen"));
  assert.deepEqual(Array.from(row(states.states, 1)), new Array(25).fill(0));
  await assert.rejects(model.embed(["x"], { pooling: "cls" }), /only "mean" pooling/);
  await assert.rejects(model.embed(["x"], { layer: 2 }), /no hidden layers/);
  assert.equal((await model.embed(["x"], { layer: -1 })).rows, 1);
  await assert.rejects(
    loadStaticWordModel("/nonexistent/glove"),
    /\/nonexistent\/glove not found.*shiftlab fetch glove/,
  );
});

test("isStaticWordModelRef: GloVe folders and files, not Transformer checkpoints or unknown names", () => {
  assert.equal(isStaticWordModelRef("glove-twitter-25d-12k"), true);
  assert.equal(isStaticWordModelRef("shiftlab-mini-encoder"), false);
  assert.equal(isStaticWordModelRef("no-such-model"), false);
  assert.equal(isStaticWordModelRef(undefined), false);
});
