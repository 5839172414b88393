/**
 * BEIR-format retrieval datasets: a folder with corpus.jsonl, queries.jsonl and qrels/<split>.tsv.
 *
 * Every problem is an error naming the file and line: a line that is not a JSON object, a row without a string `_id` (an
 * integer is taken as its decimal string), a missing `text`, a duplicate id, qrels naming a query or document that does not
 * exist. Only empty lines are skipped. JSONL is split on "\n" alone (some MS MARCO passages hold U+2028).
 * The queries of a split are those its qrels judge, in queries.jsonl order.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { assetsRoot } from "../assets/paths";
import { parseQrels, type Qrels } from "./trec_files";

export interface BeirDocument {
  id: string;
  title: string;
  text: string;
}

export interface BeirQuery {
  id: string;
  text: string;
}

export interface BeirDataset {
  name: string;
  dir: string;
  split: string;
  corpus: BeirDocument[];
  /** the queries the split's qrels judge */
  queries: BeirQuery[];
  qrels: Qrels;
}

/** A folder holding corpus.jsonl as given, else a dataset name under <assets>/data. */
export function resolveDatasetDir(nameOrDir: string): string {
  if (existsSync(path.join(nameOrDir, "corpus.jsonl"))) return path.resolve(nameOrDir);
  const underAssets = path.join(assetsRoot(), "data", nameOrDir);
  if (!nameOrDir.includes("/") && existsSync(path.join(underAssets, "corpus.jsonl"))) return underAssets;
  throw new Error(
    `dataset ${JSON.stringify(nameOrDir)}: neither a folder with corpus.jsonl nor a dataset under ${path.join(assetsRoot(), "data")}`,
  );
}

export function loadBeirDataset(nameOrDir: string, split = "test"): BeirDataset {
  const dir = resolveDatasetDir(nameOrDir);
  const corpusFile = path.join(dir, "corpus.jsonl");
  const queriesFile = path.join(dir, "queries.jsonl");
  const qrelsFile = path.join(dir, "qrels", `${split}.tsv`);
  if (!existsSync(qrelsFile))
    throw new Error(`dataset ${dir}: no qrels for split ${JSON.stringify(split)} (${qrelsFile})`);
  const corpus = parseCorpus(readFileSync(corpusFile, "utf8"), corpusFile);
  const allQueries = parseQueries(readFileSync(queriesFile, "utf8"), queriesFile);
  const { qrels, entries } = parseQrels(readFileSync(qrelsFile, "utf8"), qrelsFile);
  const docIds = new Set(corpus.map((d) => d.id));
  const queryIds = new Set(allQueries.map((q) => q.id));
  for (const entry of entries) {
    if (!queryIds.has(entry.queryId))
      throw new Error(`${qrelsFile}:${entry.line}: query ${JSON.stringify(entry.queryId)} is not in ${queriesFile}`);
    if (!docIds.has(entry.docId))
      throw new Error(`${qrelsFile}:${entry.line}: document ${JSON.stringify(entry.docId)} is not in ${corpusFile}`);
  }
  return { name: path.basename(dir), dir, split, corpus, queries: allQueries.filter((q) => qrels.has(q.id)), qrels };
}

/** The text a document is embedded or indexed as: title + " " + text, trimmed (BEIR's convention). */
export function documentText(document: BeirDocument): string {
  return `${document.title} ${document.text}`.trim();
}

export function parseCorpus(text: string, file: string): BeirDocument[] {
  return parseRecords(text, file).map(({ record, line }) => ({
    id: idOf(record, file, line),
    title: optionalString(record, "title", file, line),
    text: requiredString(record, "text", file, line),
  }));
}

export function parseQueries(text: string, file: string): BeirQuery[] {
  return parseRecords(text, file).map(({ record, line }) => ({
    id: idOf(record, file, line),
    text: requiredString(record, "text", file, line),
  }));
}

type JsonObject = Record<string, unknown>;

/** JSON objects, one a line, each with its 1-based line; ids must be unique within the file. */
function parseRecords(text: string, file: string): { record: JsonObject; line: number }[] {
  const records: { record: JsonObject; line: number }[] = [];
  const idLines = new Map<string, number>();
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === "") return;
    let record: unknown;
    try {
      record = JSON.parse(raw);
    } catch (e) {
      throw new Error(`${file}:${line}: malformed JSON (${(e as Error).message})`);
    }
    if (record === null || typeof record !== "object" || Array.isArray(record))
      throw new Error(`${file}:${line}: not a JSON object`);
    const id = idOf(record as JsonObject, file, line);
    const earlier = idLines.get(id);
    if (earlier !== undefined)
      throw new Error(`${file}:${line}: duplicate _id ${JSON.stringify(id)} (first on line ${earlier})`);
    idLines.set(id, line);
    records.push({ record: record as JsonObject, line });
  });
  return records;
}

function idOf(record: JsonObject, file: string, line: number): string {
  const id = record._id;
  if (typeof id === "string" && id !== "") return id;
  if (typeof id === "number" && Number.isInteger(id)) return String(id);
  throw new Error(`${file}:${line}: row without a string "_id"`);
}

function requiredString(record: JsonObject, field: string, file: string, line: number): string {
  const value = record[field];
  if (typeof value !== "string")
    throw new Error(
      `${file}:${line}: "${field}" must be a string, got ${value === undefined ? "nothing" : typeof value}`,
    );
  return value;
}

function optionalString(record: JsonObject, field: string, file: string, line: number): string {
  return record[field] === undefined ? "" : requiredString(record, field, file, line);
}
