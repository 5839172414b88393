/**
 * `npm run bench:geometry`: time and memory of the geometry helpers on large random embedding matrices (N × 768), on the active
 * backend. Cosine MPD / anisotropy are one O(N·d) pass; Euclidean MPD and top-k neighbours are O(N²·d), done in row blocks so
 * nothing N × N is ever held. Prints numbers; asserts nothing.
 *
 *   npm run bench:geometry -- [--rows 50000] [--pairwise-rows 5000]
 */
import { selectBackend } from "../src/backend/select";
import { parseArgs, intFlag, rejectUnknownFlags } from "../src/cli/args";
import type { Matrix } from "../src/matrix";
import { anisotropy, meanCosineToOthers, meanPairwiseEuclideanDistance, topKNeighbours } from "../src/metrics/geometry";
import { gaussian, seededRandom } from "../src/util/random";

function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = seededRandom(seed);
  const data = new Float32Array(rows * cols);
  // a shared offset makes the space anisotropic, like real embeddings
  for (let i = 0; i < data.length; i++) data[i] = gaussian(rng) + (i % cols < 16 ? 1.5 : 0);
  return { rows, cols, data };
}

function timed<T>(label: string, run: () => T): T {
  const started = process.hrtime.bigint();
  const value = run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rssGiB = process.memoryUsage().rss / 2 ** 30;
  console.log(
    `${label.padEnd(44)} ${seconds.toFixed(2).padStart(8)} s   rss ${rssGiB.toFixed(2)} GiB   ${typeof value === "number" ? value.toFixed(4) : ""}`,
  );
  return value;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  rejectUnknownFlags(args, ["rows", "pairwise-rows"], "bench:geometry");
  const rows = intFlag(args, "rows") ?? 50_000;
  const pairwiseRows = intFlag(args, "pairwise-rows") ?? 5_000;
  const backend = await selectBackend();
  console.log(`backend ${backend.name}; inputs ${rows} × 768 float32 (${((rows * 768 * 4) / 2 ** 20).toFixed(0)} MiB)`);
  const big = randomMatrix(rows, 768, 1);
  timed(`anisotropy (mean pairwise cosine), N=${rows}`, () => anisotropy(big));
  timed(`meanCosineToOthers, N=${rows}`, () => meanCosineToOthers(big).length);
  const small: Matrix = { rows: pairwiseRows, cols: 768, data: big.data.subarray(0, pairwiseRows * 768) };
  timed(`Euclidean MPD (blocked, O(N²d)), N=${pairwiseRows}`, () => meanPairwiseEuclideanDistance(small));
  timed(
    `top-10 neighbours of ${pairwiseRows} in ${pairwiseRows}`,
    () => topKNeighbours(small, small, 10).indices.length,
  );
}

main().catch((error) => {
  console.error(`bench:geometry: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
