#!/usr/bin/env bash
# A real single-node SLURM on localhost for CI and the cluster tests (DESIGN.md §9).
#
#   scripts/slurm-dev.sh start    install (if missing) and start munged, slurmctld, slurmd; wait for the node
#   scripts/slurm-dev.sh stop     stop them by their recorded PIDs and wait until they are gone
#   scripts/slurm-dev.sh status   exit 0 when the controller answers
#   scripts/slurm-dev.sh env      print `export SLURM_CONF=...` for clients (sbatch, squeue, ...)
#
# Everything (config, munge key, spool, state, logs, PID files) lives in one
# directory, $SPECTHIS_SLURM_DIR (default /tmp/specthis-slurm); nothing under
# /etc is written, so a machine's own SLURM or munge is untouched. Clients find
# this cluster through SLURM_CONF=$SPECTHIS_SLURM_DIR/slurm.conf, whose AuthInfo
# names this munged's socket. Ports: SPECTHIS_SLURM_PORT (slurmctld, default
# 6817) and the next one (slurmd).
#
# No systemd (containers, CI): the daemons are started directly and stopped by
# PID, never by name, so another SLURM on the machine is never touched.
set -euo pipefail

DIR=${SPECTHIS_SLURM_DIR:-/tmp/specthis-slurm}
CTLD_PORT=${SPECTHIS_SLURM_PORT:-6817}
SLURMD_PORT=$((CTLD_PORT + 1))
CONF=$DIR/slurm.conf
# The one node declares more CPUs than this machine may have (SlurmdParameters=config_overrides
# keeps slurmd from draining it for that): 4 CPUs and 8 GiB let two default jobs, or two
# cpus=2 jobs, run at once on a 2-core CI runner. Jobs are not confined (no cgroups), so the
# figures only drive scheduling.
NODE_CPUS=${SPECTHIS_SLURM_CPUS:-4}
NODE_MEM_MB=${SPECTHIS_SLURM_MEM_MB:-8192}
# Seconds a finished job stays visible to squeue/scontrol; the runner reads the final state
# from there (without slurmdbd there is no sacct), so it must outlast a poll that was delayed.
MIN_JOB_AGE=${SPECTHIS_SLURM_MIN_JOB_AGE:-60}
WAIT_S=${SPECTHIS_SLURM_WAIT_S:-30}

say() { printf 'slurm-dev: %s\n' "$*"; }
die() {
  printf 'slurm-dev: %s\n' "$*" >&2
  exit 1
}

export SLURM_CONF=$CONF

