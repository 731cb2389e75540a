#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine for the tests: munged, slurmctld and slurmd, listening on
# 127.0.0.1 only. Idempotent: when the node already answers idle, it returns at once; otherwise it (re)writes the
# configuration it owns, starts what is not running and waits for the node. Needs root and Debian's slurm-wlm and
# munge packages. CURATION_SLURM_WAIT_S (default 60) bounds the wait.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

conf=/etc/slurm/slurm.conf
state=/var/lib/curation-slurm
marker="# written by tests/slurm/start-cluster.sh"
node=localhost
wait_s="${CURATION_SLURM_WAIT_S:-60}"

fail() { echo "start-cluster: $*" >&2; exit 1; }

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

node_ready() {
  # Without a controller, sinfo would retry for about ten seconds before it fails.
  running /run/slurm/slurmctld.pid || return 1
  # idle, mixed or allocated: the node takes jobs (a '*' suffix would mean not responding).
  local s
  s=$(sinfo -h -N -n "$node" -o '%T' 2>/dev/null | head -n 1) || return 1
  [[ "$s" == idle || "$s" == mixed || "$s" == allocated ]]
}

for tool in sbatch slurmctld slurmd munged; do
  command -v "$tool" >/dev/null || fail "$tool not found: install Debian's slurm-wlm and munge (apt-get install slurm-wlm munge)"
done
[ "$(id -u)" -eq 0 ] || fail "needs root (the daemons run as root here; run it with sudo)"

if [ -f "$conf" ] && ! grep -qF "$marker" "$conf"; then
  fail "$conf exists and was not written by this script; refusing to replace a real cluster's configuration"
fi

mkdir -p "$state"/ctld "$state"/spool "$state"/log /run/slurm

# The node's real CPU count and memory as slurmd measures them, so that it does not drain itself as 'Low RealMemory'.
hw=$(slurmd -C | head -n 1)
cpus=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$hw")
memory=$(sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p' <<<"$hw")
[ -n "$cpus" ] && [ -n "$memory" ] || fail "could not read CPUs and RealMemory from 'slurmd -C': $hw"

new_conf=$(cat <<EOF
$marker
ClusterName=curation-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=6817
SlurmdPort=6818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=256
# No slurmdbd, so sacct has no accounting store ("accounting storage is disabled"): the client reads task states
# from squeue, and slurmctld keeps finished jobs for MinJobAge seconds so that it can. Finished jobs are also
# appended to a plain job-completion file for people to read (22.05's 'sacct --completion' misreads its array fields).
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$state/log/jobcomp.log
MinJobAge=3600
MaxArraySize=100001
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
)
if [ -f "$conf" ] && [ "$(cat "$conf")" == "$new_conf" ] && node_ready; then
  echo "start-cluster: node $node already idle"
  exit 0
fi
if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "$new_conf" ]; then
  printf '%s\n' "$new_conf" > "$conf"
  config_changed=1
else
  config_changed=0
fi

# munge: a key (the package makes one; a bare image may not have it), then the daemon as its own user.
if [ ! -s /etc/munge/munge.key ]; then
  install -d -o munge -g munge -m 0700 /etc/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
fi
install -d -o munge -g munge -m 0755 /run/munge
install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 1 50); do
    munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break
    sleep 0.1
  done
  munge -n | unmunge >/dev/null || fail "munged does not answer (log: /var/log/munge/munged.log)"
fi

if [ "$config_changed" -eq 1 ]; then
  # Node and port settings take effect only on a restart, so a changed configuration restarts both daemons.
  for pidfile in /run/slurm/slurmd.pid /run/slurm/slurmctld.pid; do
    if running "$pidfile"; then
      pid=$(cat "$pidfile")
      kill "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$pidfile"
  done
fi
if ! running /run/slurm/slurmctld.pid; then
  slurmctld || fail "slurmctld did not start (log: $state/log/slurmctld.log)"
fi
if ! running /run/slurm/slurmd.pid; then
  slurmd -N "$node" || fail "slurmd did not start (log: $state/log/slurmd.log)"
fi

for _ in $(seq 1 $((wait_s * 4))); do
  if node_ready; then
    echo "start-cluster: node $node idle ($cpus CPUs, $memory MB), partition debug"
    exit 0
  fi
  # A node restored from saved state as down or drained comes back once it is told to.
  s=$(sinfo -h -N -n "$node" -o '%T' 2>/dev/null | head -n 1 || true)
  if [[ "$s" == down* || "$s" == drain* ]]; then
    scontrol update NodeName="$node" State=RESUME 2>/dev/null || true
  fi
  sleep 0.25
done
echo "start-cluster: node $node not idle after ${wait_s}s (sinfo: $(sinfo -h -N -o '%N %T %E' 2>&1 | head -n 3))" >&2
tail -n 15 "$state/log/slurmctld.log" "$state/log/slurmd.log" >&2 2>/dev/null || true
exit 1
