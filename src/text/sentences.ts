/**
 * Sentence and paragraph segmentation for English prose (Gutenberg books, arXiv abstracts, news), with no
 * dependency, so that a reader can see every rule that decides where a sentence ends.
 *
 * A sentence ends after a run of . ! ? … (plus any closing quotes or brackets) that is followed by a space and
 * then by something that is not a lowercase letter. A single period is further checked against abbreviations:
 *   - never final: titles and reference words (Mr., Dr., Prof., St., Fig., Eq., e.g., i.e., cf., vs., …);
 *   - final unless a number follows: No., p., Art. and month abbreviations ("No. 5", "Jan. 12");
 *   - final only before a capital: etc., et al., Inc., Ltd., Jr., a.m., p.m., Ph.D.;
 *   - initials ("J. R. R. Tolkien") and dotted acronyms ("U.S."): final only before a common sentence opener
 *     ("The", "We", "In", …), so "U.S. Army" stays whole but "in the U.S. The" splits.
 * Decimals, version numbers, URLs and e-mail addresses never split because a boundary needs a following space.
 * Known limits: a capitalised name after ?/! inside a quote ("Who?" Tom asked) splits; so does a sentence that
 * really starts lowercase, which is joined to the previous one.
 */

export interface SentenceOptions {
  /** blank lines end a sentence (default true) */
  breakOnParagraphs?: boolean;
  /** every line break ends a sentence (default false: books and abstracts are hard-wrapped mid-sentence) */
  breakOnNewlines?: boolean;
}

const NEVER_FINAL = new Set([
  // people and places
  "mr",
  "mrs",
  "ms",
  "mx",
  "messrs",
  "mme",
  "mlle",
  "dr",
  "prof",
  "rev",
  "fr",
  "hon",
  "gen",
  "col",
  "lt",
  "capt",
  "cmdr",
  "sgt",
  "cpl",
  "maj",
  "adm",
  "gov",
  "sen",
  "rep",
  "pres",
  "supt",
  "st",
  "mt",
  // references inside papers and books
  "fig",
  "figs",
  "eq",
  "eqs",
  "eqn",
  "eqns",
  "sec",
  "secs",
  "ch",
  "chap",
  "vol",
  "vols",
  "pp",
  "tab",
  "tbl",
  "ref",
  "refs",
  "thm",
  "lem",
  "prop",
  "cor",
  "def",
  "alg",
  "app",
  "ex",
  // Latin and connective abbreviations
  "e.g",
  "i.e",
  "cf",
  "vs",
  "v",
  "viz",
  "approx",
  "ca",
  "resp",
  "incl",
  "esp",
  "dept",
  "univ",
  "assoc",
]);

const FINAL_UNLESS_NUMBER = new Set([
  "no",
  "nos",
  "nr",
  "p",
  "art",
  "jan",
  "feb",
  "mar",
  "apr",
  "jun",
  "jul",
  "aug",
  "sep",
  "sept",
  "oct",
  "nov",
  "dec",
]);

const FINAL_BEFORE_CAPITAL = new Set([
  "etc",
  "al",
  "inc",
  "ltd",
  "co",
  "corp",
  "llc",
  "jr",
  "sr",
  "esq",
  "bros",
  "a.m",
  "p.m",
  "ph.d",
]);

/** Words that commonly open a sentence; after an initial or acronym they signal a real boundary. */
const SENTENCE_OPENERS = new Set(
  (
    "The A An This That These Those There Here It Its I We You He She They Our My His Her Their Your " +
    "In On At For From To With By As Of After Before During Since Although Though While When Where Why How " +
    "What Which Who Whose If But And Or So Yet However Moreover Furthermore Thus Therefore Hence Finally First " +
    "Second Third Then Now Also Still Nevertheless Instead Indeed Overall Unlike Despite Because Such Some Many " +
    "Most All Each Every No Both One Yes Let Note Consider"
  ).split(" "),
);

const OPENING_MARKS = /^["'“‘(\[{«]+/u;
/** a run of terminators, then any closing quotes or brackets */
const TERMINATOR_RUN = /([.!?…。！？]+)(["'”’)\]}»」』]*)/gu;
const CJK_TERMINATOR = /[。！？]/u;

/** Paragraphs separated by blank lines, each with its whitespace collapsed; empty ones are dropped. */
export function splitParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n\s*\n/)
    .map(normalizeWhitespace)
    .filter((paragraph) => paragraph.length > 0);
}

/** Sentences of the text in order, each trimmed with inner whitespace collapsed to single spaces. */
export function splitSentences(text: string, options: SentenceOptions = {}): string[] {
  const unixText = text.replace(/\r\n?/g, "\n");
  let blocks: string[];
  if (options.breakOnNewlines) blocks = unixText.split("\n");
  else if (options.breakOnParagraphs ?? true) blocks = unixText.split(/\n\s*\n/);
  else blocks = [unixText];
  return blocks.flatMap((block) => splitBlock(normalizeWhitespace(block)));
}

function normalizeWhitespace(text: string): string {
  // ". . ." is one ellipsis, not three sentence ends
  return text
    .replace(/\s+/gu, " ")
    .trim()
    .replace(/\.( \.){2,}/g, "...");
}

function splitBlock(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (const match of text.matchAll(TERMINATOR_RUN)) {
    const end = (match.index ?? 0) + match[0].length;
    const [, run, closers] = match;
    let boundary: boolean;
    if (CJK_TERMINATOR.test(run))
      boundary = true; // CJK text has no spaces between sentences
    else if (end >= text.length || text[end] !== " ")
      boundary = false; // inside a token: 3.14, e.g., x.org
    else boundary = endsSentence(run, closers, wordBefore(text, match.index ?? 0), tokenAt(text, end + 1));
    if (boundary) {
      const sentence = text.slice(start, end).trim();
      if (sentence) sentences.push(sentence);
      start = end;
    }
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

function endsSentence(run: string, closers: string, word: string, nextToken: string): boolean {
  const next = nextToken.replace(OPENING_MARKS, "");
  if (/^\p{Ll}/u.test(next)) return false; // "e.g. the", "Mr. and Mrs.", "“Stop!” he said"
  if (run !== "." || closers !== "") return true; // ! ? … or a closed quote/bracket
  return !periodBelongsToAbbreviation(word, next);
}

function periodBelongsToAbbreviation(word: string, next: string): boolean {
  const key = word.toLowerCase();
  if (NEVER_FINAL.has(key)) return true;
  if (FINAL_UNLESS_NUMBER.has(key)) return /^\p{N}/u.test(next);
  if (FINAL_BEFORE_CAPITAL.has(key)) return !/^\p{Lu}/u.test(next);
  const isInitial = /^\p{Lu}$/u.test(word);
  const isDottedAcronym = /^(\p{L}\.)+\p{L}$/u.test(word);
  if (isInitial || isDottedAcronym) return !SENTENCE_OPENERS.has(next.replace(/[^\p{L}].*$/u, ""));
  return false;
}

/** The word ending at position `end`, without opening quotes or brackets: "(e.g." → "e.g". */
function wordBefore(text: string, end: number): string {
  const start = text.lastIndexOf(" ", end - 1) + 1;
  return text.slice(start, end).replace(OPENING_MARKS, "");
}

function tokenAt(text: string, start: number): string {
  const end = text.indexOf(" ", start);
  return text.slice(start, end < 0 ? text.length : end);
}
