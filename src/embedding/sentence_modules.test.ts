/**
 * The rest of the sentence-transformers format on the tiny checkpoint of scripts/fixtures/make_sentence_module_fixture.py:
 * prompts (by name and literal), include_prompt false, cls + max + mean concatenated, two Dense modules and Normalize, against
 * SentenceTransformer(path).encode(..., prompt_name=...) within 1e-4.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadModel, type EncoderModelInfo } from "./load_model";
import type { EmbeddingModel } from "./model";
import { loadTokenizer } from "../tokens/tokenizer";
import { maxAbsDiff } from "../testing/compare";

const dir = path.join(__dirname, "..", "encoders", "testdata", "sentence-modules");
interface Case {
  case: string;
  prompt_name?: string;
  prompt?: string;
  prompt_text: string;
  prompt_length: number;
  single: number[][];
  batch: number[][];
}
const reference: { texts: string[]; embedding_size: number; cases: Case[] } = JSON.parse(
  readFileSync(path.join(dir, "reference.json"), "utf8"),
);
const temp = mkdtempSync(path.join(os.tmpdir(), "shiftlab-st-modules-"));
let model: EmbeddingModel;

before(async () => {
  model = await loadModel(dir);
});
after(() => {
  model?.dispose();
  rmSync(temp, { recursive: true, force: true });
});

test("info: concatenated pooling, the Dense chain, prompts and which prompt retrieval uses for queries and documents", () => {
  const info = model.info as EncoderModelInfo;
  assert.deepEqual(info.poolingModes, ["cls", "max", "mean"]);
  assert.equal(info.defaultPooling, "cls");
  assert.equal(info.includePrompt, false);
  assert.deepEqual(info.modules, [
    "Pooling(cls + max + mean)",
    "Dense(96 → 24, tanh)",
    "Dense(24 → 16, no bias, identity)",
    "Normalize",
  ]);
  assert.equal(info.embeddingSize, reference.embedding_size);
  assert.deepEqual(info.prompts, { query: "query: ", passage: "passage: " });
  assert.deepEqual([info.queryPrompt, info.documentPrompt, info.defaultPromptName], ["query", "passage", undefined]);
  assert.equal(info.poolingSource, "1_Pooling/config.json + 2 Dense + Normalize (modules.json)");
  assert.ok(info.weightBytes > 4 * info.parameters * 0.9, `${info.weightBytes} bytes for ${info.parameters} values`);
});

test("prompt lengths (the tokens left out of pooling) are sentence-transformers'", async () => {
  const tokenizer = await loadTokenizer(dir);
  for (const c of reference.cases)
    if (c.prompt_text !== "") assert.equal(tokenizer.promptLength(c.prompt_text), c.prompt_length, c.case);
});

test("every prompt case, one text at a time and as a padded batch, matches sentence-transformers within 1e-4", async (t) => {
  const lines: string[] = [];
  for (const c of reference.cases) {
    const prompt = c.prompt_name ?? c.prompt;
    let single = 0;
    for (const [i, text] of reference.texts.entries())
      single = Math.max(single, maxAbsDiff((await model.embed([text], { prompt })).data, c.single[i]));
    const batch = maxAbsDiff((await model.embed(reference.texts, { prompt })).data, c.batch.flat());
    lines.push(`${c.case} single ${single.toExponential(2)} batch ${batch.toExponential(2)}`);
    assert.ok(single < 1e-4 && batch < 1e-4, `${c.case}: ${single} ${batch}`);
  }
  t.diagnostic(`sentence-modules max |diff|: ${lines.join("; ")}`);
  console.log(`sentence-modules max |diff|: ${lines.join("; ")}`);
});

test("a prompt given as text equals the same prompt by name; another pooling mode pools the token states alone", async () => {
  const byName = await model.embed(reference.texts, { prompt: "query" });
  const byText = await model.embed(reference.texts, { prompt: "query: " });
  assert.equal(maxAbsDiff(byName.data, byText.data), 0);
  const mean = await model.embed(reference.texts, { pooling: "mean", normalize: false });
  assert.equal(mean.cols, model.info.hiddenSize);
  await assert.rejects(model.embed(["x"], { prompt: 3 as never }), /prompt must be a string/);
});

test('default_prompt_name applies when no prompt is given; "" turns it off', async () => {
  const copy = path.join(temp, "with-default");
  cpSync(dir, copy, { recursive: true });
  const settings = path.join(copy, "config_sentence_transformers.json");
  writeFileSync(
    settings,
    JSON.stringify({ prompts: { query: "query: ", passage: "passage: " }, default_prompt_name: "passage" }),
  );
  const withDefault = await loadModel(copy);
  try {
    const passage = reference.cases.find((c) => c.case === "passage") as Case;
    const none = reference.cases.find((c) => c.case === "none") as Case;
    assert.ok(maxAbsDiff((await withDefault.embed(reference.texts)).data, passage.batch.flat()) < 1e-4);
    assert.ok(maxAbsDiff((await withDefault.embed(reference.texts, { prompt: "" })).data, none.batch.flat()) < 1e-4);
  } finally {
    withDefault.dispose();
  }
  writeFileSync(settings, JSON.stringify({ prompts: { query: "q" }, default_prompt_name: "doc" }));
  await assert.rejects(
    loadModel(copy),
    /config_sentence_transformers\.json: default_prompt_name "doc" is not one of the prompts \(query\)/,
  );
});

test("Dense weights as pytorch_model.bin are refused with what to do; a mismatched in_features names the module", async () => {
  const copy = path.join(temp, "bin");
  cpSync(dir, copy, { recursive: true });
  renameSync(path.join(copy, "3_Dense", "model.safetensors"), path.join(copy, "3_Dense", "pytorch_model.bin"));
  await assert.rejects(
    loadModel(copy),
    /3_Dense\/pytorch_model\.bin: Dense weights in PyTorch's pickle format are not read; convert them to .*model\.safetensors/,
  );
  const wrong = path.join(temp, "wrong");
  cpSync(dir, wrong, { recursive: true });
  const denseConfig = path.join(wrong, "3_Dense", "config.json");
  writeFileSync(denseConfig, JSON.stringify({ ...JSON.parse(readFileSync(denseConfig, "utf8")), in_features: 20 }));
  await assert.rejects(
    loadModel(wrong),
    /3_Dense\/config\.json: in_features 20 does not match the 24 features before it/,
  );
});
