/**
 * What a checkpoint folder says about itself: the Transformer's `config.json`, and the sentence-transformers modules
 * (`modules.json` → Pooling folder's `config.json`, Dense and Normalize modules, `sentence_bert_config.json`'s max_seq_length,
 * `config_sentence_transformers.json`'s prompts; the module files themselves are parsed in sentence_modules.ts).
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { readJsonFile, readJsonObject } from "../../util/json";
import type { PoolingMode } from "../../embedding/pooling_modes";
import {
  poolingModuleFromConfig,
  readDenseModule,
  readPromptConfig,
  type DenseModuleConfig,
  type PoolingModuleConfig,
  type PromptConfig,
} from "./sentence_modules";

export interface ModelConfig {
  /** path of config.json (for error messages) */
  file: string;
  modelType: string;
  /** first entry of "architectures", else "" */
  architecture: string;
  json: Record<string, unknown>;
}

export async function readModelConfig(dir: string): Promise<ModelConfig> {
  const file = path.join(dir, "config.json");
  const json = await readJsonObject(file, "the Transformer's configuration");
  if (typeof json.model_type !== "string") throw new Error(`${file}: no "model_type" string`);
  const architectures = json.architectures;
  const architecture = Array.isArray(architectures) && typeof architectures[0] === "string" ? architectures[0] : "";
  return { file, modelType: json.model_type, architecture, json };
}

/** A positive integer field of config.json (or `fallback` when absent); errors name the file and the field. */
export function configInt(config: ModelConfig, key: string, fallback?: number): number {
  const value = config.json[key] ?? fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`${config.file}: "${key}" must be a positive integer, found ${JSON.stringify(config.json[key])}`);
  }
  return value;
}

export function configNumber(config: ModelConfig, key: string, fallback?: number): number {
  const value = config.json[key] ?? fallback;
  if (typeof value !== "number" || !Number.isFinite(value))
    throw new Error(`${config.file}: "${key}" must be a number, found ${JSON.stringify(config.json[key])}`);
  return value;
}

export function configString(config: ModelConfig, key: string, fallback?: string): string {
  const value = config.json[key] ?? fallback;
  if (typeof value !== "string")
    throw new Error(`${config.file}: "${key}" must be a string, found ${JSON.stringify(config.json[key])}`);
  return value;
}

/** A step after pooling, in modules.json's order: a Dense module, or Normalize (unit length). */
export type HeadStep = { kind: "dense"; dense: DenseModuleConfig } | { kind: "normalize" };

/** How the checkpoint turns token states into one vector, as sentence-transformers would. */
export interface SentenceEmbeddingSetup {
  /** the first of poolingModes (the checkpoint's own pooling, as one name) */
  pooling: PoolingMode;
  /** every mode the Pooling module concatenates, in its order */
  poolingModes: PoolingMode[];
  /** false: prompt tokens are excluded from pooling (Pooling's include_prompt) */
  includePrompt: boolean;
  /** Dense and Normalize modules after pooling, in modules.json's order */
  head: HeadStep[];
  /** true when the head has a Normalize module */
  normalize: boolean;
  /** sentence_bert_config.json's max_seq_length, if any */
  maxSeqLength?: number;
  /** config_sentence_transformers.json's prompts and default prompt */
  prompts: PromptConfig;
  /** where pooling/normalize came from, in words (shown in ModelInfo) */
  source: string;
  /** modules we do not run (anything but Transformer, Pooling, Dense, Normalize): embeddings differ when this is not empty */
  ignoredModules: string[];
}

/** The one pooling mode a Pooling config enables (for callers that cannot concatenate; loadModel reads every mode). */
export function poolingModeFromConfig(json: Record<string, unknown>, file: string): PoolingMode {
  const { modes } = poolingModuleFromConfig(json, file);
  if (modes.length !== 1) throw new Error(`${file}: expected exactly one pooling mode, found ${modes.join(" + ")}`);
  return modes[0];
}

export async function readSentenceEmbeddingSetup(dir: string): Promise<SentenceEmbeddingSetup> {
  const sbertFile = path.join(dir, "sentence_bert_config.json");
  let maxSeqLength: number | undefined;
  if (existsSync(sbertFile)) {
    const value = (await readJsonObject(sbertFile, "sentence-transformers settings")).max_seq_length;
    if (value !== undefined && value !== null) {
      if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0)
        throw new Error(`${sbertFile}: max_seq_length must be a positive integer`);
      maxSeqLength = value;
    }
  }
  const prompts = readPromptConfig(dir);

  const modulesFile = path.join(dir, "modules.json");
  if (!existsSync(modulesFile)) {
    const source = "default: mean, no normalisation (no modules.json)";
    return {
      pooling: "mean",
      poolingModes: ["mean"],
      includePrompt: true,
      head: [],
      normalize: false,
      maxSeqLength,
      prompts,
      source,
      ignoredModules: [],
    };
  }
  const modules = readJsonFile(modulesFile, "sentence-transformers modules");
  if (!Array.isArray(modules)) throw new Error(`${modulesFile}: expected a JSON array of modules`);

  let pooling: PoolingModuleConfig | undefined;
  let poolingFile = "";
  const head: HeadStep[] = [];
  const ignoredModules: string[] = [];
  for (const m of modules as { type?: unknown; path?: unknown }[]) {
    const type = typeof m?.type === "string" ? m.type : "";
    const kind = type.split(".").pop() ?? "";
    const folder = path.join(dir, typeof m?.path === "string" ? m.path : "");
    if (kind === "Transformer") continue;
    if (kind === "Pooling") {
      poolingFile = path.join(folder, "config.json");
      pooling = poolingModuleFromConfig(
        await readJsonObject(poolingFile, "sentence-transformers Pooling module"),
        poolingFile,
      );
    } else if (kind === "Dense") {
      head.push({ kind: "dense", dense: readDenseModule(folder) });
    } else if (kind === "Normalize") {
      head.push({ kind: "normalize" });
    } else {
      ignoredModules.push(type || JSON.stringify(m));
    }
  }
  const normalize = head.some((s) => s.kind === "normalize");
  const dense = head.filter((s) => s.kind === "dense").length;
  const after = `${dense > 0 ? ` + ${dense} Dense` : ""}${normalize ? " + Normalize" : ""}`;
  const source =
    pooling !== undefined
      ? `${path.relative(dir, poolingFile)}${after} (modules.json)`
      : `default: mean (modules.json has no Pooling module)${after}`;
  const modes = pooling?.modes ?? ["mean"];
  return {
    pooling: modes[0],
    poolingModes: modes,
    includePrompt: pooling?.includePrompt ?? true,
    head,
    normalize,
    maxSeqLength,
    prompts,
    source,
    ignoredModules,
  };
}
