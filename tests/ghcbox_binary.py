"""Running the `ghcbox` binary the installed kernelspec names, with an environment free of the
settings the tests choose themselves."""
import os
import subprocess

import jupyter_client

# The settings a test sets itself; the caller's own (GHCBOX_DATA_DIR, GHCBOX_CACHE_DIR) are kept.
CHOSEN = ("GHCBOX_LOG_", "GHCBOX_METRICS_", "GHCBOX_MAX_MESSAGE_MB", "GHCBOX_MEMORY_MB", "GHCBOX_CPU_SECONDS",
          "GHCBOX_WALL_SECONDS", "GHCBOX_PIDS", "GHCBOX_SCRATCH_MB", "GHCBOX_QUEUE_DEPTH", "GHCBOX_OUTPUT_MB",
          "GHCBOX_CPUS")


def ghcbox_path():
    return jupyter_client.kernelspec.KernelSpecManager().get_kernel_spec("ghcbox").argv[0]


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(CHOSEN) and k != "NO_COLOR"}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def ghcbox(*args, timeout=120, **env):
    """Runs `ghcbox ARGS` with pipes for stdout and stderr; returns the CompletedProcess."""
    return subprocess.run([ghcbox_path(), *map(str, args)], env=clean_env(**env), capture_output=True, text=True,
                          timeout=timeout)
