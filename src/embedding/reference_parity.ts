/**
 * A loaded model against the reference outputs stored beside its checkpoint: the architecture fixtures' reference.json
 * (scripts/fixtures/make_*_fixture*.py: sentence-transformers' pooled vectors per text, and per prompt for the
 * sentence-modules fixture) or the shared assets' reference/parity.json (PyTorch's pooled vectors per mode). A numerical check
 * (a failure is a bug), not a claim; checkpoints without a reference give undefined.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { EmbeddingModel } from "./model";

export const PARITY_TOLERANCE = 1e-4;

export interface ReferenceParity {
  /** the reference file */
  reference: string;
  /** vectors compared */
  vectors: number;
  maxAbsDiff: number;
  tolerance: number;
  passed: boolean;
}

interface Expectation {
  texts: string[];
  prompt?: string;
  rows: number[][];
}

function normalized(v: number[]): number[] {
  const n = Math.hypot(...v);
  return v.map((x) => x / Math.max(n, 1e-12));
}

/** What to embed and what to expect, from whichever reference file the checkpoint folder holds. */
function expectations(model: EmbeddingModel): { file: string; cases: Expectation[] } | undefined {
  const dir = model.info.source;
  const fixture = path.join(dir, "reference.json");
  const assets = path.join(dir, "reference", "parity.json");
  if (dir !== "" && existsSync(fixture)) {
    const json = JSON.parse(readFileSync(fixture, "utf8"));
    if (Array.isArray(json.cases)) {
      const cases = (json.cases as { prompt_name?: string; prompt?: string; batch: number[][] }[]).map((c) => ({
        texts: json.texts as string[],
        prompt: c.prompt_name ?? c.prompt ?? "",
        rows: c.batch,
      }));
      return { file: fixture, cases };
    }
    const single = json.single as { text: string; pooled: number[] }[];
    return { file: fixture, cases: [{ texts: single.map((s) => s.text), rows: single.map((s) => s.pooled) }] };
  }
  if (dir !== "" && existsSync(assets)) {
    const items = JSON.parse(readFileSync(assets, "utf8")).items as {
      text: string;
      pooled: Record<string, number[]>;
    }[];
    const { defaultPooling, normalize } = model.info;
    return {
      file: assets,
      cases: [
        {
          texts: items.map((it) => it.text),
          rows: items.map((it) => (normalize ? normalized(it.pooled[defaultPooling]) : it.pooled[defaultPooling])),
        },
      ],
    };
  }
  return undefined;
}

/** The model's default embeddings (its own pooling, modules and normalisation; each stored prompt) against the reference. */
export async function checkReferenceParity(model: EmbeddingModel): Promise<ReferenceParity | undefined> {
  const found = expectations(model);
  if (found === undefined) return undefined;
  let worst = 0;
  let vectors = 0;
  for (const c of found.cases) {
    const m = await model.embed(c.texts, c.prompt === undefined ? {} : { prompt: c.prompt });
    c.rows.forEach((expected, r) => {
      if (expected.length !== m.cols)
        throw new Error(`${found.file}: reference vectors have ${expected.length} values, the model gives ${m.cols}`);
      for (let j = 0; j < m.cols; j++) worst = Math.max(worst, Math.abs(m.data[r * m.cols + j] - expected[j]));
      vectors++;
    });
  }
  return {
    reference: found.file,
    vectors,
    maxAbsDiff: worst,
    tolerance: PARITY_TOLERANCE,
    passed: worst <= PARITY_TOLERANCE,
  };
}
