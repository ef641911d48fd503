#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 that really runs, or fails saying what is needed.
# pyenv shims (python3.13, python3.12) may be on PATH yet exit 127 when that version is
# not selected, so every candidate is *run*, never just looked up.
set -u
candidates=()
[ -n "${CONCORD_PYTHON:-}" ] && candidates+=("$CONCORD_PYTHON")
for v in python3.13 python3.12 python3; do
  p=$(command -v "$v" 2>/dev/null) && candidates+=("$p")
done
root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for p in "$root"/versions/3.13*/bin/python3 "$root"/versions/3.12*/bin/python3 \
         /usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do
  [ -x "$p" ] && candidates+=("$p")
done
for c in "${candidates[@]}"; do
  real=$("$c" -c 'import sys; assert sys.version_info >= (3, 12); print(sys.executable)' 2>/dev/null) || continue
  [ -n "$real" ] && { echo "$real"; exit 0; }
done
echo "Concord needs Python 3.12 or newer (3.13 preferred) and none was found." >&2
echo "Install one (e.g. 'pyenv install 3.13' or your system's python3.13 package)," >&2
echo "or point CONCORD_PYTHON at its interpreter, then run the command again." >&2
exit 1
