#!/bin/sh
# Regenerates the captured GHCi stderr for the diagnostics corpus.
#   Tests/Fixtures/diagnostics/capture.sh 9.0   # host ghci (Debian 12)
#   Tests/Fixtures/diagnostics/capture.sh 9.6   # Debian 13 root at $GHCBOX_TRIXIE_ROOT or /work/trixie-root, as root
# The cells are sent exactly as the kernel sends them (ChunkWrapper), one GHCi per cell.
set -eu
version="${1:?usage: capture.sh 9.0|9.6}"
root="${GHCBOX_TRIXIE_ROOT:-/work/trixie-root}"
if [ "$version" = "9.6" ] && ! mountpoint -q "$root/proc"; then
    mount -t proc proc "$root/proc"   # GHC finds its libraries through /proc/self/exe
fi
cd "$(dirname "$0")/../../.."
GHCBOX_CAPTURE="$version" swift test --filter 'DiagnosticsLiveTests/captureFixtures'
