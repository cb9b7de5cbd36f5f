#!/usr/bin/env bash
# Execute every chapter of the notebook series headless, in quick mode, into an output folder
# (never over the committed notebooks). Called by `npm run notebooks:run` after the build.
#   bash notebooks/run.sh [NN ...]        only the chapters whose number is given
#   RESCOM_NOTEBOOKS_OUT=DIR              where executed copies go (default runs/notebooks)
#   RESCOM_QUICK=0                        full budgets instead of quick mode
# Needs Jupyter's nbclient for some Python (Debian: jupyter-nbconvert python3-nbclient jupyter-client
# python3-ipykernel; PYTHON selects the interpreter). Exits 1 if any cell of any notebook fails.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${RESCOM_NOTEBOOKS_OUT:-runs/notebooks}
export RESCOM_QUICK=${RESCOM_QUICK:-1}
mkdir -p "$out"

# Each notebook runs through Jupyter's nbclient with the tslab kernel spec installed into a private
# temporary prefix (src/notebook/execute.ts): nothing here depends on, or changes, the user's Jupyter.
notebooks=()
for nb in notebooks/[0-9][0-9]-*.ipynb; do
  case "$nb" in *.exercise.ipynb) continue ;; esac
  if [ $# -gt 0 ]; then
    number=$(basename "$nb" | cut -c1-2)
    printf '%s\n' "$@" | grep -qx "$number" || continue
  fi
  notebooks+=("$nb")
done
[ ${#notebooks[@]} -gt 0 ] || { echo "notebooks/run.sh: no notebook matches '$*'" >&2; exit 1; }

echo "running ${#notebooks[@]} notebook(s), RESCOM_QUICK=$RESCOM_QUICK, into $out"
failed=()
total_start=$SECONDS
for nb in "${notebooks[@]}"; do
  name=$(basename "$nb")
  start=$SECONDS
  if node scripts/notebooks/execute.js "$nb" --out "$out" >"$out/${name%.ipynb}.log" 2>&1; then
    printf '  ok    %-40s %4ds\n' "$name" $((SECONDS - start))
  else
    printf '  FAIL  %-40s %4ds  (log: %s)\n' "$name" $((SECONDS - start)) "$out/${name%.ipynb}.log"
    tail -n 30 "$out/${name%.ipynb}.log" | sed 's/^/        /'
    failed+=("$name")
  fi
done
echo "series: ${#notebooks[@]} notebook(s) in $((SECONDS - total_start))s, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
