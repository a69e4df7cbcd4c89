"""The session's CPU quota through a real client: work a cell leaves running is held to the
session's CPUs between cells, and the next cell reports what it used as idle CPU, apart from
its own."""
import time

from check_prometheus import parse_metrics, sample
from conftest import TIMEOUT
from kernel_env import session_processes, start_kernel, stop_kernel

# Two shells that never sleep: without a quota they keep two cores busy.
BURNERS = """import System.Process
_ <- spawnCommand "while :; do :; done"
_ <- spawnCommand "while :; do :; done"
return ()"""


def cgroup_mounts():
    """Mount points: v1 controller name -> its hierarchy, and "" -> the cgroup2 mount."""
    mounts = {}
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields, tail = line.split(" - ", 1)
            point, (fstype, _, options) = fields.split()[4], tail.split()[:3]
            if fstype == "cgroup":
                mounts.update((name, point) for name in options.split(","))
            elif fstype == "cgroup2":
                mounts.setdefault("", point)
    return mounts


def session_cgroup(kernel_pid):
    """The session cgroup's CPU usage counter (v1 cpuacct.usage in ns, v2 cpu.stat in us) and
    its bandwidth statistics (cpu.stat: nr_periods, nr_throttled), found from a process of the
    session as the host sees it."""
    mounts = cgroup_mounts()
    for pid in session_processes(kernel_pid):
        try:
            with open(f"/proc/{pid}/cgroup") as f:
                paths = {}
                for line in f:
                    _, controllers, path = line.rstrip("\n").split(":", 2)
                    paths.update((name, path) for name in controllers.split(","))
        except OSError:
            continue
        if "ghcbox-" in paths.get("cpuacct", "") and "ghcbox-" in paths.get("cpu", ""):
            return f"{mounts['cpuacct']}{paths['cpuacct']}/cpuacct.usage", f"{mounts['cpu']}{paths['cpu']}/cpu.stat"
        if "ghcbox-" in paths.get("", "") and "cpuacct" not in paths:
            stat = f"{mounts['']}{paths['']}/cpu.stat"
            return stat, stat
    raise AssertionError(f"no session cgroup with a cpu controller among the kernel's descendants {session_processes(kernel_pid)}")


def numbers(path):
    with open(path) as f:
        text = f.read()
    if path.endswith("cpuacct.usage"):
        return {"usage_usec": int(text) // 1000}
    return {key: int(value) for key, value in (line.split() for line in text.splitlines())}


def execute(kc, code):
    """Runs a cell; returns its reply message (content and metadata)."""
    return kc.execute_interactive(code, timeout=TIMEOUT, allow_stdin=False, output_hook=lambda _: None)


def test_work_left_running_is_held_to_the_quota_and_counted_as_idle(tmp_path):
    metrics_file = tmp_path / "ghcbox.prom"
    km, kc = start_kernel(GHCBOX_CPUS=1, GHCBOX_METRICS_FILE=metrics_file)
    try:
        started = execute(kc, BURNERS)
        assert started["content"]["status"] == "ok", started["content"]
        usage, bandwidth = session_cgroup(km.provisioner.process.pid)

        before, periods_before, began = numbers(usage)["usage_usec"], numbers(bandwidth)["nr_periods"], time.monotonic()
        # The span the burners' CPU use is measured over: a rate is what this test checks.
        time.sleep(3)
        used = (numbers(usage)["usage_usec"] - before) / 1e6
        elapsed, periods = time.monotonic() - began, numbers(bandwidth)["nr_periods"] - periods_before
        # Two burners on two cores would use about 2 CPUs; the quota holds the session to 1.
        assert used / elapsed < 1.2, f"the session used {used:.2f} s of CPU in {elapsed:.2f} s"
        # Held to it whatever else the host runs: at most a period's quota (0.1 s) in each
        # 0.1 s period, with one period and a tenth to spare for the readings' edges.
        assert periods >= 1 and used <= (periods + 1) * 0.1 * 1.1, f"{used:.2f} s of CPU in {periods} periods"

        reply = execute(kc, "1 + 1")
        assert reply["content"]["status"] == "ok", reply["content"]
        idle, own = reply["metadata"]["idle_cpu_seconds"], reply["metadata"]["cpu_seconds"]
        # The idle window (previous cell's end to this one's start) holds the measured one.
        assert idle >= used, f"idle {idle} s, measured {used} s between the cells"
        assert own < idle / 4, f"a trivial cell counted {own} s of CPU (idle {idle} s)"

        samples = parse_metrics(metrics_file.read_text())
        assert sample(samples, "ghcbox_idle_cpu_seconds_total") >= idle
    finally:
        stop_kernel(km, kc)
