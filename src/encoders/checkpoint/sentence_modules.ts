/**
 * The sentence-transformers files beside a Transformer checkpoint, read as sentence-transformers reads them:
 *   - the Pooling config: one mode or several (concatenated), in the legacy `pooling_mode_*_tokens` flags that published
 *     checkpoints use (concatenated in sentence-transformers' fixed order cls, max, mean, mean_sqrt_len, weightedmean, lasttoken)
 *     or the newer `pooling_mode` string / list (concatenated in the listed order); `include_prompt`
 *   - a Dense module's folder: `config.json` (in_features, out_features, bias, activation_function) and its weights
 *     (`linear.weight`, `linear.bias` in model.safetensors)
 *   - `config_sentence_transformers.json`: named prompts (e5's "query: " / "passage: ", Qwen3-Embedding's instruction) and
 *     `default_prompt_name`
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { readJsonObject } from "../../util/json";
import type { PoolingMode } from "../../embedding/pooling_modes";

/** sentence-transformers' Pooling flags, in its concatenation order, with its newer mode names beside ours. */
const POOLING_FLAGS: [flag: string, name: string, mode: PoolingMode][] = [
  ["pooling_mode_cls_token", "cls", "cls"],
  ["pooling_mode_max_tokens", "max", "max"],
  ["pooling_mode_mean_tokens", "mean", "mean"],
  ["pooling_mode_mean_sqrt_len_tokens", "mean_sqrt_len_tokens", "mean_sqrt_len"],
  ["pooling_mode_weightedmean_tokens", "weightedmean", "weighted_mean"],
  ["pooling_mode_lasttoken", "lasttoken", "last_token"],
];

export interface PoolingModuleConfig {
  /** the modes whose vectors are concatenated, in order (one mode: no concatenation) */
  modes: PoolingMode[];
  /** false: prompt tokens are left out of the pooling (not out of attention) */
  includePrompt: boolean;
}

/** A Pooling module's config.json: the modes it concatenates and whether prompt tokens are pooled. */
export function poolingModuleFromConfig(json: Record<string, unknown>, file: string): PoolingModuleConfig {
  const includePrompt = json.include_prompt ?? true;
  if (typeof includePrompt !== "boolean")
    throw new Error(`${file}: include_prompt must be true or false, found ${JSON.stringify(includePrompt)}`);
  let modes: PoolingMode[];
  if (json.pooling_mode !== undefined) {
    const listed = Array.isArray(json.pooling_mode) ? json.pooling_mode : [json.pooling_mode];
    modes = listed.map((name) => {
      const known = POOLING_FLAGS.find(([, n]) => n === name);
      if (known === undefined)
        throw new Error(
          `${file}: pooling_mode ${JSON.stringify(name)} is not one of ${POOLING_FLAGS.map(([, n]) => n).join(", ")}`,
        );
      return known[2];
    });
  } else {
    modes = POOLING_FLAGS.filter(([flag]) => json[flag] === true).map(([, , mode]) => mode);
  }
  if (modes.length === 0) throw new Error(`${file}: no pooling mode is enabled (set a pooling_mode_* flag to true)`);
  return { modes, includePrompt };
}

/** Activations a Dense module may name (torch class path → what applyActivation computes). */
const DENSE_ACTIVATIONS: Record<string, DenseActivation> = {
  "torch.nn.modules.activation.Tanh": "tanh",
  "torch.nn.modules.linear.Identity": "identity",
  "torch.nn.modules.activation.Identity": "identity",
  "torch.nn.modules.activation.ReLU": "relu",
  "torch.nn.modules.activation.Sigmoid": "sigmoid",
  "torch.nn.modules.activation.GELU": "gelu",
  "torch.nn.modules.activation.SiLU": "silu",
};
export type DenseActivation = "tanh" | "identity" | "relu" | "sigmoid" | "gelu" | "silu";

export interface DenseModuleConfig {
  /** the module's folder (absolute) */
  dir: string;
  inFeatures: number;
  outFeatures: number;
  bias: boolean;
  activation: DenseActivation;
  /** model.safetensors in the folder (pytorch_model.bin is refused with a message) */
  weightsFile: string;
}

