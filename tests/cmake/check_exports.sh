#!/usr/bin/env bash
# Fails if the shared library exports any symbol outside Dossier's public API: every defined
# dynamic symbol must be in namespace dossier (or its typeinfo/vtable), and none in dossier::detail.
set -euo pipefail
lib=$1
symbols=$(nm -D --defined-only -C "$lib" | awk '$2 ~ /^[TtWwVvDdBbRrui]$/ { $1=""; $2=""; sub(/^  /, ""); print }')
[[ -n "$symbols" ]] || { echo "no exported symbols found in $lib" >&2; exit 1; }
bad=$(printf '%s\n' "$symbols" | grep -Ev '^((typeinfo|typeinfo name|vtable|VTT) for )?dossier::' | grep -Ev '^_(init|fini)$' || true)
detail=$(printf '%s\n' "$symbols" | grep -E 'dossier::detail::' || true)
if [[ -n "$bad$detail" ]]; then
  echo "symbols exported outside the public API of $lib:" >&2
  printf '%s\n' "$bad" "$detail" | sed '/^$/d' >&2
  exit 1
fi
echo "$(printf '%s\n' "$symbols" | wc -l) exported symbols, all in the public API"
