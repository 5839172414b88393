/**
 * Every environment variable the lab reads, in one place: its name, default, meaning and who uses it. Code reads a setting
 * through `setting(name)` (or a typed reader below), never `process.env` directly, so this table is the whole list.
 * README.md and environment.md list the same variables; `settingsTable()` prints them as a markdown table.
 *
 * Functions that take an `env` record (for tests) pass it on: `setting(name, env)`.
 */
import { availableParallelism } from "node:os";

export interface SettingRecord {
  name: string;
  /** the default, in words ("" when unset means "not used") */
  default: string;
  meaning: string;
  /** the files that read it */
  usedBy: string[];
}

/** shiftlab's own settings, all optional. */
export const SETTINGS: readonly SettingRecord[] = [
  {
    name: "SHIFTLAB_ASSETS",
    default: "./assets if it exists, else ../shared",
    meaning: "folder holding models/ and data/",
    usedBy: ["assets/paths.ts"],
  },
  {
    name: "SHIFTLAB_MODEL",
    default: "shiftlab-mini-encoder when the assets have it, else sentence-transformers/all-MiniLM-L6-v2",
    meaning: "the default model reference (loadModel(), --model)",
    usedBy: ["assets/model_ref.ts", "experiments/sweep.ts"],
  },
  {
    name: "SHIFTLAB_MODELS",
    default: "(none)",
    meaning: "comma-separated model references added to notebook 05's sweep and notebook 10's overview",
    usedBy: ["experiments/sweep.ts", "experiments/models_overview.ts"],
  },
  {
    name: "SHIFTLAB_BACKEND",
    default: "the fastest that works",
    meaning: "tfjs backend, one of tensorflow-gpu, webgpu, tensorflow, wasm, cpu (fails loudly if unusable)",
    usedBy: ["backend/select.ts"],
  },
  {
    name: "SHIFTLAB_ENGINE",
    default: "the fastest that loads",
    meaning:
      "what computes the hidden states: onnxruntime (the model's ONNX graph on onnxruntime-node's CPU) or tfjs (fails loudly if unusable)",
    usedBy: ["encoders/engine_select.ts"],
  },
  {
    name: "SHIFTLAB_THREADS",
    default: "every core (os.availableParallelism())",
    meaning:
      "threads: the onnxruntime engine's intra-op threads; for tfjs on wasm, worker threads that share the texts (a positive integer)",
    usedBy: ["encoders/engine_select.ts", "embedding/worker_pool_model.ts"],
  },
  {
    name: "SHIFTLAB_ORT_PROVIDER",
    default: "cuda when its provider library is installed, else cpu",
    meaning:
      "onnxruntime execution provider: cpu, cuda or webgpu (fails loudly if it cannot start; the default falls back to cpu and says why)",
    usedBy: ["encoders/engine_select.ts"],
  },
  {
    name: "SHIFTLAB_SCALE",
    default: "full",
    meaning: "notebook size: small (seeded, minutes; what CI runs) or full",
    usedBy: ["notebook/context.ts", "notebook/run.ts (sets it for --scale)"],
  },
  {
    name: "SHIFTLAB_SEED",
    default: "2603",
    meaning: "the notebooks' seed (an integer)",
    usedBy: ["notebook/context.ts"],
  },
  {
    name: "SHIFTLAB_OUTPUT",
    default: "<project>/output",
    meaning: "figures, tables and executed notebooks",
    usedBy: ["assets/paths.ts"],
  },
  {
    name: "SHIFTLAB_CACHE",
    default: "<project>/.cache",
    meaning: "embedding cache, downloads and other re-creatable files",
    usedBy: ["assets/paths.ts"],
  },
  {
    name: "SHIFTLAB_NO_CACHE",
    default: "unset",
    meaning: "1 (or true, yes): bypass the embedding cache (nothing read or written)",
    usedBy: ["embedding/cache.ts"],
  },
  {
    name: "SHIFTLAB_CACHE_CLEAR",
    default: "unset",
    meaning: "1 (or true, yes): empty each embedding-cache folder on its first use in a process",
    usedBy: ["embedding/cache.ts"],
  },
  {
    name: "SHIFTLAB_JUPYTER",
    default: "/usr/bin/jupyter, else jupyter on PATH",
    meaning: "the Jupyter command for headless notebook runs",
    usedBy: ["notebook/run.ts"],
  },
  {
    name: "SHIFTLAB_CHROMIUM",
    default: "/usr/bin/chromium (or chromium-browser, google-chrome)",
    meaning: "the browser that exports figures to SVG and PNG",
    usedBy: ["figures/render.ts"],
  },
];

