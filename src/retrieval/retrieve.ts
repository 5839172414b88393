/**
 * Runs over a BEIR dataset: BM25 (./bm25.ts) on title + " " + text, or a dense model (exact cosine search, ./dense_search.ts)
 * with optional corpus-fitted post-processing (./postprocess.ts). Corpus and query embeddings go through the on-disk
 * embedding cache (../embedding/cache.ts), so a second run with the same model and settings only searches. Queries are
 * embedded as their plain text.
 */
import type { EmbeddingModel, EmbedOptions } from "../embedding/model";
import { cachedEmbed } from "../embedding/cache";
import { documentText, type BeirDataset } from "./beir_dataset";
import { Bm25Index, type Bm25Options } from "./bm25";
import { denseSearch } from "./dense_search";
import { fitPostprocess, type PostprocessSpec } from "./postprocess";
import type { Run } from "./trec_files";
import type { Matrix } from "../matrix";

export interface DenseRunOptions {
  embed?: EmbedOptions;
  postprocess?: PostprocessSpec;
  topK: number;
}

export async function denseRun(model: EmbeddingModel, dataset: BeirDataset, options: DenseRunOptions): Promise<Run> {
  const documents = await cachedEmbed(model, dataset.corpus.map(documentText), options.embed);
  const queries = await cachedEmbed(
    model,
    dataset.queries.map((q) => q.text),
    options.embed,
  );
  const post = fitPostprocess(documents, options.postprocess ?? { kind: "none" });
  const hits = denseSearch(
    post.apply(queries),
    post.apply(documents),
    dataset.corpus.map((d) => d.id),
    options.topK,
  );
  return new Map(dataset.queries.map((q, i) => [q.id, hits[i]]));
}

export function bm25Run(dataset: BeirDataset, topK: number, options: Bm25Options = {}): Run {
  const index = new Bm25Index(
    dataset.corpus.map((d) => ({ id: d.id, text: documentText(d) })),
    options,
  );
  return new Map(dataset.queries.map((q) => [q.id, index.search(q.text, topK)]));
}

/** A dense run from vectors already computed (rows in dataset.queries / dataset.corpus order), post-processing fitted on the corpus. */
export function runFromVectors(
  dataset: BeirDataset,
  queries: Matrix,
  documents: Matrix,
  topK: number,
  postprocess?: PostprocessSpec,
): Run {
  const post = fitPostprocess(documents, postprocess ?? { kind: "none" });
  const hits = denseSearch(
    post.apply(queries),
    post.apply(documents),
    dataset.corpus.map((d) => d.id),
    topK,
  );
  return new Map(dataset.queries.map((q, i) => [q.id, hits[i]]));
}
