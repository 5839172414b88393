/**
 * Loaders for the corpora under `<assets>/data/` (see each folder's PROVENANCE.md).
 *
 * Every corpus comes back as `Document[]` in file order. `limit` draws a seeded sample (default seed 0) and keeps the sampled
 * documents in file order, so the same (limit, seed) always gives the same documents. JSONL is split on "\n" only: some
 * texts contain U+0085 / U+2028-style separators that other line splitters would break on.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { assetsRoot } from "../assets/paths";
import { setting } from "../settings";
import { sampleInOrder, seededRandom } from "../util/random";

export interface Document {
  id: string;
  title?: string;
  text: string;
  /** arXiv: primary category (arxiv) or top-level archive (arxiv2007); BBC/Brown: topic/genre; Gutenberg: the author */
  category?: string;
  /** the corpus name the document came from (one of CORPUS_NAMES) */
  source: string;
}

export const CORPUS_NAMES = [
  "arxiv",
  "arxiv2007",
  "wikitext",
  "gutenberg",
  "bbc",
  "brown",
  "scifact",
  "msmarco",
  "dbpedia",
] as const;
export type CorpusName = (typeof CORPUS_NAMES)[number];
export const BEIR_NAMES = ["scifact", "msmarco", "dbpedia"] as const;
export type BeirName = (typeof BEIR_NAMES)[number];

export const CORPUS_DESCRIPTIONS: Record<CorpusName, string> = {
  arxiv:
    "1,000 ML/CV arXiv abstracts (~8 sentences each); held out from the mini encoder's training: the default arXiv set",
  arxiv2007:
    "2,000 arXiv abstracts of April 2007, all fields (category = top-level archive); seen in the mini encoder's training",
  wikitext: "62 WikiText-2 test articles (long, multi-paragraph Wikipedia text; '## Heading' lines removed)",
  gutenberg: "80 Project Gutenberg books, boilerplate stripped, cut to the first maxChars characters (default 200,000)",
  bbc: "2,225 BBC News articles in 5 topics; heldOut: true keeps the 556 with crc32(id) % 4 == 0 (unseen by the mini encoder)",
  brown: "500 Brown Corpus samples of ~2,000 words in 15 genres",
  scifact: "BEIR SciFact: 5,183 scientific abstracts, 300 test claims (held out)",
  msmarco: "MS MARCO passages: 5,000 around the TREC-DL-2019 queries, 43 judged queries (held out)",
  dbpedia: "BEIR DBPedia-Entity: 5,000 entity abstracts, 40 judged queries (held out)",
};

export interface LoadCorpusOptions {
  /** keep at most this many documents: a seeded sample, in file order */
  limit?: number;
  /** seed of the `limit` sample (default 0) */
  seed?: number;
  /** cut every text to at most this many characters, at a paragraph or word boundary (gutenberg default: 200,000) */
  maxChars?: number;
  /** bbc only: keep just the quarter held out from the mini encoder's training (crc32(_id) % 4 == 0) */
  heldOut?: boolean;
  /** folder holding data/ (default: assetsRoot()) */
  assetsDir?: string;
}

export interface BeirDataset {
  corpus: Document[];
  /** only the queries that have judgments in the split */
  queries: { id: string; text: string }[];
  /** query id → (document id → graded relevance; zeros kept) */
  qrels: Map<string, Map<string, number>>;
}

export interface LoadBeirOptions {
  /** qrels file to read (default "test"; scifact also has "train") */
  split?: string;
  /** keep every judged document plus a seeded sample of the others, up to this many documents in all */
  limit?: number;
  seed?: number;
  assetsDir?: string;
}

export const GUTENBERG_DEFAULT_MAX_CHARS = 200_000;

const CORPUS_FILES: Record<CorpusName, string> = {
  arxiv: "arxiv-abstracts/arxiv_ml_1000.jsonl",
  arxiv2007: "arxiv-abstracts/arxiv_all_2007_2000.jsonl",
  wikitext: "wikitext2-test-articles/articles.jsonl",
  gutenberg: "gutenberg-books-80/index.tsv",
  bbc: "bbc-news-2225/bbc_news.jsonl",
  brown: "brown-corpus-500/brown.jsonl",
  scifact: "beir-scifact/corpus.jsonl",
  msmarco: "msmarco-trecdl2019-5k/corpus.jsonl",
  dbpedia: "beir-dbpedia-entity-5k/corpus.jsonl",
};

