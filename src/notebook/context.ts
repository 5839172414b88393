/**
 * The first cell of every notebook: names the notebook (its figures go to <output>/figures/<name>/), reads the scale and seed
 * settings, selects the compute backend and says all of it out loud, so an executed notebook records how it was run.
 *
 *   SHIFTLAB_SCALE = small | full   (default full; `shiftlab notebooks --scale small` is what CI runs)
 *   SHIFTLAB_SEED  = integer        (default 2603)
 * (both read in src/settings.ts). The backend line names the chosen backend and why each faster one was skipped.
 */
import * as path from "path";
import { outputRoot } from "../assets/paths";
import { describeBackend, selectBackend } from "../backend/select";
import { scaleSetting, seedSetting, type Scale } from "../settings";
import { setFigureFolder } from "../figures/figure";

export type { Scale } from "../settings";

export interface NotebookContext {
  name: string;
  scale: Scale;
  seed: number;
  figureFolder: string;
  backend: string;
  /** the value to use at this scale: sized(small, full) */
  sized<T>(small: T, full: T): T;
}

export async function startNotebook(name: string): Promise<NotebookContext> {
  const scale = scaleSetting();
  const seed = seedSetting();
  const figureFolder = path.join(outputRoot(), "figures", name);
  setFigureFolder(figureFolder);
  const backend = await selectBackend();
  console.log(`notebook ${name}: scale=${scale} seed=${seed} backend=${describeBackend()}`);
  console.log(`figures and tables are saved under ${figureFolder}`);
  return {
    name,
    scale,
    seed,
    figureFolder,
    backend: backend.name,
    sized: (small, full) => (scale === "small" ? small : full),
  };
}
