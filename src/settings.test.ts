import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { EXTERNAL_VARIABLES, SETTINGS, scaleSetting, seedSetting, setting, settingFlag } from "./settings";

const root = path.join(__dirname, "..");

test("README and environment.md list every setting; environment.md also the external variables", () => {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const environment = readFileSync(path.join(root, "environment.md"), "utf8");
  for (const s of SETTINGS) {
    assert.ok(readme.includes(`\`${s.name}\``), `README lacks ${s.name}`);
    assert.ok(environment.includes(`\`${s.name}\``), `environment.md lacks ${s.name}`);
  }
  for (const s of EXTERNAL_VARIABLES)
    assert.ok(environment.includes(`\`${s.name}\``), `environment.md lacks ${s.name}`);
});

test("no file under src/ or bin/ reads process.env except settings.ts", () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)],
    );
  const readers = [...files(path.join(root, "src")), ...files(path.join(root, "bin"))]
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".test.ts") && path.basename(f) !== "settings.ts")
    .filter((f) => /process\.env(\.|\[)/.test(readFileSync(f, "utf8")));
  assert.deepEqual(
    readers.map((f) => path.relative(root, f)),
    [],
  );
});

test("settings: blank means unset, flags, scale and seed with their defaults and errors", () => {
  assert.equal(setting("SHIFTLAB_MODEL", { SHIFTLAB_MODEL: "  " }), undefined);
  assert.equal(setting("SHIFTLAB_MODEL", { SHIFTLAB_MODEL: " x " }), "x");
  assert.throws(() => setting("SHIFTLAB_NOT_A_SETTING", {}), /not listed in src\/settings\.ts/);
  assert.equal(settingFlag("SHIFTLAB_NO_CACHE", { SHIFTLAB_NO_CACHE: "1" }), true);
  assert.equal(settingFlag("SHIFTLAB_NO_CACHE", { SHIFTLAB_NO_CACHE: "0" }), false);
  assert.equal(scaleSetting({}), "full");
  assert.equal(scaleSetting({ SHIFTLAB_SCALE: "Small" }), "small");
  assert.throws(() => scaleSetting({ SHIFTLAB_SCALE: "tiny" }), /SHIFTLAB_SCALE must be/);
  assert.equal(seedSetting({}), 2603);
  assert.throws(() => seedSetting({ SHIFTLAB_SEED: "1.5" }), /SHIFTLAB_SEED must be an integer/);
});