export function isCorpusName(s: string): s is CorpusName {
  return (CORPUS_NAMES as readonly string[]).includes(s);
}

export function loadCorpus(name: CorpusName, options: LoadCorpusOptions = {}): Document[] {
  if (!isCorpusName(name)) throw new Error(`loadCorpus: unknown corpus "${name}" (known: ${CORPUS_NAMES.join(", ")})`);
  if (options.heldOut && name !== "bbc") throw new Error(`loadCorpus("${name}"): heldOut applies to bbc only`);
  const path = corpusFile(name, options.assetsDir);
  if (name === "gutenberg") return loadGutenberg(path, options);

  let records = readJsonl(path, name);
  if (name === "bbc" && options.heldOut) records = records.filter((r) => crc32(String(r._id)) % 4 === 0);
  const picked = sampleInFileOrder(records, options.limit, options.seed);
  const maxChars = options.maxChars ?? Infinity;
  return picked.map((r) => {
    const doc = recordToDocument(r, name);
    return { ...doc, text: cutAtBoundary(doc.text, maxChars) };
  });
}

export function loadBeir(name: BeirName, options: LoadBeirOptions = {}): BeirDataset {
  if (!(BEIR_NAMES as readonly string[]).includes(name)) {
    throw new Error(`loadBeir: "${name}" is not a BEIR set (known: ${BEIR_NAMES.join(", ")})`);
  }
  const folder = join(dataRoot(options.assetsDir), CORPUS_FILES[name].split("/")[0]);
  const qrels = readQrels(join(folder, "qrels", `${options.split ?? "test"}.tsv`), name);
  const queries = readJsonl(join(folder, "queries.jsonl"), name)
    .filter((r) => qrels.has(String(r._id)))
    .map((r) => ({ id: String(r._id), text: String(r.text) }));

  let records = readJsonl(join(folder, "corpus.jsonl"), name);
  if (options.limit !== undefined && options.limit < records.length) {
    // Shrinking the corpus must not drop relevant documents, or the benchmark changes meaning.
    const judged = new Set<string>();
    for (const docs of qrels.values()) for (const id of docs.keys()) judged.add(id);
    const isJudged = records.map((r) => judged.has(String(r._id)));
    const others = records.filter((_, i) => !isJudged[i]);
    const keepOthers = new Set(sampleInFileOrder(others, Math.max(0, options.limit - judged.size), options.seed));
    records = records.filter((r, i) => isJudged[i] || keepOthers.has(r));
  }
  return { corpus: records.map((r) => recordToDocument(r, name)), queries, qrels };
}

/** CRC-32 (IEEE 802.3, as zlib.crc32 / Python's zlib.crc32) of the UTF-8 bytes of `text`, as an unsigned integer. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, "utf8")) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

const GUTENBERG_START = /\*\*\*\s*START OF (THE|THIS) PROJECT GUTENBERG/i;
const GUTENBERG_END = /\*\*\*\s*END OF (THE|THIS) PROJECT GUTENBERG/i;
const GUTENBERG_END_NOTE = /^\s*End of (the |this )?Project Gutenberg/i;

/**
 * The book between the START and END marker lines (PROVENANCE rule), without the "End of the Project Gutenberg EBook ..."
 * line that precedes the END marker. A file without a START marker is kept whole.
 */
export function stripGutenbergBoilerplate(raw: string): { text: string; hadMarkers: boolean } {
  const lines = raw.split("\n");
  const start = lines.findIndex((l) => GUTENBERG_START.test(l));
  if (start < 0) return { text: raw.trim(), hadMarkers: false };
  let end = lines.findIndex((l, i) => i > start && GUTENBERG_END.test(l));
  if (end < 0) end = lines.length;
  const body = lines.slice(start + 1, end).filter((l) => !GUTENBERG_END_NOTE.test(l));
  return { text: body.join("\n").trim(), hadMarkers: true };
}

/** At most maxChars characters of `text`, cut at the last paragraph break (or else whitespace) before the limit. */
export function cutAtBoundary(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = text.slice(0, maxChars + 1);
  const paragraph = head.lastIndexOf("\n\n");
  if (paragraph > maxChars / 2) return head.slice(0, paragraph).trimEnd();
  const space = head.search(/\s\S*$/);
  return (space > 0 ? head.slice(0, space) : head.slice(0, maxChars)).trimEnd();
}

