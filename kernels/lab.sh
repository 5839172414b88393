#!/usr/bin/env bash
# Opens the lab in a browser: Jupyter's notebook UI on notebooks/ (server root: the project), with the project's tslab kernel found through JUPYTER_PATH
# (nothing installed globally). Extra arguments go to Jupyter, e.g. `npm run lab -- --port 8890 --no-browser`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JUPYTER_PATH="$root${JUPYTER_PATH:+:$JUPYTER_PATH}"
cd "$root"
jupyter=/usr/bin/jupyter; [ -x "$jupyter" ] || jupyter=jupyter
# the server's root is the project, so figures under output/ are served to the notebooks (interactive plotly inline);
# the browser opens on notebooks/
exec "$jupyter" notebook --notebook-dir="$root" --NotebookApp.default_url=/tree/notebooks "$@"
