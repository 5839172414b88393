/** `shiftlab fetch [NAME...] [--verify]`: download the public corpora of data/manifest.json into the assets folder. */
import { assetsRoot } from "../assets/paths";
import { fetchAssets, verifyAssets } from "../assets/fetch";
import { booleanFlag, parseArgs, rejectUnknownFlags } from "./args";

export async function fetchCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ["verify"]);
  rejectUnknownFlags(args, ["verify"], "fetch");
  const names = args.positional.length > 0 ? args.positional : undefined;
  const assetsDir = assetsRoot();
  if (booleanFlag(args, "verify")) {
    const report = await verifyAssets(assetsDir, names);
    let bad = 0;
    for (const r of report) {
      if (r.status !== "ok") bad++;
      console.log(`${r.status.padEnd(17)} ${r.message}`);
    }
    return bad === 0 ? 0 : 1;
  }
  const result = await fetchAssets({ names, assetsDir });
  return result.ok ? 0 : 1;
}
