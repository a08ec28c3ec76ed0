#!/usr/bin/env bash
# Submits the Conceptual Captions filter to Slurm: an array job of N tasks (filter-array.sbatch, task I runs
# `ccw filter --shard I/N`), then the merge (merge.sbatch) with --dependency=afterok on the array, so the merge
# starts only when every task succeeded and is cancelled (--kill-on-invalid-dep=yes) when one failed. It also
# resubmits only the failed tasks of an earlier submission. See the README, "Running on a Slurm cluster".
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage:
  deploy/slurm/submit.sh --input <dir> --out <dir> [--tasks N] [--pattern GLOB] [sbatch options] [-- filter options]
  deploy/slurm/submit.sh --out <dir> --array <list> [sbatch options]     resubmit these task indices, then the merge
  deploy/slurm/submit.sh --out <dir> --resubmit-failed [sbatch options]  resubmit every task that did not complete
  deploy/slurm/submit.sh --out <dir> --list-failed                       print those indices (comma-separated)

  --input <dir>        folder of crawl files; every file matching --pattern, sorted by name (C locale), is one input
  --pattern <glob>     which files of --input are inputs (default: *.warc.gz)
  --out <dir>          output folder on storage every node sees; the shards go to <dir>/shards/, the merged
                       tables to <dir>/, and this script's records (input list, job ids, logs) to <dir>/slurm/
  --tasks N            array size, that is the shard count N (default: one task per input, at most 1000)
  --array <list>       sbatch --array syntax (e.g. 2,6 or 0-3) over the same N and input list as the first submission
  --sbatch <option>    an sbatch option for the array job, repeatable (e.g. --sbatch --partition=cpu --sbatch --mem=16G)
  --merge-sbatch <opt> an sbatch option for the merge job, repeatable
  -- <options>         passed to every task's `ccw filter` (e.g. -- --preset cc12m --set text.maxNounRatio=0.7);
                       recorded, so a resubmission uses the same ones

Environment: CCW is the ccw executable the jobs run (default: `ccw` on PATH, else this checkout's bin/ccw.js);
nodes need Node.js >= 20 on PATH and this checkout (or the installed package) at the same path.
USAGE
}

die() { echo "submit.sh: $*" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
input="" out="" tasks="" pattern="*.warc.gz" array="" mode=submit
sbatch_args=() merge_args=() filter_args=() filter_args_given=0
while [ $# -gt 0 ]; do
  case "$1" in
    --input) input=${2:?--input needs a folder}; shift 2 ;;
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    --tasks) tasks=${2:?--tasks needs a number}; shift 2 ;;
    --pattern) pattern=${2:?--pattern needs a glob}; shift 2 ;;
    --array) array=${2:?--array needs a list of indices}; mode=resubmit; shift 2 ;;
    --resubmit-failed) mode=resubmit-failed; shift ;;
    --list-failed) mode=list-failed; shift ;;
    --sbatch) sbatch_args+=("${2:?--sbatch needs an sbatch option}"); shift 2 ;;
    --sbatch=*) sbatch_args+=("${1#--sbatch=}"); shift ;;
    --merge-sbatch) merge_args+=("${2:?--merge-sbatch needs an sbatch option}"); shift 2 ;;
    --merge-sbatch=*) merge_args+=("${1#--merge-sbatch=}"); shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; filter_args=("$@"); filter_args_given=1; break ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done
