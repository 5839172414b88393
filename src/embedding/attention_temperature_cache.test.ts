/** The attention temperature through embed(), the cache key and `shiftlab embed --attention-temperature`. */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot } from "../assets/paths";
import { loadModel } from "./load_model";
import { cachedEmbed, resolveEmbedSettings, settingsCacheFolder } from "./cache";
import type { EmbeddingModel } from "./model";

const fixture = path.join(projectRoot(), "src", "encoders", "testdata", "bert");
const temp = mkdtempSync(path.join(os.tmpdir(), "shiftlab-tau-cache-"));
const texts = ["Attention temperature sharpens.", "A second, somewhat longer text about pooling."];
let model: EmbeddingModel;

before(async () => {
  model = await loadModel(fixture);
});
after(() => {
  model?.dispose();
  rmSync(temp, { recursive: true, force: true });
});

test("cache key: τ absent or 1 keeps the folder name of before τ existed; τ ≠ 1 gets its own folder", () => {
  const plain = settingsCacheFolder(model.info, resolveEmbedSettings(model.info), temp);
  assert.equal(path.basename(plain), `mean-${model.info.normalize ? "norm" : "raw"}-layer${model.info.numLayers}`);
  assert.deepEqual(resolveEmbedSettings(model.info, { attentionTemperature: 1 }), resolveEmbedSettings(model.info));
  assert.equal(
    settingsCacheFolder(model.info, resolveEmbedSettings(model.info, { attentionTemperature: 1 }), temp),
    plain,
  );
  const cooled = settingsCacheFolder(model.info, resolveEmbedSettings(model.info, { attentionTemperature: 0.8 }), temp);
  assert.equal(cooled, `${plain}-tau0.8`);
});

test("embed(): τ = 1 equals the default exactly; τ = 0.8 differs, and the cache stores it apart and returns it unchanged", async () => {
  const plain = await model.embed(texts);
  assert.deepEqual((await model.embed(texts, { attentionTemperature: 1 })).data, plain.data);
  const cooled = await model.embed(texts, { attentionTemperature: 0.8 });
  assert.ok(Math.max(...plain.data.map((v, i) => Math.abs(v - cooled.data[i]))) > 1e-4);
  const cache = { cacheDir: temp };
  assert.deepEqual((await cachedEmbed(model, texts, {}, cache)).data, plain.data);
  assert.deepEqual((await cachedEmbed(model, texts, { attentionTemperature: 0.8 }, cache)).data, cooled.data);
  assert.deepEqual(
    (await cachedEmbed(model, texts, { attentionTemperature: 0.8 }, cache)).data,
    cooled.data,
    "read back from the cache",
  );
  assert.ok(
    existsSync(settingsCacheFolder(model.info, resolveEmbedSettings(model.info, { attentionTemperature: 0.8 }), temp)),
  );
  await assert.rejects(
    model.embed(texts, { attentionTemperature: 0 }),
    /attentionTemperature must be a finite number > 0, got 0/,
  );
});

function shiftlab(args: string[], input: string) {
  return spawnSync(process.execPath, [path.join(projectRoot(), "bin", "shiftlab.js"), ...args], {
    input,
    encoding: "utf8",
    cwd: projectRoot(),
  });
}

test("shiftlab embed --attention-temperature: 1 gives the default vectors, 0.5 others; 0 and text are refused", () => {
  const input = texts.join("\n") + "\n";
  const runs = ["", "1", "0.5"].map((t) =>
    shiftlab(["embed", "--model", fixture, ...(t ? ["--attention-temperature", t] : [])], input),
  );
  for (const run of runs) assert.equal(run.status, 0, run.stderr);
  assert.equal(runs[1].stdout, runs[0].stdout);
  assert.notEqual(runs[2].stdout, runs[0].stdout);
  for (const bad of ["0", "warm"]) {
    const run = shiftlab(["embed", "--model", fixture, "--attention-temperature", bad], input);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /--attention-temperature must be a number > 0/);
  }
});
