#!/usr/bin/env bash
# Installs what the integration and end-to-end tests need from Debian: tmux (drives the built CLI
# in a real pseudo-terminal) and Prometheus + Pushgateway (real metric queries). Idempotent.
set -euo pipefail
need=()
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus-pushgateway >/dev/null 2>&1 || need+=(prometheus-pushgateway)
if [ ${#need[@]} -eq 0 ]; then
  echo "test deps present: tmux, prometheus, prometheus-pushgateway"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
echo "installing: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# Debian starts the packaged services on install; the tests run their own on free ports.
for svc in prometheus prometheus-pushgateway prometheus-node-exporter; do
  $SUDO systemctl stop "$svc" >/dev/null 2>&1 || $SUDO service "$svc" stop >/dev/null 2>&1 || true
done
echo "installed: ${need[*]}"