/** A Dense module's config.json, checked; its weights file must be safetensors. */
export function readDenseModule(dir: string): DenseModuleConfig {
  const file = path.join(dir, "config.json");
  const json = readJsonObject(file, "sentence-transformers Dense module");
  const size = (key: string): number => {
    const v = json[key];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v <= 0)
      throw new Error(`${file}: "${key}" must be a positive integer, found ${JSON.stringify(v)}`);
    return v;
  };
  const bias = json.bias ?? true;
  if (typeof bias !== "boolean") throw new Error(`${file}: "bias" must be true or false`);
  if (json.use_residual === true) throw new Error(`${file}: use_residual true is not supported`);
  // sentence-transformers' own default is Tanh when the config names none
  const name = json.activation_function ?? "torch.nn.modules.activation.Tanh";
  if (typeof name !== "string" || !Object.hasOwn(DENSE_ACTIVATIONS, name)) {
    throw new Error(
      `${file}: activation_function ${JSON.stringify(name)} is not supported (supported: ${Object.keys(DENSE_ACTIVATIONS).join(", ")})`,
    );
  }
  for (const key of ["module_input_name", "module_output_name"]) {
    if (json[key] !== undefined && json[key] !== null && json[key] !== "sentence_embedding")
      throw new Error(`${file}: ${key} ${JSON.stringify(json[key])} is not supported (only "sentence_embedding")`);
  }
  const weightsFile = path.join(dir, "model.safetensors");
  if (!existsSync(weightsFile)) {
    const bin = path.join(dir, "pytorch_model.bin");
    throw new Error(
      existsSync(bin)
        ? `${bin}: Dense weights in PyTorch's pickle format are not read; convert them to ${weightsFile} (safetensors: tensors "linear.weight" [out, in] and "linear.bias")`
        : `${dir}: no model.safetensors with the Dense module's weights`,
    );
  }
  return {
    dir,
    inFeatures: size("in_features"),
    outFeatures: size("out_features"),
    bias,
    activation: DENSE_ACTIVATIONS[name],
    weightsFile,
  };
}

export interface PromptConfig {
  /** name → text prepended to each input (e.g. { query: "query: ", passage: "passage: " }) */
  prompts: Record<string, string>;
  /** the prompt applied when embed() is given none */
  defaultPromptName?: string;
}

export const PROMPTS_FILE = "config_sentence_transformers.json";

/** config_sentence_transformers.json's prompts and default_prompt_name ({ prompts: {} } when the file is absent). */
export function readPromptConfig(dir: string): PromptConfig {
  const file = path.join(dir, PROMPTS_FILE);
  if (!existsSync(file)) return { prompts: {} };
  const json = readJsonObject(file, "sentence-transformers model settings");
  const prompts = json.prompts ?? {};
  if (
    typeof prompts !== "object" ||
    prompts === null ||
    Array.isArray(prompts) ||
    Object.values(prompts).some((p) => typeof p !== "string")
  ) {
    throw new Error(`${file}: "prompts" must map names to strings`);
  }
  const defaultName = json.default_prompt_name ?? undefined;
  if (defaultName !== undefined && (typeof defaultName !== "string" || !Object.hasOwn(prompts, defaultName))) {
    throw new Error(
      `${file}: default_prompt_name ${JSON.stringify(defaultName)} is not one of the prompts (${Object.keys(prompts).join(", ")})`,
    );
  }
  return { prompts: prompts as Record<string, string>, defaultPromptName: defaultName as string | undefined };
}

/** The prompt names sentence-transformers' encode_query / encode_document use: "query"; the first of document, passage, corpus. */
export function retrievalPrompts(prompts: Record<string, string>): { queryPrompt?: string; documentPrompt?: string } {
  return {
    queryPrompt: Object.hasOwn(prompts, "query") ? "query" : undefined,
    documentPrompt: ["document", "passage", "corpus"].find((name) => Object.hasOwn(prompts, name)),
  };
}
