import { test } from "node:test";
import assert from "node:assert/strict";
import { splitParagraphs, splitSentences } from "./sentences";

test("plain sentences with . ! and ?", () => {
  assert.deepEqual(splitSentences("It rained. Did it stop? No! We went home."), [
    "It rained.",
    "Did it stop?",
    "No!",
    "We went home.",
  ]);
  assert.deepEqual(splitSentences("Really?! Yes."), ["Really?!", "Yes."]);
  assert.deepEqual(splitSentences("no terminator at the end"), ["no terminator at the end"]);
  assert.deepEqual(splitSentences("   \n  "), []);
});

test("an arXiv-style abstract with e.g., et al., decimals and references", () => {
  const abstract = `Sentence embeddings (e.g. SBERT) are pooled from token states. Reimers et al. (2019) report
a 3.5% gain over v1.2 of the baseline, i.e. a large one, cf. Fig. 2 and Eq. (3). We show that pooling
dilutes meaning by 0.27 on average. Building on Ethayarajh et al. We then measure anisotropy in the
U.S. English and U.K. English subsets vs. a control. Code is at https://github.com/example/shift.lab and
questions go to jane.doe@example.org. Results hold for BERT.`;
  assert.deepEqual(splitSentences(abstract), [
    "Sentence embeddings (e.g. SBERT) are pooled from token states.",
    "Reimers et al. (2019) report a 3.5% gain over v1.2 of the baseline, i.e. a large one, cf. Fig. 2 and Eq. (3).",
    "We show that pooling dilutes meaning by 0.27 on average.",
    "Building on Ethayarajh et al.",
    "We then measure anisotropy in the U.S. English and U.K. English subsets vs. a control.",
    "Code is at https://github.com/example/shift.lab and questions go to jane.doe@example.org.",
    "Results hold for BERT.",
  ]);
});

test("a Gutenberg-style dialogue paragraph, hard-wrapped", () => {
  const paragraph = `"My dear Mr. Bennet," said his lady to him one day, "have you heard that
Netherfield Park is let at last?" Mr. Bennet replied that he had not. "But it is,"
returned she; "for Mrs. Long has just been here, and she told me all about it." Mr.
Bennet made no answer. "Do you not want to know who has taken it?" cried his wife
impatiently. "_You_ want to tell me, and I have no objection to hearing it."`;
  assert.deepEqual(splitSentences(paragraph), [
    `"My dear Mr. Bennet," said his lady to him one day, "have you heard that Netherfield Park is let at last?"`,
    "Mr. Bennet replied that he had not.",
    `"But it is," returned she; "for Mrs. Long has just been here, and she told me all about it."`,
    "Mr. Bennet made no answer.",
    `"Do you not want to know who has taken it?" cried his wife impatiently.`,
    `"_You_ want to tell me, and I have no objection to hearing it."`,
  ]);
});

test("quotes and brackets after the terminator stay with their sentence", () => {
  assert.deepEqual(splitSentences(`He said "stop." Then he left. (See the notes.) It ended.`), [
    `He said "stop."`,
    "Then he left.",
    "(See the notes.)",
    "It ended.",
  ]);
  assert.deepEqual(splitSentences(`She wrote ‘done.’ “Good!” he said.`), [`She wrote ‘done.’`, `“Good!” he said.`]);
});

test("initials, titles and acronyms", () => {
  assert.deepEqual(splitSentences("The Hobbit was written by J. R. R. Tolkien. It sold well."), [
    "The Hobbit was written by J. R. R. Tolkien.",
    "It sold well.",
  ]);
  assert.deepEqual(splitSentences("John F. Kennedy met Dr. Smith at St. Paul's. The U.S. Army waited."), [
    "John F. Kennedy met Dr. Smith at St. Paul's.",
    "The U.S. Army waited.",
  ]);
  assert.deepEqual(splitSentences("Details are in Appendix A. We use them. He moved to the U.S. The move was hard."), [
    "Details are in Appendix A.",
    "We use them.",
    "He moved to the U.S.",
    "The move was hard.",
  ]);
});

test("abbreviations that may or may not end a sentence", () => {
  assert.deepEqual(
    splitSentences("We bought apples, pears, etc. Then we ate. See No. 5 and p. 12. No. That is wrong."),
    ["We bought apples, pears, etc.", "Then we ate.", "See No. 5 and p. 12.", "No.", "That is wrong."],
  );
  assert.deepEqual(splitSentences("It opened on Jan. 5, 2020 at 9 a.m. in London. I met Jan. He was kind."), [
    "It opened on Jan. 5, 2020 at 9 a.m. in London.",
    "I met Jan.",
    "He was kind.",
  ]);
});

test("ellipses", () => {
  assert.deepEqual(splitSentences("I thought... maybe not. Wait… What? He paused . . . and went on."), [
    "I thought... maybe not.",
    "Wait…",
    "What?",
    "He paused ... and went on.",
  ]);
});

test("numbers, versions and sentences starting with digits", () => {
  assert.deepEqual(splitSentences("Pi is 3.14159. 42 people use tfjs v4.22.0 daily. Accuracy rose to 91.5%."), [
    "Pi is 3.14159.",
    "42 people use tfjs v4.22.0 daily.",
    "Accuracy rose to 91.5%.",
  ]);
});

test("line and paragraph breaks", () => {
  const text = "First line without a stop\nstill the same sentence.\n\nA heading\n\nBody text. More text.";
  assert.deepEqual(splitSentences(text), [
    "First line without a stop still the same sentence.",
    "A heading",
    "Body text.",
    "More text.",
  ]);
  assert.deepEqual(splitSentences(text, { breakOnNewlines: true }), [
    "First line without a stop",
    "still the same sentence.",
    "A heading",
    "Body text.",
    "More text.",
  ]);
  assert.deepEqual(splitSentences(text, { breakOnParagraphs: false }), [
    "First line without a stop still the same sentence.",
    "A heading Body text.",
    "More text.",
  ]);
  assert.deepEqual(splitSentences("Windows\r\nline ends.\r\n\r\nNext  paragraph\t here."), [
    "Windows line ends.",
    "Next paragraph here.",
  ]);
});

test("splitParagraphs splits on blank lines and collapses whitespace", () => {
  const text = "  Chapter 1\n\nIt was a\ndark night.\n   \n\nThe end.  \n";
  assert.deepEqual(splitParagraphs(text), ["Chapter 1", "It was a dark night.", "The end."]);
  assert.deepEqual(splitParagraphs(""), []);
});
