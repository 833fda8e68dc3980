# Shared helpers for tests/services/start: logging, bounded polling, probes, package install.
# Sourced, not executed; the caller sets `set -euo pipefail`.

say() { printf '[services] %s\n' "$*"; }
fail() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

# Finds an executable by name on PATH or in the sbin/bin dirs a non-root PATH often lacks.
find_bin() {
  local name=$1 dir
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
  for dir in /usr/sbin /usr/bin /usr/local/sbin /usr/local/bin /sbin /bin; do
    if [ -x "$dir/$name" ]; then printf '%s\n' "$dir/$name"; return 0; fi
  done
  return 1
}

# Prints the HTTP status of a GET (000 when nothing answers). curl when present, else Node's fetch
# (Node is always there: npm runs this script).
http_status() {
  local url=$1
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" 2>/dev/null || true
  else
    node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
      .then((r) => console.log(r.status), () => console.log("000"))' "$url" 2>/dev/null || echo 000
  fi
}

# True when something accepts TCP connections on host:port.
tcp_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" >/dev/null 2>&1
}

# Polls "$@" until it succeeds. Returns 1 at the deadline, 2 as soon as process $pid has exited
# (so a daemon that died on start-up is reported at once instead of after the whole deadline).
wait_until() {
  local pid=$1 deadline_s=$2
  shift 2
  local end=$((SECONDS + deadline_s))
  until "$@"; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 2; fi
    if ((SECONDS >= end)); then return 1; fi
    sleep 0.2
  done
  return 0
}

# Shows the end of a daemon's log when it failed to come up, then exits.
fail_with_log() {
  local what=$1 log=$2
  printf '[services] ERROR: %s\n' "$what" >&2
  if [ -f "$log" ]; then
    printf '[services] last lines of %s:\n' "$log" >&2
    tail -n 20 "$log" >&2 || true
  fi
  exit 1
}

# Remembers which daemon this script started, so a later run can say where its data lives.
record_state() {
  local service=$1 pid=$2 dir=$3
  mkdir -p "$STATE_DIR"
  printf '%s %s\n' "$pid" "$dir" >"$STATE_DIR/$service"
}

# Prints the data dir recorded for a service when its recorded process is still alive.
recorded_dir() {
  local service=$1 pid dir
  [ -f "$STATE_DIR/$service" ] || { echo '-'; return 0; }
  read -r pid dir <"$STATE_DIR/$service" || true
  if [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null; then echo "${dir:--}"; else echo '-'; fi
}

# Installs the given Debian packages when running as root on Debian; otherwise stops and prints
# the exact command. Daemons are kept from auto-starting during install (policy-rc.d exit 101):
# this script starts its own, with its own config and data dirs.
install_packages() {
  local pkgs=("$@")
  local cmd="DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${pkgs[*]}"
  if [ ! -f /etc/debian_version ]; then
    fail "missing: ${pkgs[*]}. Not a Debian system: install InfluxDB 1.x (influxd and the influx client), net-snmp (snmpd, snmpget), Mosquitto and Chromium with your package manager (see tests/services/README.md), then run this script again."
  fi
  if [ "$(id -u)" != 0 ]; then
    fail "missing Debian packages: ${pkgs[*]}. Run: sudo apt-get update && sudo $cmd"
  fi
  say "installing missing Debian packages: ${pkgs[*]}"
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# added by netatlas tests/services/start during apt-get install\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    made_policy=1
  fi
  local updated=0 rc=0
  # apt-get update only when there are no package lists, or when the install fails on stale ones.
  if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e '^lock$' -e '^partial$' -e '^auxfiles$' || true)" ]; then
    apt-get update </dev/null || rc=$?
    updated=1
  fi
  if ((rc == 0)); then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}" </dev/null || rc=$?
    if ((rc != 0 && updated == 0)); then
      say "apt-get install failed (exit $rc); refreshing package lists and trying once more"
      rc=0
      apt-get update </dev/null || rc=$?
      if ((rc == 0)); then
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${pkgs[@]}" </dev/null || rc=$?
      fi
    fi
  fi
  if ((made_policy)); then rm -f "$policy"; fi
  ((rc == 0)) || fail "apt-get failed (exit $rc) installing: ${pkgs[*]}"
}
