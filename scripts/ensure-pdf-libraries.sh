#!/usr/bin/env bash
# WeasyPrint draws the PDF documents (case summaries) with Pango and HarfBuzz, and DejaVu's fonts.
# Without them Concord still runs: a PDF download says it cannot be made and nothing is recorded.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
command -v dpkg-query >/dev/null || { echo "Not Debian: install Pango, HarfBuzz and DejaVu fonts for PDFs." >&2; exit 0; }
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing the libraries PDF documents need: ${missing[*]}…"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
