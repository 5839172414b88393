/**
 * `shiftlab info`: what a model reference resolves to and how it will embed: architecture, sizes, the sentence-transformers
 * modules as run, prompts (and which serve queries and documents), stored dtypes, parameters and the bytes the weights hold on
 * the backend.
 */
import { loadModel } from "../embedding/load_model";
import { parseEngineName } from "../encoders/states_engine";
import { booleanFlag, parseArgs, rejectPositionals, rejectUnknownFlags, stringFlag } from "./args";

function mebibytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

export async function infoCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ["json"]);
  rejectUnknownFlags(args, ["model", "backend", "engine", "json"], "info");
  rejectPositionals(args, "info", "name the model with --model REF");
  const model = await loadModel(stringFlag(args, "model"), {
    backend: stringFlag(args, "backend"),
    engine: parseEngineName(stringFlag(args, "engine")),
  });
  try {
    const info = model.info;
    if (booleanFlag(args, "json")) {
      console.log(JSON.stringify(info, null, 2));
    } else {
      const width = Math.max(...Object.keys(info).map((k) => k.length));
      for (const [key, value] of Object.entries(info).filter(([, v]) => v !== undefined)) {
        const shown =
          typeof value === "object"
            ? JSON.stringify(value)
            : key === "weightBytes"
              ? `${value} (${mebibytes(value as number)} float32 in ${(info as { engineDescription?: string }).engineDescription ?? info.backend})`
              : value;
        console.log(`${key.padEnd(width)}  ${shown}`);
      }
    }
    return 0;
  } finally {
    model.dispose();
  }
}