/** Parse a JSONL file, one record a line, split on "\n" only. */
export function readJsonl(path: string, corpus: string): Record<string, unknown>[] {
  const lines = readAsset(path, corpus).split("\n");
  const records: Record<string, unknown>[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      records.push(JSON.parse(line));
    } catch (e) {
      throw new Error(`${path}:${i + 1}: not valid JSON (${(e as Error).message})`);
    }
  });
  return records;
}

function loadGutenberg(indexPath: string, options: LoadCorpusOptions): Document[] {
  const [header, ...rows] = readAsset(indexPath, "gutenberg")
    .split("\n")
    .filter((l) => l.trim() !== "");
  const columns = header.split("\t");
  const column = (name: string) => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`${indexPath}: no "${name}" column in the header`);
    return i;
  };
  const [fileCol, titleCol, authorCol] = [column("file"), column("title"), column("author")];
  const picked = sampleInFileOrder(rows, options.limit, options.seed);
  const maxChars = options.maxChars ?? GUTENBERG_DEFAULT_MAX_CHARS;
  return picked.map((line) => {
    const cells = line.split("\t");
    const file = cells[fileCol];
    const { text } = stripGutenbergBoilerplate(readAsset(join(indexPath, "..", "texts", file), "gutenberg"));
    return {
      id: file.replace(/\.txt$/, ""),
      title: cells[titleCol] || undefined,
      text: cutAtBoundary(text, maxChars),
      category: cells[authorCol] || undefined,
      source: "gutenberg",
    };
  });
}

function recordToDocument(r: Record<string, unknown>, corpus: CorpusName): Document {
  if (typeof r._id !== "string" || typeof r.text !== "string") {
    throw new Error(`corpus "${corpus}": a record lacks a string _id or text (${JSON.stringify(r).slice(0, 120)})`);
  }
  let text = r.text;
  // WikiText headings ("## = Career =") are structure, not sentences.
  if (corpus === "wikitext")
    text = text
      .split("\n")
      .filter((l) => !l.startsWith("## "))
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
  const category = corpus === "arxiv2007" ? r.top_level : corpus === "arxiv" ? r.primary : r.category;
  const doc: Document = { id: r._id, text, source: corpus };
  if (typeof r.title === "string" && r.title !== "") doc.title = r.title;
  if (typeof category === "string" && category !== "") doc.category = category;
  return doc;
}

function readQrels(path: string, corpus: string): Map<string, Map<string, number>> {
  const [header, ...lines] = readAsset(path, corpus).split("\n");
  if (!/^query-id\tcorpus-id\tscore/.test(header))
    throw new Error(`${path}: expected the header "query-id\\tcorpus-id\\tscore"`);
  const qrels = new Map<string, Map<string, number>>();
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const [query, doc, score] = line.split("\t");
    const value = Number(score);
    if (doc === undefined || !Number.isFinite(value))
      throw new Error(`${path}:${i + 2}: expected query-id, corpus-id, score`);
    if (!qrels.has(query)) qrels.set(query, new Map());
    qrels.get(query)!.set(doc, value);
  });
  return qrels;
}

/** A seeded sample of `limit` items, in their original order (all items when limit is absent or large enough). */
function sampleInFileOrder<T>(items: T[], limit: number | undefined, seed = 0): T[] {
  return limit === undefined ? items : sampleInOrder(items, limit, seededRandom(seed));
}

function dataRoot(assetsDir?: string): string {
  return join(assetsDir ?? assetsRoot(), "data");
}

function corpusFile(name: CorpusName, assetsDir?: string): string {
  return join(dataRoot(assetsDir), CORPUS_FILES[name]);
}

function readAsset(path: string, corpus: string): string {
  if (!existsSync(path)) {
    // `shiftlab fetch` knows datasets by their folder names (data/manifest.json), e.g. arxiv-abstracts.
    const dataset = isCorpusName(corpus) ? CORPUS_FILES[corpus].split("/")[0] : corpus;
    const folder = join(path, "..");
    const hint = existsSync(folder) ? ` (the folder has: ${readdirSync(folder).slice(0, 8).join(", ")})` : "";
    throw new Error(
      `corpus "${corpus}": file not found: ${path}${hint}. Fetch it with \`shiftlab fetch ${dataset}\`, or set SHIFTLAB_ASSETS ` +
        `to the folder that holds data/ and models/ (now ${setting("SHIFTLAB_ASSETS") ?? "unset"}).`,
    );
  }
  return readFileSync(path, "utf8");
}
