import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { saveFigure, setFigureFolder } from "./figure";
import { lineChart } from "./charts";
import { tableCsv, tableText, toDataFrame } from "./table";

test("a plotly figure is exported as HTML, SVG and PNG through headless chromium", async () => {
  const folder = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "shiftlab-fig-")), "01_demo");
  setFigureFolder(folder);
  const fig = lineChart("MPD against k", "k", "MPD", [{ name: "mean pooling", x: [1, 2, 4], y: [0.5, 0.4, 0.3] }]);
  const saved = await saveFigure(fig, "mpd vs k", { width: 400, height: 300, show: false });
  assert.equal(path.basename(saved.png), "mpd_vs_k.png");
  const png = fs.readFileSync(saved.png);
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
  assert.equal(png.readUInt32BE(16), 800); // width at scale 2
  const svg = fs.readFileSync(saved.svg, "utf8");
  assert.match(svg, /^<svg/);
  assert.match(svg, /MPD against k/);
  const html = fs.readFileSync(saved.html, "utf8");
  assert.match(html, /Plotly\.newPlot/);
  assert.match(html, /<script src="\.\.\/plotly\.js">/);
  assert.ok(fs.existsSync(path.join(folder, "..", "plotly.js")));
});

test("tables format numbers with fixed digits and keep integers", () => {
  const text = tableText(
    toDataFrame([
      { mode: "repeat", k: 2, mpd: 0.123456 },
      { mode: "random", k: 16, mpd: 0.5 },
    ]),
    3,
  );
  assert.equal(text.split("\n")[2].trim(), "repeat   2  0.123");
  assert.equal(text.split("\n")[3].trim(), "random  16  0.500");
});

test("CSV export quotes fields with commas, quotes and line breaks", () => {
  const csv = tableCsv(
    toDataFrame([{ claim: "Overlap@1 ordered: repeat, sequential, random", measured: 'say "yes"', k: 8 }]),
  );
  assert.equal(csv, 'claim,measured,k\n"Overlap@1 ordered: repeat, sequential, random","say ""yes""",8\n');
});
