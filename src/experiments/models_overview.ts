/**
 * Notebook 10: every architecture the registry knows, each on this machine. Per model: does it load, does it match its stored
 * reference (parity, a numerical check), tokens per second, the MPD of a plain corpus (whole-text embeddings) and Theorem 1's
 * correlation (Spearman of Disp vs C_mean of the model's own embedding of the whole text, seeded bootstrap CI over texts).
 *
 * Models: the tiny random fixtures of src/encoders/testdata (one per architecture; their numbers test the code path, not a
 * trained model), the trained Transformer checkpoints of the shared assets, and whatever SHIFTLAB_MODELS lists.
 */
import { existsSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { assetTransformerModels } from "../assets/model_ref";
import { loadModel } from "../embedding/load_model";
import { DEFAULT_STATIC_MODEL, loadStaticWordModel } from "../encoders/static_word_model";
import type { EmbeddingModel } from "../embedding/model";
import { checkReferenceParity, type ReferenceParity } from "../embedding/reference_parity";
import { meanPairwiseCosineDistance } from "../metrics/geometry";
import { setting, type Environment } from "../settings";
import type { Document } from "../text/corpora";
import { dispersionContextualCorrelation, measureContextualDilution } from "./dilution";
import { sentenceWindows } from "./sentence_units";

export type ModelOrigin = "tiny random fixture" | "trained (shared assets)" | "SHIFTLAB_MODELS" | "static baseline";

export interface OverviewModel {
  label: string;
  ref: string;
  origin: ModelOrigin;
}

export const FIXTURES_DIR = path.join(__dirname, "..", "encoders", "testdata");

/**
 * The fixtures (one folder per architecture, plus sentence-modules), the assets' trained encoders, SHIFTLAB_MODELS, then the
 * static GloVe average (non-contextual: what averaging alone does).
 */
export function overviewModels(
  env: Environment = process.env,
  assetModels: string[] = assetTransformerModels(),
  fixturesDir = FIXTURES_DIR,
): OverviewModel[] {
  const fixtures = existsSync(fixturesDir)
    ? readdirSync(fixturesDir)
        .filter((n) => existsSync(path.join(fixturesDir, n, "config.json")))
        .sort()
    : [];
  const researcher = (setting("SHIFTLAB_MODELS", env) ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return [
    ...fixtures.map((n): OverviewModel => ({
      label: `fixture: ${n}`,
      ref: path.join(fixturesDir, n),
      origin: "tiny random fixture",
    })),
    ...assetModels.map((n): OverviewModel => ({ label: n, ref: n, origin: "trained (shared assets)" })),
    ...researcher.map((ref): OverviewModel => ({
      label:
        ref
          .replace(/[\\/]+$/, "")
          .split(/[\\/]/)
          .pop() || ref,
      ref,
      origin: "SHIFTLAB_MODELS",
    })),
    { label: "GloVe average (static)", ref: DEFAULT_STATIC_MODEL, origin: "static baseline" },
  ];
}

export interface OverviewOptions {
  /** texts (windows of consecutive sentences) per model */
  texts: number;
  sentencesPerWindow: [number, number];
  seed: number;
  resamples: number;
}

export interface ModelOverviewRow {
  [column: string]: string | number | null;
  model: string;
  origin: ModelOrigin;
  /** "yes", or "no: <why>" */
  loads: string;
  modelType: string | null;
  /** e.g. "Pooling(mean) → Normalize" */
  modules: string | null;
  /** prompt names for queries / documents, "—" when none */
  prompts: string | null;
  parityMaxAbsDiff: number | null;
  /** "passed" / "FAILED" / "no reference" */
  parity: string;
  texts: number | null;
  /** whether the texts fit the model whole ("no: truncated to N tokens" when too few did) */
  fits: string | null;
  tokensPerSecond: number | null;
  plainMpd: number | null;
  rho: number | null;
  rhoLower: number | null;
  rhoUpper: number | null;
}

/** below this many windows that fit the model, windows are taken truncated instead */
const MIN_FITTING_TEXTS = 8;

const EMPTY = {
  modelType: null,
  modules: null,
  prompts: null,
  parityMaxAbsDiff: null,
  texts: null,
  fits: null,
  tokensPerSecond: null,
  plainMpd: null,
  rho: null,
  rhoLower: null,
  rhoUpper: null,
};

/** Load one model, measure it, dispose it; a model that does not load gives a row saying why. */
export async function measureModelOverview(
  entry: OverviewModel,
  documents: readonly Document[],
  options: OverviewOptions,
): Promise<ModelOverviewRow> {
  let model: EmbeddingModel;
  try {
    model = entry.origin === "static baseline" ? await loadStaticWordModel(entry.ref) : await loadModel(entry.ref);
  } catch (error) {
    return {
      model: entry.label,
      origin: entry.origin,
      loads: `no: ${(error as Error).message.split("\n")[0]}`,
      parity: "no reference",
      ...EMPTY,
    };
  }
  try {
    const parity = await checkReferenceParity(model);
    return {
      model: entry.label,
      origin: entry.origin,
      loads: "yes",
      ...(await measureLoaded(model, documents, options)),
      ...parityColumns(parity),
    };
  } finally {
    model.dispose();
  }
}

function parityColumns(parity: ReferenceParity | undefined): Pick<ModelOverviewRow, "parity" | "parityMaxAbsDiff"> {
  if (parity === undefined) return { parity: "no reference", parityMaxAbsDiff: null };
  return { parity: parity.passed ? "passed" : "FAILED", parityMaxAbsDiff: parity.maxAbsDiff };
}

async function measureLoaded(model: EmbeddingModel, documents: readonly Document[], options: OverviewOptions) {
  const info = model.info as EmbeddingModel["info"] & { modules?: string[] };
  const draw = (fit: boolean) =>
    sentenceWindows(documents, {
      count: options.texts,
      sentencesPerWindow: options.sentencesPerWindow,
      seed: options.seed,
      ...(fit ? { countTokens: (texts: string[]) => model.countTokens(texts), maxTokens: model.info.maxLength } : {}),
    }).windows;
  // the fixtures' tiny vocabularies spell words in many pieces: when too few windows fit, take them truncated (said in `fits`)
  let windows = draw(true);
  const fits = windows.length >= MIN_FITTING_TEXTS;
  if (!fits) windows = draw(false);
  const texts = windows.map((w) => w.sentences.join(" "));
  await model.embed(texts.slice(0, 2)); // warm-up: first calls compile kernels
  const started = performance.now();
  const vectors = await model.embed(texts);
  const seconds = (performance.now() - started) / 1000;
  const tokens = model.countTokens(texts).reduce((a, b) => a + Math.min(b, model.info.maxLength), 0);
  const correlation = dispersionContextualCorrelation(await measureContextualDilution(model, windows), {
    seed: options.seed,
    resamples: options.resamples,
  });
  const { estimate, lower, upper } = correlation.interval;
  return {
    modelType: info.modelType,
    modules: (info.modules ?? [`Pooling(${info.defaultPooling})`, ...(info.normalize ? ["Normalize"] : [])]).join(
      " → ",
    ),
    prompts:
      info.queryPrompt === undefined && info.documentPrompt === undefined
        ? "—"
        : `query: ${info.queryPrompt ?? "—"}, documents: ${info.documentPrompt ?? "—"}`,
    texts: texts.length,
    fits: fits ? "yes" : `no: truncated to ${model.info.maxLength} tokens`,
    tokensPerSecond: tokens / seconds,
    plainMpd: texts.length > 1 ? meanPairwiseCosineDistance(vectors) : null,
    rho: estimate,
    rhoLower: lower,
    rhoUpper: upper,
  };
}

/** Theorem 1's correlation "held" for a trained model when the CI of ρ(Disp, C_mean) lies above 0. */
export const THEOREM1_CRITERION = "95% bootstrap CI of Spearman ρ(Disp, contextual C_mean) over texts lies above 0";

export function theorem1Held(row: ModelOverviewRow): boolean {
  return row.rhoLower !== null && row.rhoLower > 0;
}
