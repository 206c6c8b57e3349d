#!/usr/bin/env bash
# The cluster path tested on a real Slurm: starts munged, slurmctld and slurmd on this machine
# with a one-node configuration written to a temporary folder, submits cluster/batch.sbatch as
# a 4-task job array with cluster/merge.sbatch depending on it, waits for both (bounded), and
# checks that the merged batch is byte-identical to the unsharded batch of the same seeds.
# Stops every daemon it started.
#
# Needs root and Debian's slurm-wlm and munge (.ci/run installs them). Where they are missing
# it says so and skips, except in CI (CI=true), where it fails.
#
#   tests/slurm.sh [PROGRAM]     (default: target/debug/august-storm, built by cargo test)
set -euo pipefail
cd "$(dirname "$0")/.."
root_dir=$PWD
program="${1:-$root_dir/target/debug/august-storm}"
program="$(cd "$(dirname "$program")" && pwd)/$(basename "$program")"

skip() {
    if [ "${CI:-}" = "true" ]; then
        echo "slurm test: FAILED: $1" >&2
        exit 1
    fi
    echo "slurm test: skipped: $1"
    exit 0
}
[ "$(id -u)" = 0 ] || skip "it must run as root to start the Slurm daemons"
for c in munged slurmctld slurmd sbatch squeue scontrol; do
    command -v "$c" >/dev/null || skip "$c is not installed (Debian: apt-get install slurm-wlm munge)"
done
[ -x "$program" ] || { echo "slurm test: no program at $program (run cargo build first)" >&2; exit 1; }

tmp="$(mktemp -d /tmp/august-storm-slurm.XXXXXX)"
chmod 755 "$tmp"
pids=()
started_munge=""
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    if [ -n "$started_munge" ]; then
        kill "$(cat "$tmp/munged.pid" 2>/dev/null)" 2>/dev/null || true
    fi
    sleep 1
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT

# munge: the daemon Slurm authenticates with, on its own socket in the temporary folder.
mkdir -p "$tmp/munge"
if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
    chmod 400 /etc/munge/munge.key
fi
socket="$tmp/munge/munge.socket"
munged --force --socket="$socket" --pid-file="$tmp/munged.pid" \
    --log-file="$tmp/munged.log" --seed-file="$tmp/munge/seed" ||
    skip "munged does not start: $(tail -3 "$tmp/munged.log" 2>/dev/null)"
started_munge=yes

host="$(hostname -s)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ctld_port="$(free_port)"
d_port="$(free_port)"
cpus="$(nproc)"
mkdir -p "$tmp/state" "$tmp/spool"
conf="$tmp/slurm.conf"
cat >"$conf" <<CONF
ClusterName=augusttest
SlurmctldHost=$host
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
ReturnToService=2
MaxArraySize=1001
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$conf"
slurmctld -D -f "$conf" >"$tmp/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$conf" >"$tmp/slurmd.out" 2>&1 &
pids+=($!)

# Wait for the node to come up (bounded).
up=""
for _ in $(seq 60); do
    if sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then up=yes; break; fi
    sleep 1
done
if [ -z "$up" ]; then
    echo "--- slurmctld" >&2; tail -20 "$tmp/slurmctld.log" "$tmp/slurmctld.out" >&2 || true
    echo "--- slurmd" >&2; tail -20 "$tmp/slurmd.log" "$tmp/slurmd.out" >&2 || true
    skip "the Slurm node did not come up within 60 s"
fi

scenario="$root_dir/scenarios/across_the_khingan.ron"
runs=8
out="$tmp/batch"
mkdir -p "$out"
cd "$tmp"
export_vars="ALL,SCENARIO=$scenario,RUNS=$runs,SEED_START=11,OUT=$out,AUGUST_STORM=$program"
array="$(sbatch --parsable --array=1-4 --cpus-per-task=1 --export="$export_vars" "$root_dir/cluster/batch.sbatch")"
merge="$(sbatch --parsable --dependency=afterok:"$array" --export="$export_vars" "$root_dir/cluster/merge.sbatch")"
echo "slurm test: submitted array $array (4 tasks) and merge $merge"

deadline=$((SECONDS + 900))
while squeue -h -j "$array,$merge" 2>/dev/null | grep -q .; do
    if [ "$SECONDS" -gt "$deadline" ]; then
        squeue >&2 || true
        echo "slurm test: FAILED: the jobs did not finish within 900 s" >&2
        exit 1
    fi
    sleep 2
done
for f in "$tmp"/slurm-*.out; do echo "  $(basename "$f"): $(head -1 "$f")"; done
[ -f "$out/merged/runs.csv" ] || { echo "slurm test: FAILED: no merged batch in $out/merged" >&2; exit 1; }

"$program" batch "$scenario" --runs "$runs" --seed-start 11 --out "$tmp/whole" >/dev/null
for f in runs.csv batch.json summary.json captures.svg advance.svg tank_army_fuel.svg; do
    cmp "$tmp/whole/$f" "$out/merged/$f" || { echo "slurm test: FAILED: $f differs between the merged and the unsharded batch" >&2; exit 1; }
done
echo "slurm test: passed: 4 array tasks merged are byte-identical to the unsharded batch of seeds 11-18"
