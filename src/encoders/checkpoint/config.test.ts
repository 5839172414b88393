import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { assetsRoot } from "../../assets/paths";
import { configInt, poolingModeFromConfig, readModelConfig, readSentenceEmbeddingSetup } from "./config";
import { poolingModuleFromConfig, readDenseModule, retrievalPrompts } from "./sentence_modules";

const temp = mkdtempSync(path.join(os.tmpdir(), "shiftlab-config-"));
after(() => rmSync(temp, { recursive: true, force: true }));
let folders = 0;

/** A folder holding the given files (name → JSON value, or raw text for strings). */
function folder(files: Record<string, unknown>): string {
  const dir = path.join(temp, `f${folders++}`);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), typeof content === "string" ? content : JSON.stringify(content));
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

const MODULES = [
  { idx: 0, name: "0", path: "", type: "sentence_transformers.models.Transformer" },
  { idx: 1, name: "1", path: "1_Pooling", type: "sentence_transformers.models.Pooling" },
];
const NORMALIZE = { idx: 2, name: "2", path: "2_Normalize", type: "sentence_transformers.models.Normalize" };

test("the mini encoder: mean pooling + Normalize, max_seq_length 512, BertModel", async () => {
  const dir = path.join(assetsRoot(), "models", "shiftlab-mini-encoder");
  const config = await readModelConfig(dir);
  assert.equal(config.modelType, "bert");
  assert.equal(config.architecture, "BertModel");
  assert.equal(config.file, path.join(dir, "config.json"));
  assert.equal(configInt(config, "hidden_size"), 256);
  const setup = await readSentenceEmbeddingSetup(dir);
  assert.deepEqual(
    {
      pooling: setup.pooling,
      normalize: setup.normalize,
      maxSeqLength: setup.maxSeqLength,
      ignored: setup.ignoredModules,
    },
    { pooling: "mean", normalize: true, maxSeqLength: 512, ignored: [] },
  );
  assert.equal(setup.source, "1_Pooling/config.json + Normalize (modules.json)");
});

test("each sentence-transformers pooling flag maps to its mode", () => {
  const cases: [string, string][] = [
    ["pooling_mode_cls_token", "cls"],
    ["pooling_mode_mean_tokens", "mean"],
    ["pooling_mode_max_tokens", "max"],
    ["pooling_mode_mean_sqrt_len_tokens", "mean_sqrt_len"],
    ["pooling_mode_weightedmean_tokens", "weighted_mean"],
    ["pooling_mode_lasttoken", "last_token"],
  ];
  for (const [flag, mode] of cases) {
    const json: Record<string, unknown> = { word_embedding_dimension: 8, pooling_mode_mean_tokens: false };
    json[flag] = true;
    assert.equal(poolingModeFromConfig(json, "p.json"), mode, flag);
  }
  assert.throws(
    () =>
      poolingModeFromConfig(
        { pooling_mode_cls_token: true, pooling_mode_max_tokens: true },
        "/a/1_Pooling/config.json",
      ),
    /\/a\/1_Pooling\/config\.json: expected exactly one pooling mode, found cls \+ max/,
  );
  assert.throws(
    () => poolingModeFromConfig({ pooling_mode_cls_token: false }, "p.json"),
    /p\.json: no pooling mode is enabled/,
  );
});

test("pooling and normalize are read from the modules the checkpoint lists", async () => {
  const cls = folder({
    "modules.json": [...MODULES, NORMALIZE],
    "1_Pooling/config.json": { pooling_mode_cls_token: true },
  });
  const a = await readSentenceEmbeddingSetup(cls);
  assert.equal(a.pooling, "cls");
  assert.equal(a.normalize, true);
  assert.equal(a.maxSeqLength, undefined);

  const lastToken = folder({
    "modules.json": MODULES,
    "1_Pooling/config.json": { pooling_mode_lasttoken: true },
    "sentence_bert_config.json": { max_seq_length: 128 },
  });
  const b = await readSentenceEmbeddingSetup(lastToken);
  assert.deepEqual([b.pooling, b.normalize, b.maxSeqLength], ["last_token", false, 128]);

  const unknown = folder({
    "modules.json": [...MODULES, { idx: 2, name: "2", path: "2_LSTM", type: "sentence_transformers.models.LSTM" }],
    "1_Pooling/config.json": { pooling_mode_mean_tokens: true },
  });
  assert.deepEqual((await readSentenceEmbeddingSetup(unknown)).ignoredModules, ["sentence_transformers.models.LSTM"]);
});

