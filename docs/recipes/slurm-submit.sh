#!/bin/bash
# Grade a class with a Slurm job array, then merge the shares into one gradebook.
#
#   bash slurm-submit.sh SUBMISSIONS OUT [SHARDS [GRADE OPTIONS...]]
#
# Submits slurm-grade.sbatch as an array of SHARDS tasks (default 8) and a merge job
# that starts when every task has succeeded; OUT/class then holds gradebook.csv,
# index.html and every student's report, exactly as one run of grader grade writes them.
# Run it from the course folder (the one holding config.yaml), or pass --config among the
# options.  If a task fails, Slurm cancels the merge (it can no longer start): look at the
# task's log, fix the cause and run this script again; only what is missing is graded.
set -euo pipefail

# The tasks run in this folder and look for config.yaml from here up, unless --config is given.
if [[ " ${*:4} " != *" --config"* ]]; then
    folder=$PWD
    while [ ! -f "$folder/config.yaml" ] && [ "$folder" != / ]; do folder=$(dirname "$folder"); done
    if [ ! -f "$folder/config.yaml" ]; then
        echo "no config.yaml in $PWD or above: run this from the course folder, or pass --config PATH" >&2
        exit 2
    fi
fi

submissions=$(realpath "${1:?usage: bash slurm-submit.sh SUBMISSIONS OUT [SHARDS]}")
out=$(realpath -m "${2:?usage: bash slurm-submit.sh SUBMISSIONS OUT [SHARDS]}")
shards=${3:-8}
here=$(dirname "$(realpath "$0")")
mkdir -p "$out"

array=$(sbatch --parsable --array="1-$shards" --export=ALL,SHARDS="$shards" \
    "$here/slurm-grade.sbatch" "$submissions" "$out" "${@:4}")
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes --job-name=merge-class \
    --time=00:30:00 \
    --output="$out/merge-%j.log" --wrap="grader merge $(printf '%q/shard-%d ' $(for k in $(seq 1 "$shards"); do echo "$out" "$k"; done)) --out $(printf '%q' "$out/class")")
echo "grading: job array $array ($shards shares); merging: job $merge -> $out/class"