/** Variables of other tools that the lab honours as those tools do (read here too, so that all reading is in one place). */
export const EXTERNAL_VARIABLES: readonly SettingRecord[] = [
  { name: "HF_HUB_CACHE", default: "$HF_HOME/hub", meaning: "Hugging Face hub cache", usedBy: ["assets/model_ref.ts"] },
  {
    name: "HF_HOME",
    default: "$XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface",
    meaning: "Hugging Face home",
    usedBy: ["assets/model_ref.ts"],
  },
  { name: "XDG_CACHE_HOME", default: "~/.cache", meaning: "user cache folder", usedBy: ["assets/model_ref.ts"] },
  {
    name: "HF_HUB_OFFLINE",
    default: "unset",
    meaning: "1 (or true, yes): never download from the hub",
    usedBy: ["assets/model_ref.ts"],
  },
  { name: "HF_ENDPOINT", default: "https://huggingface.co", meaning: "hub address", usedBy: ["assets/model_ref.ts"] },
  { name: "HF_TOKEN", default: "unset", meaning: "hub access token (gated models)", usedBy: ["assets/model_ref.ts"] },
  {
    name: "LD_LIBRARY_PATH",
    default: "unset",
    meaning: "where CUDA libraries are looked for (tensorflow-gpu)",
    usedBy: ["backend/select.ts"],
  },
  {
    name: "JUPYTER_PATH",
    default: "unset",
    meaning: "extended with the project root so Jupyter finds kernels/tslab",
    usedBy: ["notebook/run.ts"],
  },
];

/** The notebook size (SHIFTLAB_SCALE). */
export type Scale = "small" | "full";
export type Environment = Record<string, string | undefined>;

const KNOWN = new Set([...SETTINGS, ...EXTERNAL_VARIABLES].map((s) => s.name));

/** The trimmed value of a documented variable, or undefined when it is unset or blank. */
export function setting(name: string, env: Environment = process.env): string | undefined {
  if (!KNOWN.has(name)) throw new Error(`setting: ${name} is not listed in src/settings.ts; add a record for it there`);
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** A "1" (or true/yes) switch such as SHIFTLAB_NO_CACHE. */
export function settingFlag(name: string, env: Environment = process.env): boolean {
  return /^(1|true|yes)$/i.test(setting(name, env) ?? "");
}

/** SHIFTLAB_SCALE: small | full, default full. */
export function scaleSetting(env: Environment = process.env): Scale {
  const raw = (setting("SHIFTLAB_SCALE", env) ?? "full").toLowerCase();
  if (raw !== "small" && raw !== "full")
    throw new Error(`SHIFTLAB_SCALE must be "small" or "full", got ${JSON.stringify(raw)}`);
  return raw;
}

/** SHIFTLAB_SEED: an integer, default 2603. */
export function seedSetting(env: Environment = process.env): number {
  const raw = setting("SHIFTLAB_SEED", env) ?? "2603";
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`SHIFTLAB_SEED must be an integer, got ${JSON.stringify(raw)}`);
  return seed;
}

/** SHIFTLAB_THREADS: a positive integer, default every core (os.availableParallelism()). */
export function threadsSetting(env: Environment = process.env): number {
  const raw = setting("SHIFTLAB_THREADS", env);
  if (raw === undefined) return availableParallelism();
  const threads = Number(raw);
  if (!Number.isInteger(threads) || threads < 1)
    throw new Error(`SHIFTLAB_THREADS must be a positive integer, got ${JSON.stringify(raw)}`);
  return threads;
}

/** The environment for a child process (e.g. Jupyter): ours, plus the given variables. */
export function childEnvironment(extra: Environment = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

/** The settings as a markdown table (name, default, meaning), for README and environment.md. */
export function settingsTable(records: readonly SettingRecord[] = SETTINGS): string {
  const rows = records.map((s) => `| \`${s.name}\` | ${s.default} | ${s.meaning} |`);
  return ["| variable | default | meaning |", "| --- | --- | --- |", ...rows].join("\n");
}
