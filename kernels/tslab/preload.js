// Preloaded into the notebook kernel by start.sh (node --require): stack traces from src/ name the .ts file and line.
"use strict";
const path = require("path");
require("./source_maps").installSourceMaps(path.resolve(__dirname, "..", ".."));
