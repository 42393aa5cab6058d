#!/bin/bash
# Grade a class with a Slurm job array, then merge the shares into one gradebook.
#
#   bash slurm-submit.sh SUBMISSIONS OUT [SHARDS [GRADE OPTIONS...]]
#
# Submits slurm-grade.sbatch as an array of SHARDS tasks (default 8) and a merge job
# that starts when every task has succeeded; OUT/class then holds gradebook.csv,
# index.html and every student's report, exactly as one run of grader grade writes them.
set -euo pipefail

submissions=$(realpath "${1:?usage: bash slurm-submit.sh SUBMISSIONS OUT [SHARDS]}")
out=$(realpath -m "${2:?usage: bash slurm-submit.sh SUBMISSIONS OUT [SHARDS]}")
shards=${3:-8}
here=$(dirname "$(realpath "$0")")
mkdir -p "$out"

array=$(sbatch --parsable --array="1-$shards" --export=ALL,SHARDS="$shards" \
    "$here/slurm-grade.sbatch" "$submissions" "$out" "${@:4}")
merge=$(sbatch --parsable --dependency="afterok:$array" --job-name=merge-class --time=00:30:00 \
    --output="$out/merge-%j.log" --wrap="grader merge $(printf '%q/shard-%d ' $(for k in $(seq 1 "$shards"); do echo "$out" "$k"; done)) --out $(printf '%q' "$out/class")")
echo "grading: job array $array ($shards shares); merging: job $merge -> $out/class"
