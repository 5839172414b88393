import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  DEFAULT_HUB_MODEL,
  Fetcher,
  closestAssetModel,
  defaultModelRef,
  hubCacheDir,
  resolveModelRef,
} from "./model_ref";
import { assetsRoot } from "./paths";

const assetsDir = assetsRoot();
const miniEncoder = path.join(assetsDir, "models", "shiftlab-mini-encoder");
const savedEnv = { ...process.env };
let temp: string;

beforeEach(() => {
  temp = mkdtempSync(path.join(os.tmpdir(), "shiftlab-model-ref-"));
  process.env.HF_HUB_CACHE = path.join(temp, "hub");
  delete process.env.SHIFTLAB_MODEL;
  delete process.env.HF_HUB_OFFLINE;
});
afterEach(() => {
  rmSync(temp, { recursive: true, force: true });
  process.env = { ...savedEnv };
});

const offline: Fetcher = async () => {
  throw new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND huggingface.co") });
};
const quiet = { log: () => undefined };

test("a local folder with config.json resolves to itself", async () => {
  const ref = await resolveModelRef(miniEncoder, { fetch: offline });
  assert.deepEqual(ref, { name: "shiftlab-mini-encoder", dir: miniEncoder });
});

test("a local folder without config.json is refused by name", async () => {
  await assert.rejects(
    resolveModelRef(temp, { fetch: offline }),
    (e: Error) => e.message.includes(temp) && e.message.includes("no config.json"),
  );
  await assert.rejects(resolveModelRef(path.join(temp, "absent"), { fetch: offline }), /absent does not exist/);
});

test("a name under <assets>/models resolves there; a tokenizer-only asset is refused", async () => {
  assert.deepEqual(await resolveModelRef("shiftlab-mini-encoder", { assetsDir, fetch: offline }), {
    name: "shiftlab-mini-encoder",
    dir: miniEncoder,
  });
  await assert.rejects(
    resolveModelRef("bert-base-uncased-wordpiece-vocab", { assetsDir, fetch: offline }),
    /bert-base-uncased-wordpiece-vocab has no config\.json/,
  );
});

test("the default is the mini encoder when the assets have it, SHIFTLAB_MODEL overrides it, and the hub model otherwise", async () => {
  assert.equal((await resolveModelRef(undefined, { assetsDir, fetch: offline })).dir, miniEncoder);
  assert.equal((await resolveModelRef("default", { assetsDir, fetch: offline })).dir, miniEncoder);
  assert.equal(defaultModelRef(temp), DEFAULT_HUB_MODEL);
  process.env.SHIFTLAB_MODEL = miniEncoder;
  assert.equal(defaultModelRef(temp), miniEncoder);
});

function fakeHubSnapshot(id: string, commit: string, refName = "main"): string {
  const repo = path.join(hubCacheDir(), `models--${id.replace("/", "--")}`);
  const snapshot = path.join(repo, "snapshots", commit);
  mkdirSync(snapshot, { recursive: true });
  writeFileSync(path.join(snapshot, "config.json"), "{}");
  mkdirSync(path.join(repo, "refs"), { recursive: true });
  writeFileSync(path.join(repo, "refs", refName), commit + "\n");
  return snapshot;
}

test("a hub id found in the local hub cache (HF_HUB_CACHE) resolves to its snapshot, by ref or by commit", async () => {
  const commit = "0123456789abcdef0123456789abcdef01234567";
  const snapshot = fakeHubSnapshot("sentence-transformers/all-MiniLM-L6-v2", commit);
  assert.equal(hubCacheDir(), path.join(temp, "hub"));
  assert.deepEqual(await resolveModelRef("sentence-transformers/all-MiniLM-L6-v2", { assetsDir, fetch: offline }), {
    name: "sentence-transformers/all-MiniLM-L6-v2",
    dir: snapshot,
  });
  const byCommit = await resolveModelRef(`sentence-transformers/all-MiniLM-L6-v2@${commit}`, {
    assetsDir,
    fetch: offline,
  });
  assert.equal(byCommit.dir, snapshot);
  assert.equal(byCommit.name, `sentence-transformers/all-MiniLM-L6-v2@${commit}`);
});

test("HF_HOME/hub is the cache when HF_HUB_CACHE is unset", () => {
  delete process.env.HF_HUB_CACHE;
  process.env.HF_HOME = path.join(temp, "hf-home");
  assert.equal(hubCacheDir(), path.join(temp, "hf-home", "hub"));
});

test("an unknown hub id offline fails with the folder to put the files in", async () => {
  await assert.rejects(
    resolveModelRef("some-org/unknown-encoder", { assetsDir, fetch: offline, ...quiet }),
    (e: Error) => {
      assert.match(e.message, /Could not download model some-org\/unknown-encoder from https:\/\/huggingface\.co/);
      assert.match(e.message, /ENOTFOUND/);
      assert.ok(
        e.message.includes(path.join(temp, "hub", "models--some-org--unknown-encoder", "snapshots", "main")),
        e.message,
      );
      assert.match(e.message, /local folder/);
      return true;
    },
  );
});

