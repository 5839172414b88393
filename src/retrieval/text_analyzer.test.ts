import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeText, wordTokens } from "./text_analyzer";

test("wordTokens: lower case, inner dots and apostrophes kept, possessives and punctuation removed", () => {
  assert.deepEqual(wordTokens("The cell's DNA, e.g. 3.5 mg/kg (1,000 rats) don't COVID-19."), [
    "the",
    "cell",
    "dna",
    "e.g",
    "3.5",
    "mg",
    "kg",
    "1,000",
    "rats",
    "don't",
    "covid",
    "19",
  ]);
  assert.deepEqual(wordTokens("Naïve café—über"), ["naïve", "café", "über"]);
});

test("analyzeText: stopwords dropped and Porter stems kept in order with repeats", () => {
  assert.deepEqual(analyzeText("The proteins are binding to the receptors; binding is reduced."), [
    "protein",
    "bind",
    "receptor",
    "bind",
    "reduc",
  ]);
  assert.deepEqual(analyzeText("it is not such a thing"), ["thing"]);
});
