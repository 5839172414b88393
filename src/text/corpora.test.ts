import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assetsRoot } from "../assets/paths";
import { crc32, cutAtBoundary, loadBeir, loadCorpus, readJsonl, stripGutenbergBoilerplate } from "./corpora";

test("corpus sizes match PROVENANCE", () => {
  assert.equal(loadCorpus("arxiv").length, 1000);
  assert.equal(loadCorpus("arxiv2007").length, 2000);
  assert.equal(loadCorpus("bbc").length, 2225);
  assert.equal(loadCorpus("brown").length, 500);
  assert.equal(loadCorpus("wikitext").length, 62);
  const scifact = loadBeir("scifact");
  assert.equal(scifact.corpus.length, 5183);
  assert.equal(scifact.queries.length, 300);
  assert.equal(
    [...scifact.qrels.values()].reduce((n, docs) => n + docs.size, 0),
    339,
  );
});

test("documents carry ids, titles and categories from the files", () => {
  const arxiv = loadCorpus("arxiv")[0];
  assert.deepEqual(
    [arxiv.id, arxiv.category, arxiv.title],
    ["ml-0000", "cs.CV", "Neural ODEs for Image Segmentation with Level Sets"],
  );
  const bbc = loadCorpus("bbc");
  assert.deepEqual(
    { id: bbc[0].id, title: bbc[0].title, category: bbc[0].category, source: bbc[0].source },
    { id: "business/001", title: "Ad sales boost Time Warner profit", category: "business", source: "bbc" },
  );
  assert.equal(loadCorpus("arxiv2007")[0].category, "hep-ph");
  assert.equal(loadCorpus("brown")[0].category, "news");
});

test("wikitext drops the '## Heading' lines", () => {
  const articles = loadCorpus("wikitext");
  assert.equal(articles[0].title, "Robert Boulter");
  for (const a of articles) assert.ok(!/^## /m.test(a.text), `${a.id} still has a heading line`);
  assert.ok(!articles[0].text.includes("Filmography"));
});

test("gutenberg: boilerplate stripped, books cut to maxChars, the marker-less book kept", () => {
  const books = loadCorpus("gutenberg");
  assert.equal(books.length, 80);
  for (const b of books) assert.ok(b.text.length <= 200_000, `${b.id} is ${b.text.length} chars`);
  const carol = books.find((b) => b.id === "pg46-a-christmas-carol")!;
  assert.equal(carol.title, "A Christmas Carol");
  assert.equal(carol.category, "Charles Dickens");
  assert.ok(!/project gutenberg/i.test(carol.text), "PG boilerplate left in A Christmas Carol");
  assert.ok(carol.text.startsWith("Produced by Jose Menendez"), carol.text.slice(0, 80));
  assert.ok(carol.text.endsWith("God bless Us, Every One!"), carol.text.slice(-80));
  const raw = readFileSync(join(assetsRoot(), "data/gutenberg-books-80/texts/pg46-a-christmas-carol.txt"), "utf8");
  assert.equal(carol.text, stripGutenbergBoilerplate(raw).text); // shorter than maxChars: the whole book
  const cthulhu = books.find((b) => b.id === "the-call-of-cthulhu")!;
  assert.ok(cthulhu.text.length > 60_000);
  assert.ok(
    loadCorpus("gutenberg", { limit: 3, maxChars: 1000 }).every((b) => b.text.length <= 1000 && b.text.length > 500),
  );
});

test("stripGutenbergBoilerplate keeps the lines between the markers", () => {
  const raw =
    "header\n*** START OF THIS PROJECT GUTENBERG EBOOK X ***\nbody 1\nbody 2\nEnd of the Project Gutenberg EBook of X\n*** END OF THIS PROJECT GUTENBERG EBOOK X ***\nlicence";
  assert.deepEqual(stripGutenbergBoilerplate(raw), { text: "body 1\nbody 2", hadMarkers: true });
  assert.deepEqual(stripGutenbergBoilerplate("no markers\n"), { text: "no markers", hadMarkers: false });
});

test("JSONL is split on \\n only: U+2028 and U+0085 stay inside texts", () => {
  const dir = mkdtempSync(join(tmpdir(), "corpora-"));
  const file = join(dir, "x.jsonl");
  writeFileSync(file, `{"_id":"a","text":"one\u2028two\u0085three"}\n{"_id":"b","text":"four"}\n`);
  const records = readJsonl(file, "test");
  assert.equal(records.length, 2);
  assert.equal(records[0].text, "one\u2028two\u0085three");
  rmSync(dir, { recursive: true, force: true });
  const msmarco = loadBeir("msmarco");
  assert.equal(msmarco.corpus.length, 5000);
  assert.ok(msmarco.corpus.find((d) => d.id === "8754404")!.text.includes("\u0085"));
  assert.equal(msmarco.queries.length, 43);
});

test("crc32 matches zlib, and the held-out BBC quarter is the crc32 % 4 == 0 rule", () => {
  assert.equal(crc32("123456789"), 0xcbf43926);
  assert.equal(crc32("tech/001"), 3778416136);
  assert.equal(crc32("café"), 2561491637);
  const heldOut = loadCorpus("bbc", { heldOut: true });
  assert.equal(heldOut.length, 556); // counted with Python's zlib.crc32
  assert.ok(heldOut.every((d) => crc32(d.id) % 4 === 0));
  assert.throws(() => loadCorpus("brown", { heldOut: true }), /bbc only/);
});

test("limit: seeded, deterministic, in file order", () => {
  const a = loadCorpus("bbc", { limit: 20, seed: 7 }).map((d) => d.id);
  const b = loadCorpus("bbc", { limit: 20, seed: 7 }).map((d) => d.id);
  const c = loadCorpus("bbc", { limit: 20, seed: 8 }).map((d) => d.id);
  assert.equal(a.length, 20);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.equal(new Set(a).size, 20);
  const all = loadCorpus("bbc").map((d) => d.id);
  const positions = a.map((id) => all.indexOf(id));
  assert.deepEqual(
    positions,
    [...positions].sort((x, y) => x - y),
  );
});

test("loadBeir limit keeps every judged document", () => {
  const small = loadBeir("scifact", { limit: 1000, seed: 3 });
  assert.equal(small.corpus.length, 1000);
  const ids = new Set(small.corpus.map((d) => d.id));
  for (const docs of small.qrels.values())
    for (const id of docs.keys()) assert.ok(ids.has(id), `judged doc ${id} dropped`);
});

test("a missing file names the path and the fetch command", () => {
  assert.throws(
    () => loadCorpus("arxiv", { assetsDir: "/nonexistent-assets" }),
    (e: Error) => {
      assert.match(e.message, /\/nonexistent-assets\/data\/arxiv-abstracts\/arxiv_ml_1000\.jsonl/);
      assert.match(e.message, /shiftlab fetch arxiv-abstracts`/);
      assert.match(e.message, /SHIFTLAB_ASSETS/);
      return true;
    },
  );
});

test("cutAtBoundary cuts at a paragraph or a word", () => {
  assert.equal(cutAtBoundary("short", 10), "short");
  assert.equal(cutAtBoundary("aaaa bbbb\n\ncccc dddd", 15), "aaaa bbbb");
  assert.equal(cutAtBoundary("aaaa bbbb cccc", 12), "aaaa bbbb");
  assert.equal(cutAtBoundary("abcdefghij", 4), "abcd");
});
