#!/usr/bin/env bash
# Stops the test cluster that start-cluster.sh started (slurmd, slurmctld, munged), by their pid files.
# With --purge it also removes the saved controller state and logs, so the next start is a fresh one.
set -euo pipefail

state=/var/lib/curation-slurm

stop() {
  local pidfile=$1 name=$2 pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && echo "stop-cluster: $name ($pid) still running" >&2
  fi
  rm -f "$pidfile"
}

stop /run/slurm/slurmd.pid slurmd
stop /run/slurm/slurmctld.pid slurmctld
stop /run/munge/munged.pid munged

if [ "${1:-}" = "--purge" ]; then
  rm -rf "$state"
fi
echo "stop-cluster: stopped"
