"""Shows `swift build`'s output on a console without flooding it: SwiftPM's own progress
lines ("[412/849] Compiling ..."), one per tenth of the build, and every other line (fetches,
errors, warnings) as it comes. Two warnings that nothing here can fix are dropped: SwiftPM's
"prohibited flag" one, about the -isystem flags that libzmq's pkg-config file lists, and the
linker's about `mktemp` in the Swift toolchain's own static Foundation."""
import re
import sys

shown = -1  # the last tenth shown
for line in sys.stdin:
    if line.startswith("warning: prohibited flag") or "the use of `mktemp' is dangerous" in line:
        continue
    progress = re.match(r"\[(\d+)/(\d+)\]", line)
    if progress:
        done, total = int(progress[1]), int(progress[2])
        tenth = done * 10 // total
        if tenth < shown:  # a new phase (plugins, then the build) counts from 1 again
            shown = -1
        if tenth <= shown and done != total:
            continue
        shown = tenth
    print(line, end="", flush=True)
