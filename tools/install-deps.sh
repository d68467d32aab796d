#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The one place that lists zkclob's Debian 12 dependencies, and why each one
# is here. Installs only what is missing; when nothing is, it touches nothing
# (no apt-get update), so a second run costs a few dpkg queries.
#
# Usage: tools/install-deps.sh            build + run + test dependencies
set -euo pipefail

# package            reason
DEPS=(
  gcc                # the C17 compiler the project is built with
  libc6-dev          # C library headers
  pkg-config         # Meson finds every library below through it
  meson              # build system (>= 1.0 in Debian 12)
  ninja-build        # Meson's backend
  python3            # Meson itself; configs/embed.py embeds the default config
  libdpdk-dev        # EAL, ethdev, mbuf pools, rte_ring: the kernel-bypass dataplane
  dpdk-dev           # dpdk-testpmd: DPDK's own forwarding rate, the ingest benchmark's baseline
  liburing-dev       # io_uring: appends to the proof log
  libhwloc-dev       # topology discovery for the placement plan
  hwloc              # lstopo: synthetic topologies for placement tests
  libnuma-dev        # binds prover scratch memory to its NUMA node
  libpcap-dev        # writes and reads the generator's standard pcap captures
  libinih-dev        # the INI config parser (docs/dependencies.md says why not rte_cfgfile)
  libb2-dev          # BLAKE2: events digest and Merkle byte hash candidates
  libssl-dev         # OpenSSL SHA-256 (SHA-NI): the other byte-hash candidate
  libcmocka-dev      # unit and integration tests
  tshark             # test: the generator's captures must decode as MoldUDP64
  iproute2           # test: network namespace + veth pair for the net_af_packet path
  procps             # test: sysctl inside that namespace (IPv6 off: no stray frames)
  clang              # test: libFuzzer builds of the fuzz targets
  libclang-rt-14-dev # test: the libFuzzer runtime for clang 14
  libmicrohttpd-dev  # the /metrics HTTP endpoint (docs/metrics.md says why not DPDK telemetry)
  prometheus         # test: promtool checks our exposition and alert rules; the real-server scrape test
)

missing=()
for p in "${DEPS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; the answer does not matter here.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections 2>/dev/null || true
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
