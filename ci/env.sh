# Sourced by the ci scripts: puts Swift on PATH where the toolchain lives in /opt.
for dir in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
    if [ -x "$dir/swift" ] && ! command -v swift >/dev/null; then export PATH="$dir:$PATH"; fi
done
