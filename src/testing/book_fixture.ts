/** A book-like document for the text and sentence-unit tests: a title, a byline, two chapters with headings, prose paragraphs of 1–3 sentences. */
export const BOOK = [
  "THE TEST BOOK.",
  "By A. Writer",
  "CHAPTER I.",
  "One starts here. Two follows.",
  "Three is alone.",
  "Four begins. Five goes on. Six ends it.",
  "CHAPTER II.",
  "Seven opens the second part. Eight is next.",
  "Nine closes the book.",
].join("\n\n");
