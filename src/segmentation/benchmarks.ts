/**
 * Segmentation benchmarks built by seeded recipes from the shared corpora (never stored as data): each document comes with
 * its true boundaries, so any chunker can be scored against them (metrics.ts, benchmark.ts).
 * - `choiStyle` (Choi 2000): 10 segments, each the first n sentences of a different random Brown corpus document, n drawn
 *   uniformly from minSentences … maxSentences (3–11; Choi's subsets are 3–5, 6–8 and 9–11). Sentences with fewer than 3
 *   words are dropped first (documentSentences), and a Brown document too short for n is passed over for another.
 * - `arxivConcatenated`: `segments` (default 6) different abstracts of the held-out arXiv set (the "arxiv" corpus, unseen
 *   by the mini encoder), one after another; a boundary where each abstract starts.
 * - `wikitextSections`: each WikiText-2 test article cut at its top-level section headings ("## = Title ="); subsection
 *   headings are dropped without a boundary, the lead before the first heading is the first segment, and a section left
 *   without sentences joins the next.
 */
import { join } from "node:path";
import { assetsRoot } from "../assets/paths";
import { loadCorpus, readJsonl } from "../text/corpora";
import { documentSentences, normalizeSpaces, plainSentences, withMinWords } from "../text/document_sentences";
import { randomInt, sampleInOrder, sampleWithoutReplacement, seededRandom } from "../util/random";
import { boundariesFromSizes } from "./boundaries";

/** A benchmark document: sentences in order and the true boundaries. */
export interface SegmentedDocument {
  id: string;
  sentences: string[];
  boundaries: number[];
}

export interface ChoiOptions {
  documents: number;
  seed?: number;
  segments?: number;
  minSentences?: number;
  maxSentences?: number;
}

export function choiStyle(options: ChoiOptions): SegmentedDocument[] {
  const { segments = 10, minSentences = 3, maxSentences = 11, seed = 0 } = options;
  const sources = loadCorpus("brown").map((d) => documentSentences(d));
  const rng = seededRandom(seed);
  return Array.from({ length: options.documents }, (_, i) => {
    const parts: string[][] = [];
    for (const source of sampleWithoutReplacement(sources, sources.length, rng)) {
      if (parts.length === segments) break;
      const n = minSentences + randomInt(rng, maxSentences - minSentences + 1);
      if (source.length >= n) parts.push(source.slice(0, n));
    }
    return segmentedDocument(`choi-${minSentences}-${maxSentences}-${seed}-${i}`, parts);
  });
}

export interface ArxivOptions {
  documents: number;
  seed?: number;
  segments?: number;
}

export function arxivConcatenated(options: ArxivOptions): SegmentedDocument[] {
  const { segments = 6, seed = 0 } = options;
  const abstracts = loadCorpus("arxiv")
    .map((d) =>
      plainSentences(d.text)
        .map(normalizeSpaces)
        .filter((s) => s !== ""),
    )
    .filter((s) => s.length > 0);
  const rng = seededRandom(seed);
  return Array.from({ length: options.documents }, (_, i) =>
    segmentedDocument(`arxiv-concat-${seed}-${i}`, sampleWithoutReplacement(abstracts, segments, rng)),
  );
}

export function wikitextSections(options: { assetsDir?: string } = {}): SegmentedDocument[] {
  const path = join(options.assetsDir ?? assetsRoot(), "data", "wikitext2-test-articles", "articles.jsonl");
  return readJsonl(path, "wikitext")
    .map((record) => {
      const sections: string[][] = [[]];
      for (const block of String(record.text).split(/\n(?=## )/)) {
        const [first, ...rest] = block.split("\n");
        const isHeading = first.startsWith("## ");
        if (isHeading && /^## = [^=]/.test(first) && sections[sections.length - 1].length > 0) sections.push([]);
        const body = isHeading ? rest.join("\n") : block;
        sections[sections.length - 1].push(...withMinWords(plainSentences(body).map(normalizeSpaces), 3));
      }
      return segmentedDocument(
        `wikitext-${String(record._id)}`,
        sections.filter((s) => s.length > 0),
      );
    })
    .filter((d) => d.boundaries.length > 0);
}

function segmentedDocument(id: string, parts: string[][]): SegmentedDocument {
  return { id, sentences: parts.flat(), boundaries: boundariesFromSizes(parts.map((p) => p.length)) };
}

/** A seeded sample of `documents` WikiText articles with at most maxSentences sentences (default: any), in file order. */
export function wikitextSample(options: {
  documents: number;
  seed?: number;
  maxSentences?: number;
}): SegmentedDocument[] {
  const eligible = wikitextSections().filter((d) => d.sentences.length <= (options.maxSentences ?? Infinity));
  return sampleInOrder(eligible, options.documents, seededRandom(options.seed ?? 0));
}
