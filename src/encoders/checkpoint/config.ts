/**
 * What a checkpoint folder says about itself: the Transformer's `config.json`, and the sentence-transformers modules
 * (`modules.json` → Pooling folder's `config.json`, a Normalize module, `sentence_bert_config.json`'s max_seq_length).
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { readJsonFile, readJsonObject } from "../../util/json";
import type { PoolingMode } from "../../embedding/pooling_modes";

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
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`${config.file}: "${key}" must be a number, found ${JSON.stringify(config.json[key])}`);
  return value;
}

export function configString(config: ModelConfig, key: string, fallback?: string): string {
  const value = config.json[key] ?? fallback;
  if (typeof value !== "string") throw new Error(`${config.file}: "${key}" must be a string, found ${JSON.stringify(config.json[key])}`);
  return value;
}

/** How the checkpoint turns token states into one vector, as sentence-transformers would. */
export interface SentenceEmbeddingSetup {
  pooling: PoolingMode;
  normalize: boolean;
  /** sentence_bert_config.json's max_seq_length, if any */
  maxSeqLength?: number;
  /** where pooling/normalize came from, in words (shown in ModelInfo) */
  source: string;
  /** modules we do not run (e.g. Dense): embeddings differ from sentence-transformers' when this is not empty */
  ignoredModules: string[];
}

/** sentence-transformers' Pooling flags, in its own names. */
const POOLING_FLAGS: [string, PoolingMode][] = [
  ["pooling_mode_cls_token", "cls"],
  ["pooling_mode_mean_tokens", "mean"],
  ["pooling_mode_max_tokens", "max"],
  ["pooling_mode_mean_sqrt_len_tokens", "mean_sqrt_len"],
  ["pooling_mode_weightedmean_tokens", "weighted_mean"],
  ["pooling_mode_lasttoken", "last_token"],
];

/** The one pooling mode a Pooling config enables (several at once means concatenation, which we do not support). */
export function poolingModeFromConfig(json: Record<string, unknown>, file: string): PoolingMode {
  const enabled = POOLING_FLAGS.filter(([flag]) => json[flag] === true).map(([, mode]) => mode);
  if (enabled.length !== 1) {
    throw new Error(
      `${file}: expected exactly one pooling_mode_* flag set to true, found ${enabled.length === 0 ? "none" : enabled.join(" + ")}` +
        (enabled.length > 1 ? " (concatenated poolings are not supported)" : ""),
    );
  }
  return enabled[0];
}

export async function readSentenceEmbeddingSetup(dir: string): Promise<SentenceEmbeddingSetup> {
  const sbertFile = path.join(dir, "sentence_bert_config.json");
  let maxSeqLength: number | undefined;
  if (existsSync(sbertFile)) {
    const value = (await readJsonObject(sbertFile, "sentence-transformers settings")).max_seq_length;
    if (value !== undefined && value !== null) {
      if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) throw new Error(`${sbertFile}: max_seq_length must be a positive integer`);
      maxSeqLength = value;
    }
  }

  const modulesFile = path.join(dir, "modules.json");
  if (!existsSync(modulesFile)) {
    return { pooling: "mean", normalize: false, maxSeqLength, source: "default: mean, no normalisation (no modules.json)", ignoredModules: [] };
  }
  const modules = readJsonFile(modulesFile, "sentence-transformers modules");
  if (!Array.isArray(modules)) throw new Error(`${modulesFile}: expected a JSON array of modules`);

  let pooling: PoolingMode | undefined;
  let poolingFile = "";
  let normalize = false;
  const ignoredModules: string[] = [];
  for (const m of modules as { type?: unknown; path?: unknown }[]) {
    const type = typeof m?.type === "string" ? m.type : "";
    const kind = type.split(".").pop() ?? "";
    if (kind === "Transformer") continue;
    if (kind === "Pooling") {
      poolingFile = path.join(dir, typeof m.path === "string" ? m.path : "", "config.json");
      pooling = poolingModeFromConfig(await readJsonObject(poolingFile, "sentence-transformers Pooling module"), poolingFile);
    } else if (kind === "Normalize") {
      normalize = true;
    } else {
      ignoredModules.push(type || JSON.stringify(m));
    }
  }
  const source =
    pooling !== undefined
      ? `${path.relative(dir, poolingFile)}${normalize ? " + Normalize" : ""} (modules.json)`
      : `default: mean (modules.json has no Pooling module)${normalize ? " + Normalize" : ""}`;
  return { pooling: pooling ?? "mean", normalize, maxSeqLength, source, ignoredModules };
}
