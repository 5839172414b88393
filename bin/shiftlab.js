#!/usr/bin/env node
// Entry point of `npx shiftlab ...`: runs the TypeScript CLI in src/cli through tsx (no build step).
require("tsx/cjs");
const { main } = require("../src/cli/main.ts");
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`shiftlab: ${error && error.message ? error.message : error}`);
    process.exit(1);
  },
);
