/**
 * Two processes filling one embedding-cache folder at once (two notebook runs on one machine): every row must read back
 * exactly, whichever process wrote it, and a later reader must find everything without recomputing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COLS, INFO, RowModel, expectedRow, textsOf } from "../testing/cache_writer_fixture";
import { cachedEmbed, settingsCacheFolder, resolveEmbedSettings } from "./cache";

test("two processes appending to one cache folder at once: every row reads back exactly", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cache-concurrency-"));
  try {
    const child = join(dir, "writer.ts");
    // each writer embeds its texts in small batches, so that the two processes' appends alternate many times
    writeFileSync(
      child,
      `
      import { cachedEmbed } from ${JSON.stringify(join(__dirname, "cache.ts"))};
      import { RowModel, textsOf } from ${JSON.stringify(join(__dirname, "..", "testing", "cache_writer_fixture.ts"))};
      const [writer, cacheDir, startAt] = process.argv.slice(2);
      const texts = textsOf(writer);
      (async () => {
        const model = new RowModel();
        while (Date.now() < Number(startAt)) await new Promise((resolve) => setTimeout(resolve, 5)); // start together
        for (let i = 0; i < texts.length; i += 2) await cachedEmbed(model, texts.slice(i, i + 2), {}, { cacheDir });
      })().catch((e) => { console.error(e); process.exit(1); });
    `,
    );
    const cacheDir = join(dir, "cache");
    const startAt = Date.now() + 8000; // both children are loaded by then (tsx start-up takes a second or two)
    const run = (writer: string) =>
      new Promise<string>((resolve, reject) => {
        const proc = spawn(process.execPath, ["--import", "tsx", child, writer, cacheDir, String(startAt)], {
          stdio: ["ignore", "pipe", "pipe"],
        });
        let err = "";
        proc.stderr.on("data", (d) => (err += d));
        proc.on("close", (code) =>
          code === 0 ? resolve(err) : reject(new Error(`writer ${writer} exited ${code}: ${err}`)),
        );
      });
    await Promise.all([run("alpha"), run("beta")]);

    const all = [...new Set([...textsOf("alpha"), ...textsOf("beta")])];
    const matrix = await cachedEmbed(new RowModel(false), all, {}, { cacheDir });
    all.forEach((t, i) =>
      assert.deepEqual(Array.from(matrix.data.subarray(i * COLS, (i + 1) * COLS)), expectedRow(t), t),
    );
    const folder = settingsCacheFolder(INFO, resolveEmbedSettings(INFO), cacheDir);
    const lines = readFileSync(join(folder, "index.tsv"), "utf8")
      .split("\n")
      .filter((l) => l !== "");
    assert.ok(
      lines.every((l) => /^[0-9a-f]{64}\t\d+\t-\t-$/.test(l)),
      "every index line is whole",
    );
    const rows = lines.map((l) => Number(l.split("\t")[1]));
    assert.equal(new Set(rows).size, rows.length, "no row number was given twice");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
