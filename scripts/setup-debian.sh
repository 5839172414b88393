#!/usr/bin/env bash
# System packages for shiftlab on Debian 12: Jupyter (nbconvert to run notebooks headless, the classic notebook UI to open
# the lab in a browser) and Chromium (figure export).
# Installs only what is missing; run as root or with sudo available.
set -euo pipefail
need=()
[ -x /usr/bin/jupyter ] && /usr/bin/python3 -c "import nbclient, ipykernel" 2>/dev/null || need+=(jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel)
[ -x /usr/bin/jupyter-notebook ] || need+=(jupyter-notebook)
[ -x /usr/bin/chromium ] || need+=(chromium fonts-liberation fonts-dejavu-core)
if [ ${#need[@]} -eq 0 ]; then echo "setup-debian: jupyter and chromium already installed"; exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
