#!/usr/bin/env bash
# Installs what the integration and end-to-end tests need from Debian: tmux (drives the built CLI
# in a real pseudo-terminal), Prometheus + Pushgateway (real metric queries), openssh-server and
# -client (a real SSH drop), chromium (renders the HTML report), postgresql (the team store), and
# zsh and fish (their completion scripts are parsed by the shells themselves).
# Idempotent. The tests start their own servers on free loopback ports and stop them after.
set -euo pipefail
need=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ]; }
have tmux || need+=(tmux)
have prometheus || need+=(prometheus)
have prometheus-pushgateway || need+=(prometheus-pushgateway)
have /usr/sbin/sshd || need+=(openssh-server)
have ssh || need+=(openssh-client)
have ssh-keygen || need+=(openssh-client)
have chromium || need+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
have python3 || need+=(python3)
have zsh || need+=(zsh)
have fish || need+=(fish)
if [ ${#need[@]} -eq 0 ]; then
  echo "test deps present: tmux, prometheus, pushgateway, sshd, ssh, chromium, postgresql, python3, zsh, fish"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
echo "installing: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian starts the packaged services on install; the tests run their own on free ports.
for svc in prometheus prometheus-pushgateway prometheus-node-exporter ssh postgresql; do
  $SUDO systemctl stop "$svc" >/dev/null 2>&1 || $SUDO service "$svc" stop >/dev/null 2>&1 || true
done
echo "installed: ${need[*]}"