pid_of() { # daemon -> its PID if that process is alive, else nothing
  local f=$DIR/run/$1.pid pid
  [[ -s $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  # A stale PID file may name a process that reused the number: only the daemon itself counts.
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$1" ]] || return 1
  printf '%s' "$pid"
}

log_tail() { # daemon -> its fatal lines and last lines, on stderr
  local f=$DIR/log/$1.log
  [[ -s $f ]] || return 0
  printf -- '--- %s (fatal lines, then the last lines) ---\n' "$f" >&2
  { grep -F 'fatal' "$f" || true; tail -n 8 "$f"; } | awk '!seen[$0]++' >&2
}

ensure_installed() {
  local missing=() p
  for p in slurmctld slurmd slurm-client munge; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get: install slurmctld, slurmd, slurm-client and munge (SLURM 22.05 or later)"
  ((EUID == 0)) || die "missing packages ${missing[*]}: run as root, or install them: apt-get install --no-install-recommends slurmctld slurmd slurm-client munge"
  say "installing ${missing[*]} (apt-get, no recommends)"
  # The package lists of a fresh container are empty; update only when the install cannot find the packages.
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >"$DIR/log/apt.log" 2>&1; then
    apt-get update -q >>"$DIR/log/apt.log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$DIR/log/apt.log" 2>&1 ||
      {
        tail -n 20 "$DIR/log/apt.log" >&2
        die "apt-get could not install ${missing[*]} (log: $DIR/log/apt.log)"
      }
  fi
}

write_config() {
  mkdir -p "$DIR"/{run,log,state,spool}
  # munged refuses a key directory others can read, and wants its socket in a directory others can enter.
  install -d -m 0700 "$DIR/munge"
  install -d -m 0755 "$DIR/munge-socket"
  if [[ ! -s $DIR/munge/munge.key ]]; then
    head -c 1024 /dev/urandom >"$DIR/munge/munge.key"
    chmod 0400 "$DIR/munge/munge.key"
  fi
  cat >"$CONF" <<EOF
# Written by scripts/slurm-dev.sh; rewritten on every start.
ClusterName=specthis
SlurmctldHost=localhost
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$DIR/munge-socket/munge.socket
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# Containers have no usable cgroups; track processes through /proc and confine nothing.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# Without a per-CPU default, a job that names no memory takes the whole node and jobs run one at a time.
DefMemPerCPU=256
MinJobAge=$MIN_JOB_AGE
ReturnToService=2
SlurmdParameters=config_overrides
SlurmctldTimeout=30
SlurmdTimeout=30
# An srun that is gone (killed with the cluster, or its completion message lost while the controller
# was down) leaves its job RUNNING with nothing in it; this reclaims it, as TIMEOUT with
# Reason=InactiveLimit (measured: about 3 minutes later, not 60 s; the runner cancels such jobs itself).
InactiveLimit=60
KillWait=5
Waittime=0
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$NODE_CPUS RealMemory=$NODE_MEM_MB State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
PartitionName=short Nodes=localhost MaxTime=00:30:00 State=UP
EOF
}

start_munged() {
  if pid_of munged >/dev/null; then return 0; fi
  munged --force --key-file="$DIR/munge/munge.key" --socket="$DIR/munge-socket/munge.socket" \
    --pid-file="$DIR/run/munged.pid" --log-file="$DIR/log/munged.log" --seed-file="$DIR/munge/munged.seed" ||
    {
      log_tail munged
      die "munged did not start"
    }
}

start_daemon() { # slurmctld|slurmd
  if pid_of "$1" >/dev/null; then return 0; fi
  local args=()
  # -N: the node's name in slurm.conf, which the machine's hostname may not match.
  [[ $1 == slurmd ]] && args=(-N localhost)
  "$1" -f "$CONF" "${args[@]}" || {
    log_tail "$1"
    die "$1 did not start"
  }
}

# The daemons fork and write their PID file from the child, a moment after the command returns:
# until it is there, a check would take a starting daemon for one that exited (seen: 1 start in 5).
await_pid() { # daemon
  local deadline=$((SECONDS + 10))
  until pid_of "$1" >/dev/null; do
    ((SECONDS < deadline)) || fail_start "$1 did not write its PID file $DIR/run/$1.pid within 10 s"
    sleep 0.05
  done
}

node_state() { sinfo -h -n localhost -o %T 2>/dev/null | head -n 1 || true; }

STARTED=()
# A start that fails stops what it started, so a retry (or the caller's cleanup) begins from nothing.
fail_start() {
  local d
  for d in slurmd slurmctld munged; do log_tail "$d"; done
  for d in "${STARTED[@]}"; do stop_daemon "$d" >/dev/null; done
  die "$*; logs in $DIR/log"
}

cmd_start() {
  if pid_of munged >/dev/null && pid_of slurmctld >/dev/null && pid_of slurmd >/dev/null && scontrol ping >/dev/null 2>&1; then
    say "already running in $DIR (SLURM_CONF=$CONF)"
    return 0
  fi
  mkdir -p "$DIR/log"
  ensure_installed
  write_config
  local d
  for d in munged slurmctld slurmd; do pid_of "$d" >/dev/null || STARTED+=("$d"); done
  say "starting ${STARTED[*]:-nothing (all running; waiting for the controller)} in $DIR"
  start_munged
  await_pid munged
  start_daemon slurmctld
  await_pid slurmctld
  start_daemon slurmd
  await_pid slurmd
  local deadline=$((SECONDS + WAIT_S)) state=''
  while ((SECONDS < deadline)); do
    for d in munged slurmctld slurmd; do pid_of "$d" >/dev/null || fail_start "$d exited during start-up"; done
    state=$(node_state)
    [[ $state == idle || $state == mixed || $state == allocated ]] && break
    sleep 0.2
  done
  [[ $state == idle || $state == mixed || $state == allocated ]] ||
    fail_start "node localhost is not up after ${WAIT_S} s (sinfo says '${state:-no answer}'; idle expected)"
  say "up: node localhost $state, partitions $(sinfo -h -o %P | paste -sd ' '), pids munged $(pid_of munged) slurmctld $(pid_of slurmctld) slurmd $(pid_of slurmd)"
  say "clients need: export SLURM_CONF=$CONF"
}

stop_daemon() { # daemon -> stops it by its recorded PID and waits; prints "name(pid)" when it stopped one
  local pid deadline
  pid=$(pid_of "$1") || return 0
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + WAIT_S))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    say "$1 ($pid) ignored SIGTERM for ${WAIT_S} s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$DIR/run/$1.pid"
  printf '%s(%s)' "$1" "$pid"
}

cmd_stop() {
  local d one stopped=()
  # The node daemon first, so the controller does not see it vanish while still running; munge last.
  for d in slurmd slurmctld munged; do
    one=$(stop_daemon "$d")
    [[ -n $one ]] && stopped+=("$one")
  done
  if ((${#stopped[@]})); then say "stopped ${stopped[*]}"; else say "not running (nothing recorded in $DIR/run)"; fi
}

cmd_status() {
  local d
  for d in munged slurmctld slurmd; do
    if pid=$(pid_of "$d"); then say "$d running, pid $pid"; else say "$d not running"; fi
  done
  if scontrol ping >/dev/null 2>&1; then
    say "controller answers; node localhost $(node_state)"
  else
    say "controller at localhost:$CTLD_PORT does not answer"
    return 1
  fi
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) printf 'export SLURM_CONF=%q\n' "$CONF" ;;
  *) die "usage: $0 start|stop|status|env (state in \$SPECTHIS_SLURM_DIR, default /tmp/specthis-slurm)" ;;
esac