test("several pooling modes concatenate in sentence-transformers' order (legacy flags) or the listed order (pooling_mode)", () => {
  const flags = {
    pooling_mode_mean_tokens: true,
    pooling_mode_lasttoken: true,
    pooling_mode_cls_token: true,
    pooling_mode_max_tokens: true,
    include_prompt: false,
  };
  assert.deepEqual(poolingModuleFromConfig(flags, "p.json"), {
    modes: ["cls", "max", "mean", "last_token"],
    includePrompt: false,
  });
  const listed = { pooling_mode: ["mean", "weightedmean", "mean_sqrt_len_tokens"] };
  assert.deepEqual(poolingModuleFromConfig(listed, "p.json"), {
    modes: ["mean", "weighted_mean", "mean_sqrt_len"],
    includePrompt: true,
  });
  assert.deepEqual(poolingModuleFromConfig({ pooling_mode: "lasttoken" }, "p.json").modes, ["last_token"]);
  assert.throws(
    () => poolingModuleFromConfig({ pooling_mode: "median" }, "p.json"),
    /p\.json: pooling_mode "median" is not one of cls, max, mean/,
  );
  assert.throws(
    () => poolingModuleFromConfig({ pooling_mode_cls_token: true, include_prompt: "no" }, "p.json"),
    /include_prompt must be true or false/,
  );
});

test("Dense modules and Normalize are read in modules.json's order; prompts from config_sentence_transformers.json", async () => {
  const dense = {
    in_features: 8,
    out_features: 4,
    bias: false,
    activation_function: "torch.nn.modules.linear.Identity",
  };
  const dir = folder({
    "modules.json": [
      ...MODULES,
      { idx: 2, name: "2", path: "2_Dense", type: "sentence_transformers.models.Dense" },
      NORMALIZE,
    ],
    "1_Pooling/config.json": { pooling_mode_mean_tokens: true },
    "2_Dense/config.json": dense,
    "2_Dense/model.safetensors": "",
    "config_sentence_transformers.json": {
      prompts: { query: "Instruct: find\nQuery:", document: "" },
      default_prompt_name: null,
    },
  });
  const setup = await readSentenceEmbeddingSetup(dir);
  assert.deepEqual(
    setup.head.map((s) =>
      s.kind === "dense" ? [s.dense.inFeatures, s.dense.outFeatures, s.dense.bias, s.dense.activation] : s.kind,
    ),
    [[8, 4, false, "identity"], "normalize"],
  );
  assert.equal(setup.normalize, true);
  assert.deepEqual(setup.prompts, {
    prompts: { query: "Instruct: find\nQuery:", document: "" },
    defaultPromptName: undefined,
  });
  assert.deepEqual(retrievalPrompts(setup.prompts.prompts), { queryPrompt: "query", documentPrompt: "document" });
  assert.deepEqual(retrievalPrompts({ query: "query: ", passage: "passage: " }), {
    queryPrompt: "query",
    documentPrompt: "passage",
  });
  assert.deepEqual(retrievalPrompts({}), { queryPrompt: undefined, documentPrompt: undefined });
  const badActivation = folder({
    "2_Dense/config.json": { ...dense, activation_function: "my.Custom" },
    "2_Dense/model.safetensors": "",
  });
  assert.throws(
    () => readDenseModule(path.join(badActivation, "2_Dense")),
    /activation_function "my\.Custom" is not supported/,
  );
  const noWeights = folder({ "2_Dense/config.json": dense });
  assert.throws(() => readDenseModule(path.join(noWeights, "2_Dense")), /2_Dense: no model\.safetensors/);
});

test("without sentence-transformers files: mean pooling, no normalisation, and the info says it is a default", async () => {
  const setup = await readSentenceEmbeddingSetup(folder({ "config.json": { model_type: "bert" } }));
  assert.equal(setup.pooling, "mean");
  assert.equal(setup.normalize, false);
  assert.match(setup.source, /^default: mean, no normalisation \(no modules\.json\)$/);
});

test("missing or invalid files are named in the error", async () => {
  const empty = folder({});
  await assert.rejects(readModelConfig(empty), new RegExp(`${empty}/config\\.json: missing`));
  const invalid = folder({ "config.json": "{ model_type: bert" });
  await assert.rejects(readModelConfig(invalid), new RegExp(`${invalid}/config\\.json: not valid JSON`));
  const noType = folder({ "config.json": { hidden_size: 8 } });
  await assert.rejects(readModelConfig(noType), /config\.json: no "model_type" string/);
  const missingPooling = folder({ "modules.json": MODULES });
  await assert.rejects(
    readSentenceEmbeddingSetup(missingPooling),
    new RegExp(`${missingPooling}/1_Pooling/config\\.json: missing`),
  );
  const badModules = folder({ "modules.json": "[{" });
  await assert.rejects(readSentenceEmbeddingSetup(badModules), /modules\.json: not valid JSON/);
  const badLength = folder({ "sentence_bert_config.json": { max_seq_length: -4 } });
  await assert.rejects(
    readSentenceEmbeddingSetup(badLength),
    /sentence_bert_config\.json: max_seq_length must be a positive integer/,
  );
  const config = await readModelConfig(folder({ "config.json": { model_type: "bert", hidden_size: "big" } }));
  assert.throws(
    () => configInt(config, "hidden_size"),
    /config\.json: "hidden_size" must be a positive integer, found "big"/,
  );
  assert.equal(configInt(config, "type_vocab_size", 2), 2);
});
