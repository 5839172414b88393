/**
 * The first cell of every notebook: names the notebook (its figures go to <output>/figures/<name>/), reads the scale and seed
 * settings, selects the compute backend and says all of it out loud, so an executed notebook records how it was run.
 *
 *   SHIFTLAB_SCALE = small | full   (default full; `shiftlab notebooks --scale small` is what CI runs)
 *   SHIFTLAB_SEED  = integer        (default 2603)
 */
import * as path from "path";
import { outputRoot } from "../assets/paths";
import { selectBackend } from "../backend/select";
import { setFigureFolder } from "../figures/figure";

export type Scale = "small" | "full";

export interface NotebookContext {
  name: string;
  scale: Scale;
  seed: number;
  figureFolder: string;
  backend: string;
  /** the value to use at this scale: sized(small, full) */
  sized<T>(small: T, full: T): T;
}

export function readScale(): Scale {
  const raw = (process.env.SHIFTLAB_SCALE ?? "full").trim().toLowerCase();
  if (raw !== "small" && raw !== "full") throw new Error(`SHIFTLAB_SCALE must be "small" or "full", got ${JSON.stringify(raw)}`);
  return raw;
}

export function readSeed(): number {
  const raw = process.env.SHIFTLAB_SEED ?? "2603";
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`SHIFTLAB_SEED must be an integer, got ${JSON.stringify(raw)}`);
  return seed;
}

export async function startNotebook(name: string): Promise<NotebookContext> {
  const scale = readScale();
  const seed = readSeed();
  const figureFolder = path.join(outputRoot(), "figures", name);
  setFigureFolder(figureFolder);
  const backend = await selectBackend();
  console.log(`notebook ${name}: scale=${scale} seed=${seed} backend=${backend.name} (${backend.description})`);
  console.log(`figures and tables are saved under ${figureFolder}`);
  return { name, scale, seed, figureFolder, backend: backend.name, sized: (small, full) => (scale === "small" ? small : full) };
}
