/** `shiftlab info`: what a model reference resolves to and how it will embed. */
import { loadModel } from "../embedding/load_model";
import { booleanFlag, parseArgs, rejectPositionals, rejectUnknownFlags, stringFlag } from "./args";

export async function infoCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ["json"]);
  rejectUnknownFlags(args, ["model", "backend", "json"], "info");
  rejectPositionals(args, "info", "name the model with --model REF");
  const model = await loadModel(stringFlag(args, "model"), { backend: stringFlag(args, "backend") });
  try {
    const info = model.info;
    if (booleanFlag(args, "json")) {
      console.log(JSON.stringify(info, null, 2));
    } else {
      const width = Math.max(...Object.keys(info).map((k) => k.length));
      for (const [key, value] of Object.entries(info)) {
        console.log(`${key.padEnd(width)}  ${typeof value === "object" ? JSON.stringify(value) : value}`);
      }
    }
    return 0;
  } finally {
    model.dispose();
  }
}