[ -n "$out" ] || { usage >&2; die "--out <dir> is required"; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
state="$out/slurm"

# --- the records a resubmission reads: the frozen input list, N, the filter options, the array jobs submitted ---
inputs_file="$state/inputs.txt"
shards_file="$state/shards"
args_file="$state/filter-args"
jobs_file="$state/array-jobs"

if [ "$mode" = submit ]; then
  [ -n "$input" ] || { usage >&2; die "--input <dir> is required for a first submission (or give --array / --resubmit-failed)"; }
  [ -d "$input" ] || die "--input '$input' is not a folder"
  input=$(cd "$input" && pwd)
  mkdir -p "$state/logs"
  listed=$(mktemp "$state/inputs.XXXXXX")
  find "$input" -maxdepth 1 -type f -name "$pattern" | LC_ALL=C sort > "$listed"
  count=$(wc -l < "$listed")
  [ "$count" -gt 0 ] || { rm -f "$listed"; die "no file in '$input' matches --pattern '$pattern'"; }
  if [ -z "$tasks" ]; then tasks=$(( count < 1000 ? count : 1000 )); fi
  [[ "$tasks" =~ ^[1-9][0-9]*$ ]] || { rm -f "$listed"; die "--tasks must be a positive integer, got '$tasks'"; }
  [ "$tasks" -le "$count" ] || echo "submit.sh: $tasks tasks for $count inputs: tasks $count..$((tasks - 1)) get no input" >&2
  # Each task derives its inputs from the list's order, so every submission into one --out must use the same list.
  if [ -f "$inputs_file" ]; then
    if ! cmp -s "$listed" "$inputs_file" || [ "$(cat "$shards_file")" != "$tasks" ]; then
      rm -f "$listed"
      die "'$out' already holds a run over another input list or shard count ($inputs_file, $(cat "$shards_file") shards): use a new --out, or --array/--resubmit-failed to finish that run"
    fi
    rm -f "$listed"
  else
    mv "$listed" "$inputs_file"
    echo "$tasks" > "$shards_file"
  fi
  : > "$args_file"
  if [ ${#filter_args[@]} -gt 0 ]; then printf '%s\0' "${filter_args[@]}" > "$args_file"; fi
  array="0-$((tasks - 1))"
else
  { [ -f "$inputs_file" ] && [ -f "$shards_file" ]; } || die "'$out' has no earlier submission ($inputs_file is missing): submit with --input first"
  { [ -z "$input" ] && [ -z "$tasks" ]; } || die "--input and --tasks belong to the first submission; a resubmission reuses its input list and N"
  [ "$filter_args_given" -eq 0 ] || die "a resubmission reuses the first submission's filter options ($args_file); options after -- are not allowed"
  tasks=$(cat "$shards_file")
  count=$(wc -l < "$inputs_file")
  filter_args=()
  if [ -s "$args_file" ]; then mapfile -d '' -t filter_args < "$args_file"; fi
fi

# Task indices 0..N-1 that completed in any array job submitted into this --out: sacct when accounting is on,
# else scontrol (which forgets jobs MinJobAge after they end: an index it no longer knows counts as not completed,
# and rerunning a finished task is cheap, since `ccw filter` reuses finished shards).
failed_indices() {
  local id lines completed="" active=""
  [ -f "$jobs_file" ] || { seq -s, 0 $((tasks - 1)); return; }
  while read -r id _; do
    if lines=$(sacct -X -n -P -j "$id" -o JobID,State 2>/dev/null) && [ -n "$lines" ]; then
      completed+=$(awk -F'|' '$2 == "COMPLETED" && $1 ~ /_[0-9]+$/ { sub(/.*_/, "", $1); print $1 }' <<< "$lines" || true)$'\n'
      active+=$(awk -F'|' '$2 ~ /^(PENDING|RUNNING|REQUEUED|RESIZING|SUSPENDED|COMPLETING|CONFIGURING)/ { print $1 }' <<< "$lines" || true)$'\n'
    elif lines=$(scontrol -o show job "$id" 2>/dev/null); then
      completed+=$(grep -o 'ArrayTaskId=[0-9]* .*JobState=COMPLETED' <<< "$lines" | sed 's/ArrayTaskId=\([0-9]*\).*/\1/' || true)$'\n'
      active+=$(grep -Eo 'ArrayTaskId=[^ ]* .*JobState=(PENDING|RUNNING|REQUEUED|RESIZING|SUSPENDED|COMPLETING|CONFIGURING)' <<< "$lines" | sed 's/ .*//' || true)$'\n'
    else
      echo "submit.sh: Slurm no longer knows array job $id (no accounting, and past MinJobAge): its tasks count as not completed" >&2
    fi
  done < "$jobs_file"
  [ -z "${active//[[:space:]]/}" ] || die "tasks still pending or running, wait for them first: $(tr '\n' ' ' <<< "$active")"
  seq 0 $((tasks - 1)) | grep -vxF -f <(grep -E '^[0-9]+$' <<< "$completed" || true) | paste -sd, - || true
}

if [ "$mode" = list-failed ]; then
  failed_indices
  exit 0
fi
if [ "$mode" = resubmit-failed ]; then
  array=$(failed_indices)
  [ -n "$array" ] || echo "submit.sh: every task of $out completed; submitting only the merge" 
fi

if [ -z "${CCW:-}" ]; then CCW=$(command -v ccw || echo "$here/../../bin/ccw.js"); fi
[ -x "$CCW" ] || command -v "$CCW" >/dev/null || die "CCW='$CCW' is not an executable"
export CCW CCW_OUT="$out" CCW_INPUTS="$inputs_file" CCW_SHARDS="$tasks"

dependency=()
if [ -n "$array" ]; then
  array_id=$(sbatch --parsable --array="$array" --output="$state/logs/filter-%A_%a.out" ${sbatch_args[@]+"${sbatch_args[@]}"} \
    "$here/filter-array.sbatch" ${filter_args[@]+"${filter_args[@]}"})
  array_id=${array_id%%;*}
  echo "$array_id $array" >> "$jobs_file"
  echo "inputs: $count files in $inputs_file; $tasks shards (input j goes to task j mod $tasks)"
  echo "array job $array_id: tasks $array (logs: $state/logs/filter-${array_id}_<task>.out)"
  dependency=(--dependency="afterok:$array_id" --kill-on-invalid-dep=yes)
fi
merge_id=$(sbatch --parsable ${dependency[@]+"${dependency[@]}"} --output="$state/logs/merge-%j.out" ${merge_args[@]+"${merge_args[@]}"} "$here/merge.sbatch")
merge_id=${merge_id%%;*}
echo "merge job $merge_id: ${array:+after array job $array_id succeeds; }writes $out/candidates.arrow, funnel.json (log: $state/logs/merge-$merge_id.out)"
