/** `shiftlab new NAME [--dir DIR] [--force]`: write a notebook from the lab's template and say how to run it. */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { projectRoot } from "../assets/paths";
import { checkNotebookName, notebookTemplate } from "../notebook/template";
import { booleanFlag, parseArgs, rejectUnknownFlags, stringFlag } from "./args";

export async function newNotebookCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ["force"]);
  rejectUnknownFlags(args, ["dir", "force"], "new");
  if (args.positional.length !== 1)
    throw new Error("shiftlab new: give one notebook name, e.g. shiftlab new 11_my_corpus");
  const name = checkNotebookName(args.positional[0]);
  const dir = path.resolve(stringFlag(args, "dir") ?? path.join(projectRoot(), "notebooks"));
  const file = path.join(dir, `${name}.ipynb`);
  if (existsSync(file) && !booleanFlag(args, "force"))
    throw new Error(`${file} exists; choose another name or pass --force`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify(notebookTemplate(name), null, 1) + "\n");
  const inLab = path.dirname(file) === path.join(projectRoot(), "notebooks");
  console.log(`wrote ${file}`);
  console.log(
    `run it headless: npx shiftlab notebooks ${inLab ? name : file} --scale small   (or open it: npm run lab)`,
  );
  if (inLab) console.log("notebooks in notebooks/ run in npm test (at the small scale), so keep it passing");
  return 0;
}