test("files placed by hand under snapshots/main are found without refs/main, as huggingface_hub finds them", async () => {
  const placed = path.join(temp, "hub", "models--some-org--unknown-encoder", "snapshots", "main");
  mkdirSync(placed, { recursive: true });
  writeFileSync(path.join(placed, "config.json"), "{}");
  assert.equal((await resolveModelRef("some-org/unknown-encoder", { assetsDir, fetch: offline })).dir, placed);
});

test("a download writes the hub cache layout, skips absent optional files, and is found in the cache afterwards", async () => {
  const commit = "fedcba9876543210fedcba9876543210fedcba98";
  const served: Record<string, string> = {
    "config.json": '{"model_type":"bert"}',
    "vocab.txt": "[PAD]\n[UNK]\n",
    "model.safetensors": "weights",
  };
  const requested: string[] = [];
  const fakeHub: Fetcher = async (url) => {
    const file = url.replace("https://huggingface.co/org/tiny/resolve/main/", "");
    requested.push(file);
    const body = served[file];
    return body === undefined
      ? new Response("not found", { status: 404 })
      : new Response(body, { headers: { "x-repo-commit": commit } });
  };
  const lines: string[] = [];
  const ref = await resolveModelRef("org/tiny", { assetsDir, fetch: fakeHub, log: (l) => lines.push(l) });
  const snapshot = path.join(temp, "hub", "models--org--tiny", "snapshots", commit);
  assert.deepEqual(ref, { name: "org/tiny", dir: snapshot });
  assert.equal(readFileSync(path.join(snapshot, "model.safetensors"), "utf8"), "weights");
  assert.equal(readFileSync(path.join(temp, "hub", "models--org--tiny", "refs", "main"), "utf8"), commit);
  assert.ok(!existsSync(path.join(snapshot, "tokenizer.json")));
  assert.ok(requested.includes("1_Pooling/config.json") && requested.includes("tokenizer.json"));
  assert.ok(
    lines.some((l) => /model\.safetensors: 7 bytes/.test(l)),
    lines.join("\n"),
  );
  // second time: straight from the cache, no network
  assert.equal((await resolveModelRef("org/tiny", { assetsDir, fetch: offline })).dir, snapshot);
});

test("a hub model without safetensors weights is refused by name", async () => {
  const fakeHub: Fetcher = async (url) =>
    url.endsWith("/config.json") || url.endsWith("/vocab.txt") ? new Response("{}") : new Response("", { status: 404 });
  await assert.rejects(
    resolveModelRef("org/bin-only", { assetsDir, fetch: fakeHub, ...quiet }),
    /org\/bin-only has no model\.safetensors/,
  );
});

test("HF_HUB_OFFLINE refuses to download and says where to put the files", async () => {
  process.env.HF_HUB_OFFLINE = "1";
  await assert.rejects(
    resolveModelRef("org/absent", { assetsDir, fetch: offline }),
    /HF_HUB_OFFLINE.*\n.*models--org--absent/s,
  );
});

test("sharded safetensors weights are fetched shard by shard; a shard name leaving the folder is refused", async () => {
  const index = (names: string[]) =>
    JSON.stringify({ weight_map: { "a.weight": names[0], "b.weight": names[1], "c.weight": names[0] } });
  const hubServing =
    (indexJson: string): Fetcher =>
    async (url) => {
      const file = url.split("/resolve/main/")[1];
      const served: Record<string, string> = {
        "config.json": "{}",
        "tokenizer.json": "{}",
        "model.safetensors.index.json": indexJson,
      };
      if (file.startsWith("model-0000")) return new Response(`shard ${file}`);
      return file in served ? new Response(served[file]) : new Response("", { status: 404 });
    };
  const ref = await resolveModelRef("org/sharded", {
    assetsDir,
    fetch: hubServing(index(["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"])),
    ...quiet,
  });
  assert.equal(
    readFileSync(path.join(ref.dir, "model-00002-of-00002.safetensors"), "utf8"),
    "shard model-00002-of-00002.safetensors",
  );
  assert.ok(existsSync(path.join(ref.dir, "config.json")));
  await assert.rejects(
    resolveModelRef("org/evil", {
      assetsDir,
      fetch: hubServing(index(["../../outside.safetensors", "model-00001-of-00001.safetensors"])),
      ...quiet,
    }),
    /shard name "\.\.\/\.\.\/outside\.safetensors" is not a plain file name/,
  );
});

test("a mistyped model name suggests the closest asset model; a hub id not cached says so before trying the network", async () => {
  assert.equal(closestAssetModel("shiftlab-mini-encodr", assetsDir), "shiftlab-mini-encoder");
  assert.equal(closestAssetModel("shiftlab-mini-mln", assetsDir), "shiftlab-mini-mlm");
  assert.equal(closestAssetModel("bge-large-en", assetsDir), undefined);
  const lines: string[] = [];
  const offline: Fetcher = async () => {
    throw new Error("getaddrinfo ENOTFOUND huggingface.co");
  };
  await assert.rejects(
    resolveModelRef("org/shiftlab-mini-encodr", { assetsDir, fetch: offline, log: (l) => lines.push(l) }),
  );
  assert.match(
    lines[0],
    /shiftlab-mini-encodr is not a folder, a model under .* \(did you mean "shiftlab-mini-encoder"\? .*\) or in the hub cache; trying the Hugging Face hub/,
  );
});
