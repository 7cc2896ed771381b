#!/usr/bin/env bash
# Install the Debian/Ubuntu packages Rx Assist needs when a command is missing.
# Usage: ensure-system-packages.sh COMMAND=PACKAGE[,PACKAGE...] ...
set -euo pipefail

missing=()
for pair in "$@"; do
  cmd=${pair%%=*}
  pkgs=${pair#*=}
  if ! command -v "$cmd" >/dev/null 2>&1; then
    IFS=',' read -r -a list <<<"$pkgs"
    missing+=("${list[@]}")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

command="apt-get install -y --no-install-recommends ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Rx Assist needs: ${missing[*]}. Install them with your package manager, then run make again." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo"
else
  echo "Rx Assist needs system packages that are not installed. Run:" >&2
  echo "    sudo apt-get update && sudo $command" >&2
  echo "then run make again." >&2
  exit 1
fi
echo "Installing ${missing[*]} (apt-get)..."
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet; refresh them once if the install cannot resolve.
$sudo $command >/dev/null 2>&1 || { $sudo apt-get update -q >/dev/null && $sudo $command >/dev/null; }
