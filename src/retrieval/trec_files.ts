/**
 * Relevance judgments (qrels) and runs in the files trec_eval and BEIR use. Every malformed line is an error that names the
 * file and line; nothing is skipped except empty lines.
 *
 *   qrels, BEIR:  query-id \t corpus-id \t score           (an optional header line "query-id\tcorpus-id\tscore")
 *   qrels, TREC:  query-id  iteration  doc-id  relevance    (whitespace-separated; the iteration is ignored)
 *   run, TREC:    query-id  Q0  doc-id  rank  score  tag    (whitespace-separated; rank and Q0 are read but, as in trec_eval,
 *                 only the score orders the documents)
 * A relevance is an integer; values ≤ 0 are judged non-relevant. A (query, document) pair may appear once per file.
 */
import type { Hit } from "./ranking";

/** query id → document id → graded relevance */
export type Qrels = Map<string, Map<string, number>>;
/** query id → its retrieved documents with scores */
export type Run = Map<string, Hit[]>;

export interface QrelsEntry {
  queryId: string;
  docId: string;
  relevance: number;
  /** 1-based line in its file */
  line: number;
}

export interface ParsedQrels {
  qrels: Qrels;
  entries: QrelsEntry[];
}

export function parseQrels(text: string, file: string): ParsedQrels {
  const qrels: Qrels = new Map();
  const entries: QrelsEntry[] = [];
  const seenAt = new Map<string, number>();
  forEachLine(text, (line, lineNumber) => {
    const fields = line.includes("\t") ? line.split("\t").map((f) => f.trim()) : line.trim().split(/\s+/);
    if (lineNumber === 1 && fields.length === 3 && fields[2] === "score") return; // BEIR header
    let queryId: string, docId: string, relevanceText: string;
    if (fields.length === 3) [queryId, docId, relevanceText] = fields;
    else if (fields.length === 4) [queryId, , docId, relevanceText] = fields;
    else
      throw new Error(
        `${file}:${lineNumber}: a qrels line has 3 (BEIR) or 4 (TREC) fields, found ${fields.length}: ${clip(line)}`,
      );
    if (queryId === "" || docId === "")
      throw new Error(`${file}:${lineNumber}: empty query or document id: ${clip(line)}`);
    const relevance = Number(relevanceText);
    if (relevanceText === "" || !Number.isInteger(relevance)) {
      throw new Error(`${file}:${lineNumber}: relevance must be an integer, got ${JSON.stringify(relevanceText)}`);
    }
    const key = `${queryId}\u0000${docId}`;
    const earlier = seenAt.get(key);
    if (earlier !== undefined)
      throw new Error(
        `${file}:${lineNumber}: query ${queryId} judges document ${docId} again (first on line ${earlier})`,
      );
    seenAt.set(key, lineNumber);
    let judged = qrels.get(queryId);
    if (judged === undefined) qrels.set(queryId, (judged = new Map()));
    judged.set(docId, relevance);
    entries.push({ queryId, docId, relevance, line: lineNumber });
  });
  return { qrels, entries };
}

export function parseRun(text: string, file: string): Run {
  const run: Run = new Map();
  const seenAt = new Map<string, number>();
  forEachLine(text, (line, lineNumber) => {
    const fields = line.trim().split(/\s+/);
    if (fields.length !== 6) {
      throw new Error(
        `${file}:${lineNumber}: a run line has 6 fields (query Q0 doc rank score tag), found ${fields.length}: ${clip(line)}`,
      );
    }
    const [queryId, , docId, rankText, scoreText] = fields;
    if (!/^-?\d+$/.test(rankText))
      throw new Error(`${file}:${lineNumber}: rank must be an integer, got ${JSON.stringify(rankText)}`);
    const score = Number(scoreText);
    if (!Number.isFinite(score))
      throw new Error(`${file}:${lineNumber}: score must be a finite number, got ${JSON.stringify(scoreText)}`);
    const key = `${queryId}\u0000${docId}`;
    const earlier = seenAt.get(key);
    if (earlier !== undefined)
      throw new Error(
        `${file}:${lineNumber}: query ${queryId} retrieves document ${docId} twice (first on line ${earlier})`,
      );
    seenAt.set(key, lineNumber);
    let hits = run.get(queryId);
    if (hits === undefined) run.set(queryId, (hits = []));
    hits.push({ docId, score });
  });
  return run;
}

/** A TREC run file: one line per hit, ranks 1… in the given order, scores in full precision (so no ties are made up). */
export function formatRun(run: Run, tag: string): string {
  if (/\s/.test(tag) || tag === "")
    throw new Error(`formatRun: the run tag must be one word, got ${JSON.stringify(tag)}`);
  const lines: string[] = [];
  for (const [queryId, hits] of run)
    hits.forEach((hit, i) => lines.push(`${queryId} Q0 ${hit.docId} ${i + 1} ${hit.score} ${tag}`));
  return lines.length > 0 ? lines.join("\n") + "\n" : "";
}

function forEachLine(text: string, visit: (line: string, lineNumber: number) => void): void {
  text.split("\n").forEach((raw, i) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() !== "") visit(line, i + 1);
  });
}

function clip(line: string): string {
  return line.length > 80 ? line.slice(0, 80) + "…" : line;
}
