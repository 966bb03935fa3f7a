#!/usr/bin/env bash
# polycubed.sh: build and run Polycube for OSGi (start), or build and test it (test).
# For a fresh Debian 12 machine, as root: installs the toolchain if missing, mounts bpffs, runs Maven.
#
#   ./polycubed.sh start [karaf args]  build (no tests), then run polycubed (Karaf) in the foreground
#   ./polycubed.sh test                build and run all unit and integration tests
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
ASSEMBLY="${ROOT}/karaf-features/distribution/target/assembly"
APT_PACKAGES=(default-jdk-headless maven clang llvm libbpf-dev bpftool iproute2 iputils-ping iperf3 python3
              tcpdump ethtool)
# What the build and the tests call; when all of these exist, apt is skipped (fast re-runs).
REQUIRED_COMMANDS=(java javac mvn clang llc bpftool ip ping iperf3 python3 tcpdump ethtool nsenter)
MVN=(mvn -B --no-transfer-progress -Dstyle.color=never)

log() { printf '[polycubed.sh] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
    sed -n '2,6s/^# \{0,1\}//p' "$0" >&2
    exit 2
}

require_root() {
    [[ "$(id -u)" -eq 0 ]] || die "run as root (eBPF programs, network namespaces, veths)"
}

toolchain_present() {
    local cmd
    for cmd in "${REQUIRED_COMMANDS[@]}"; do
        command -v "${cmd}" >/dev/null 2>&1 || return 1
    done
    [[ -f /usr/include/bpf/libbpf.h ]]
}

install_toolchain() {
    if toolchain_present; then
        log "toolchain present, skipping apt"
        return
    fi
    command -v apt-get >/dev/null 2>&1 || die "missing tools and no apt-get: install ${APT_PACKAGES[*]}"
    log "installing ${APT_PACKAGES[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${APT_PACKAGES[@]}" </dev/null
}

# Karaf 4.4.10 needs Java 17..23 (on 24+ the console dies: Subject.getSubject() throws).
select_java() {
    local javac_path major
    javac_path="$(readlink -f "$(command -v javac)")"
    export JAVA_HOME="${JAVA_HOME:-${javac_path%/bin/javac}}"
    major="$("${JAVA_HOME}/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = //p')"
    [[ "${major}" =~ ^[0-9]+$ ]] || die "cannot tell the Java version of ${JAVA_HOME}"
    (( major >= 17 && major < 24 )) || die "Java ${major} at ${JAVA_HOME}: need 17..23 (set JAVA_HOME)"
    log "JAVA_HOME=${JAVA_HOME} (Java ${major})"
}

mount_bpffs() {
    if ! mountpoint -q /sys/fs/bpf; then
        log "mounting bpffs at /sys/fs/bpf"
        mkdir -p /sys/fs/bpf
        mount -t bpf bpf /sys/fs/bpf
    fi
}

prepare() {
    require_root
    install_toolchain
    select_java
    mount_bpffs
    cd "${ROOT}"
}

# Karaf keeps installed bundles in data/cache: after a rebuild, start from an empty data/ so the new
# SNAPSHOT bundles are the ones that run. Configuration in etc/ is kept.
reset_data_if_rebuilt() {
    local stamp="${ASSEMBLY}/.pcn-last-run" current
    current="$(cat "${ASSEMBLY}"/system/io/polycube/osgi/*/*/*.jar | sha256sum | cut -d' ' -f1)"
    if [[ -d "${ASSEMBLY}/data" && "$(cat "${stamp}" 2>/dev/null || true)" != "${current}" ]]; then
        log "distribution rebuilt since the last run: removing ${ASSEMBLY}/data"
        rm -rf "${ASSEMBLY:?}/data"
    fi
    echo "${current}" >"${stamp}"
}

cmd_start() {
    prepare
    "${MVN[@]}" install -DskipTests
    reset_data_if_rebuilt
    if [[ -t 0 ]]; then
        log "starting polycubed (console; 'shutdown -f' or Ctrl-D to stop; REST on :8181, ssh on :8101)"
        exec "${ASSEMBLY}/bin/karaf" "$@"
    else
        log "no terminal on stdin: starting polycubed without a console (use bin/client -u karaf -p karaf)"
        exec "${ASSEMBLY}/bin/karaf" server "$@"
    fi
}

cmd_test() {
    prepare
    "${MVN[@]}" install
}

case "${1:-}" in
    start) shift; cmd_start "$@" ;;
    test) shift; cmd_test "$@" ;;
    *) usage ;;
esac
