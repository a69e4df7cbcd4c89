"""Kubernetes check: ghcbox's Enterprise Gateway kernel pod, run for real with `podman kube play`.

Renders kernelspec/kubernetes/scripts/kernel-pod.yaml.j2 the way Jupyter Enterprise Gateway's
launch_kubernetes.py does (keywords from the kernel's KERNEL_* variables, then the launcher's
whole environment added to the container's env), with the response address and public key of
EG's own ResponseManager (tests/eg_receiver.py) listening on the host. With --eg-launcher
(or GHCBOX_EG_LAUNCHER) naming EG's launch_kubernetes.py, EG's script renders it instead, in
its --pod-template mode, and the check also compares that with its own rendering.

The pod runs under podman with what the manifest asks for. Podman 4.3's kube play ignores
some securityContext fields; for those the check hands podman the equivalent, in a copy of
the manifest (podman-pod.yaml) and on podman's command line:
  - seccompProfile type Localhost: podman reads only the old annotation
    container.seccomp.security.alpha.kubernetes.io/<container> = localhost/<file>, resolved
    in --seccomp-profile-root; the check adds it, with the image's own profile
    (/usr/local/share/ghcbox/sandbox/container-seccomp.json) copied into that root under the
    manifest's localhostProfile name, as an operator copies it into the kubelet's.
  - procMount Unmasked: podman has no switch for it in kube play; the check adds an
    annotation that selects an OCI precreate hook of its own (this script run with
    --unmask-proc-hook, from a private --hooks-dir), which removes every /proc path from the
    container's maskedPaths and readonlyPaths, as the CRI runtime does for Unmasked and
    `podman run --security-opt unmask=/proc/*` does.
  - runAsNonRoot: podman does not check it; the check refuses a manifest whose runAsUser is
    0 or missing, and then reads the running kernel's uid.
  - appArmorProfile: podman 4.3 ignores it; this host has no AppArmor, so nothing confines
    mounts anyway (the step says which holds).
Podman honours hostUsers: false itself (a user namespace from `--userns=auto`, which needs a
`containers` range in /etc/subuid and /etc/subgid), runAsUser/runAsGroup, capabilities,
allowPrivilegeEscalation (no_new_privs), readOnlyRootFilesystem, restartPolicy and the
memory and CPU limits (and the memory request, as a reservation); the CPU request only
schedules, so podman has nothing to do with it.

Then it waits for the launcher's report, which EG's code decrypts, connects jupyter_client
to the pod's IP on the announced ports, runs a cell, a hostile cell, interrupts a cell and
shuts the kernel down through the comm port as EG's process proxy does, and removes the pod
(also when a step failed). Prints one line per step with its time; exit status 0 when every
step passed, 1 otherwise. Files (rendered manifests, the kernel's log) go to
.build/kube-check/. Run it with the EG venv's Python (.venv-eg), whose jupyter_client is the
one EG pins, and CONTAINERS_CONF set as ci/image sets it.
"""
import argparse
import json
import os
import pathlib
import random
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid

REPO = pathlib.Path(__file__).resolve().parent.parent
TEMPLATE_DIR = REPO / "kernelspec" / "kubernetes" / "scripts"
TEMPLATE = "kernel-pod.yaml.j2"
RECEIVER = REPO / "tests" / "eg_receiver.py"
WORK = REPO / ".build" / "kube-check"
IMAGE_PROFILE = "/usr/local/share/ghcbox/sandbox/container-seccomp.json"
PROC_MOUNT_ANNOTATION = "io.ghcbox.kube-check/proc-mount"
SECCOMP_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/"
# EG insists on ranges of at least 1000 ports (EG_MIN_PORT_RANGE_SIZE).
PORT_RANGE = (40000, 40999)
# The kernelspec's env in the check: a budget, to see that GHCBOX_* reach the kernel.
MEMORY_MB = 768
# The client's resources, as KERNEL_* variables in its start request.
CLIENT_ENV = {"KERNEL_USERNAME": "alice", "KERNEL_CPUS": "250m", "KERNEL_MEMORY": "512Mi",
              "KERNEL_CPUS_LIMIT": "1", "KERNEL_MEMORY_LIMIT": "1Gi"}
# The same in what podman makes of them: memory limit and reservation in bytes, whole CPUs.
MEMORY_LIMIT, MEMORY_RESERVATION, CPUS = 1 << 30, 512 << 20, 1
# The network the pod joins: rootful podman's default bridge, which always exists (kube play's
# own default network is made on first use), so its gateway, the host as the pod sees it, is
# known before the pod starts.
NETWORK = "podman"
TIMEOUT = float(os.environ.get("KUBE_CHECK_TIMEOUT", "120"))


class StepFailed(Exception):
    pass


def unmask_proc_hook(log_path):
    """The OCI precreate hook: podman passes the container's runtime config on stdin and runs
    the one printed. Every /proc path leaves the masked and read-only lists, so the container
    gets a /proc it may mount again for the jail's pid namespace."""
    config = json.load(sys.stdin)
    linux = config.setdefault("linux", {})
    removed = []
    for key in ("maskedPaths", "readonlyPaths"):
        paths = linux.get(key) or []
        removed += [p for p in paths if p == "/proc" or p.startswith("/proc/")]
        linux[key] = [p for p in paths if not (p == "/proc" or p.startswith("/proc/"))]
    with open(log_path, "a") as log:
        log.write(json.dumps({"removed": removed, "args": config.get("process", {}).get("args")}) + "\n")
    json.dump(config, sys.stdout)


def podman(*args, timeout=120, check=True):
    done = subprocess.run(["podman", *map(str, args)], capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise StepFailed(f"podman {' '.join(map(str, args[:3]))} ... exited {done.returncode}: {done.stderr.strip()[-600:]}")
    return done.stdout


# --- Enterprise Gateway's side --------------------------------------------------------------

def start_receiver(kernel_id, gateway):
    """EG's ResponseManager listening on every address (EG_RESPONSE_ADDR_ANY), announcing the
    podman bridge's gateway, the host's address as the pod sees it."""
    env = {**os.environ, "EG_RESPONSE_IP": gateway, "EG_RESPONSE_ADDR_ANY": "true",
           "EG_RESPONSE_PORT": str(random.randint(20000, 29999))}
    receiver = subprocess.Popen([sys.executable, str(RECEIVER), kernel_id, str(TIMEOUT)], stdout=subprocess.PIPE,
                                text=True, env=env)
    line = receiver.stdout.readline()
    if not line:
        raise StepFailed(f"EG's receiver exited {receiver.wait()} before announcing its key")
    return receiver, json.loads(line)


def pod_name_for(username, kernel_id):
    """EG's rule for KERNEL_POD_NAME: user and kernel id, lower case, runs of anything else as '-'."""
    return re.sub("[^0-9a-z]+", "-", f"{username}-{kernel_id}".lower()).strip("-")


def kernel_environment(kernel_id, image, hello):
    """The environment EG gives launch_kubernetes.py for this kernel, in the order it is built:
    EG's own process environment (here, what EG's image has), the kernelspec's env, the
    client's KERNEL_* variables, what KubernetesProcessProxy adds, and what the launcher adds
    from its arguments before rendering."""
    port_range = "%d..%d" % PORT_RANGE
    pod_name = pod_name_for(CLIENT_ENV["KERNEL_USERNAME"], kernel_id)
    return {
        # EG's process: all of it reaches the kernel's container.
        "PATH": "/opt/conda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": "/home/jovyan", "LANG": "C.UTF-8", "HOSTNAME": "enterprise-gateway-7c9d5f6b8-q2x4z",
        "EG_PORT_RANGE": port_range, "EG_SHARED_NAMESPACE": "False",
        # The kernelspec's env.
        "GHCBOX_MEMORY_MB": str(MEMORY_MB),
        # The client's request.
        **CLIENT_ENV,
        # KubernetesProcessProxy and its base classes.
        "KERNEL_ID": kernel_id, "KERNEL_LANGUAGE": "haskell", "KERNEL_IMAGE": image, "KERNEL_EXECUTOR_IMAGE": image,
        "KERNEL_UID": "1000", "KERNEL_GID": "100", "KERNEL_POD_NAME": pod_name, "KERNEL_NAMESPACE": pod_name,
        "KERNEL_SERVICE_ACCOUNT_NAME": "default", "EG_MIN_PORT_RANGE_SIZE": "1000", "EG_MAX_PORT_RANGE_RETRIES": "5",
        "EG_IMPERSONATION_ENABLED": "False",
        # launch_kubernetes.py, from the kernelspec's argv and its own folder's name.
        "PORT_RANGE": port_range, "PUBLIC_KEY": hello["public_key"], "RESPONSE_ADDRESS": hello["response_address"],
        "KERNEL_SPARK_CONTEXT_INIT_MODE": "none", "KERNEL_NAME": "ghcbox_kubernetes",
    }


def render_like_eg(env):
    """The launcher's contract, written here: Jinja2 with trim_blocks and lstrip_blocks and no
    autoescaping (the template is .j2), every KERNEL_* variable as a lower-case keyword, then
    the container's env entries take the environment's values and the rest of the
    environment is appended. No yaml_safe filter, which only EG 3.3 has: the template must
    render under every EG 3."""
    import jinja2
    import yaml

    jinja = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)), trim_blocks=True, lstrip_blocks=True,
                               autoescape=False)
    keywords = {name.lower(): value for name, value in env.items() if name.startswith("KERNEL_")}
    text = jinja.get_template(TEMPLATE).render(**keywords)
    documents = [d for d in yaml.safe_load_all(text) if d]
    if [d.get("kind") for d in documents] != ["Pod"]:
        raise StepFailed(f"the template rendered {[d.get('kind') for d in documents]}, not one Pod")
    pod = documents[0]
    container = pod["spec"]["containers"][0]
    entries = container.get("env") or []
    named = set()
    for entry in entries:
        if entry.get("name") in env:
            entry["value"] = env[entry["name"]]
            named.add(entry["name"])
    entries += [{"name": name, "value": value} for name, value in env.items() if name not in named]
    container["env"] = entries
    return pod


def render_with_eg_launcher(launcher, env, work):
    """EG's own launch_kubernetes.py in --pod-template mode: it renders and writes the pod
    without creating it. It finds the template beside itself and takes KERNEL_NAME from its
    kernelspec's folder, so both go into a kernelspec-shaped folder; it loads a kubeconfig
    before anything else, so it gets one that names no reachable cluster."""
    import yaml

    scripts = work / "kernels" / "ghcbox_kubernetes" / "scripts"
    shutil.rmtree(work / "kernels", ignore_errors=True)
    scripts.mkdir(parents=True)
    shutil.copy(launcher, scripts / "launch_kubernetes.py")
    shutil.copy(TEMPLATE_DIR / TEMPLATE, scripts / TEMPLATE)
    kubeconfig = work / "kubeconfig"
    kubeconfig.write_text(json.dumps({
        "apiVersion": "v1", "kind": "Config", "current-context": "none",
        "clusters": [{"name": "none", "cluster": {"server": "https://127.0.0.1:9"}}],
        "users": [{"name": "none", "user": {}}],
        "contexts": [{"name": "none", "context": {"cluster": "none", "user": "none"}}]}))
    out = work / "eg-rendered.yaml"
    # The launcher sets these from its arguments itself; the rest comes from the environment.
    from_arguments = ("KERNEL_ID", "PORT_RANGE", "RESPONSE_ADDRESS", "PUBLIC_KEY", "KERNEL_SPARK_CONTEXT_INIT_MODE",
                      "KERNEL_NAME")
    launch_env = {k: v for k, v in env.items() if k not in from_arguments}
    launch_env["KUBECONFIG"] = str(kubeconfig)
    done = subprocess.run([sys.executable, str(scripts / "launch_kubernetes.py"), "--kernel-id", env["KERNEL_ID"],
                           "--port-range", env["PORT_RANGE"], "--response-address", env["RESPONSE_ADDRESS"],
                           "--public-key", env["PUBLIC_KEY"], "--pod-template", str(out)],
                          env=launch_env, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        raise StepFailed(f"EG's launch_kubernetes.py exited {done.returncode}: {done.stderr.strip()[-800:]}")
    pod = yaml.safe_load(out.read_text())
    # Its environment had KUBECONFIG too, as EG's would outside a cluster; the comparison
    # with the check's own rendering leaves it out.
    return pod, launch_env


def comparable(pod):
    """The pod with its container's env in name order, since the launcher appends its
    environment in the order its process got it, and every scalar as text, since EG before
    3.3 parses each KERNEL_* value as YAML (KERNEL_CPUS_LIMIT=1 renders as the number 1)."""
    def text(value):
        if isinstance(value, dict):
            return {k: text(v) for k, v in value.items()}
        if isinstance(value, list):
            return [text(v) for v in value]
        return str(value)

    pod = text(pod)
    container = pod["spec"]["containers"][0]
    container["env"] = sorted(container.get("env") or [], key=lambda e: e["name"])
    return pod


# --- What the manifest asks for, and podman's equivalents ----------------------------------

def security_of(pod):
    spec = pod["spec"]
    (container,) = spec["containers"]
    return spec, spec.get("securityContext") or {}, container, container.get("securityContext") or {}


def describe_manifest(pod):
    """Checks that the rendered pod asks for every setting the jail and its confinement rely
    on, and returns the seccomp profile's file name."""
    spec, pod_sc, container, sc = security_of(pod)
    profile = sc.get("seccompProfile") or pod_sc.get("seccompProfile") or {}
    apparmor = sc.get("appArmorProfile") or pod_sc.get("appArmorProfile") or {}
    user = sc.get("runAsUser", pod_sc.get("runAsUser"))
    group = sc.get("runAsGroup", pod_sc.get("runAsGroup"))
    wanted = {
        "hostUsers": spec.get("hostUsers") is False,
        "runAsNonRoot": (sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) is True),
        "runAsUser/Group 1000": (user, group) == (1000, 1000),
        "seccomp Localhost": profile.get("type") == "Localhost" and bool(profile.get("localhostProfile")),
        "appArmor Unconfined": apparmor.get("type") == "Unconfined",
        "drop ALL": (sc.get("capabilities") or {}).get("drop") == ["ALL"] and not (sc.get("capabilities") or {}).get("add"),
        "no privilege escalation": sc.get("allowPrivilegeEscalation") is False,
        "procMount Unmasked": sc.get("procMount") == "Unmasked",
        "read-only root": sc.get("readOnlyRootFilesystem") is True,
        "restartPolicy Never": spec.get("restartPolicy") == "Never",
        "no token": spec.get("automountServiceAccountToken") is False,
    }
    missing = [name for name, ok in wanted.items() if not ok]
    if missing:
        raise StepFailed(f"the manifest lacks: {', '.join(missing)}")
    env = {e["name"]: e.get("value") for e in container.get("env", [])}
    for name in ("KERNEL_ID", "RESPONSE_ADDRESS", "PUBLIC_KEY", "PORT_RANGE", "KERNEL_LANGUAGE", "GHCBOX_MEMORY_MB"):
        if not env.get(name):
            raise StepFailed(f"the container's env has no {name}")
    if container.get("command") != ["/usr/local/bin/ghcbox", "launch"]:
        raise StepFailed(f"the container runs {container.get('command')}, not ghcbox launch")
    return profile["localhostProfile"]


def podman_overlay(pod, profile_root, hooks_dir, hook_log):
    """A copy of the manifest for podman 4.3, with the annotations that stand for the fields
    its kube play ignores, and the global options that go with them."""
    import copy

    overlaid = copy.deepcopy(pod)
    spec, pod_sc, container, sc = security_of(overlaid)
    # runAsNonRoot: the kubelet refuses to start a container whose uid is 0 or not known
    # from the manifest or the image; podman starts it anyway, so the refusal happens here.
    if sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) and not sc.get("runAsUser", pod_sc.get("runAsUser")):
        raise StepFailed("runAsNonRoot with no non-zero runAsUser: the kubelet would refuse this pod")
    annotations = overlaid["metadata"].setdefault("annotations", {})
    profile = sc.get("seccompProfile") or pod_sc.get("seccompProfile")
    name = profile["localhostProfile"]
    if "/" in name:
        # Podman keeps only the first path component after localhost/.
        raise StepFailed(f"localhostProfile {name!r}: podman 4.3 resolves only a plain file name")
    annotations[SECCOMP_ANNOTATION + container["name"]] = "localhost/" + name
    if sc.get("procMount") == "Unmasked":
        annotations[PROC_MOUNT_ANNOTATION] = "Unmasked"
        hooks_dir.mkdir(parents=True, exist_ok=True)
        (hooks_dir / "ghcbox-unmask-proc.json").write_text(json.dumps({
            "version": "1.0.0",
            "hook": {"path": sys.executable, "args": [sys.executable, str(pathlib.Path(__file__).resolve()),
                                                      "--unmask-proc-hook", str(hook_log)]},
            "when": {"annotations": {"^" + re.escape(PROC_MOUNT_ANNOTATION) + "$": "^Unmasked$"}},
            "stages": ["precreate"]}))
    global_options = ["--hooks-dir", str(hooks_dir)]
    play_options = ["--seccomp-profile-root", str(profile_root)]
    return overlaid, global_options, play_options


# --- The running pod -----------------------------------------------------------------------

def proc_status(pid):
    fields = {}
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def check_confinement(container_name, hook_log, profile_name):
    """The kernel's process seen from the host, against what the manifest asked for."""
    info = json.loads(podman("inspect", container_name))[0]
    pid = info["State"]["Pid"]
    host = info["HostConfig"]
    status = proc_status(pid)
    problems, facts = [], []
    uid_line = status["Uid"].split()
    uid_map = pathlib.Path(f"/proc/{pid}/uid_map").read_text().split()
    # The uid inside the container: the host uid through the pod's user namespace.
    inner, outer = int(uid_map[0]), int(uid_map[1])
    container_uid = int(uid_line[1]) - outer + inner
    if (inner, outer) == (0, 0):
        problems.append(f"no user namespace (uid_map {' '.join(uid_map[:3])}): hostUsers: false not applied")
    else:
        facts.append(f"userns 0->{outer}")
    if container_uid != 1000 or info["Config"]["User"] != "1000:1000":
        problems.append(f"runs as uid {container_uid} (user {info['Config']['User']!r}), not 1000:1000")
    else:
        facts.append("uid 1000")
    for key in ("CapEff", "CapPrm", "CapBnd", "CapAmb"):
        if int(status[key], 16) != 0:
            problems.append(f"{key} {status[key]}")
    facts.append("no capabilities")
    if status.get("NoNewPrivs") != "1":
        problems.append("no_new_privs is off")
    if status.get("Seccomp") != "2":
        problems.append(f"seccomp mode {status.get('Seccomp')}, not a filter")
    # The filter runc loaded is the one in the container's OCI config: the jail's profile is
    # the one that allows these outright (podman's default allows them to CAP_SYS_ADMIN alone).
    oci = json.loads(pathlib.Path(info["OCIConfigPath"]).read_text())["linux"]
    allowed = {name for rule in (oci.get("seccomp") or {}).get("syscalls", [])
               if rule["action"] == "SCMP_ACT_ALLOW" and not rule.get("args") and not rule.get("includes")
               for name in rule["names"]}
    jail_calls = {"mount", "umount2", "pivot_root", "sethostname"}
    if not jail_calls <= allowed:
        problems.append(f"the seccomp filter does not allow {', '.join(sorted(jail_calls - allowed))}")
    else:
        facts.append(f"seccomp {profile_name}")
    masked = [p for key in ("maskedPaths", "readonlyPaths") for p in oci.get(key) or [] if p.startswith("/proc")]
    if masked:
        problems.append(f"the OCI config still masks {', '.join(masked[:4])}")
    proc_mounts = [line.split()[4] for line in pathlib.Path(f"/proc/{pid}/mountinfo").read_text().splitlines()
                   if line.split()[4].startswith("/proc/")]
    if proc_mounts:
        problems.append(f"/proc still has masks: {', '.join(proc_mounts[:4])}")
    hook_runs = [json.loads(line) for line in hook_log.read_text().splitlines()] if hook_log.exists() else []
    unmasked = [run for run in hook_runs if run["args"] and run["args"][0] == "/usr/local/bin/ghcbox"]
    if not unmasked:
        problems.append("the unmask hook did not run for the kernel's container")
    else:
        facts.append(f"/proc unmasked ({len(unmasked[-1]['removed'])} paths)")
    if not host.get("ReadonlyRootfs"):
        problems.append("the root filesystem is writable")
    else:
        facts.append("read-only root")
    memory, reservation = host.get("Memory"), host.get("MemoryReservation")
    quota, period = host.get("CpuQuota"), host.get("CpuPeriod")
    if memory != MEMORY_LIMIT or reservation != MEMORY_RESERVATION or not period or quota != CPUS * period:
        problems.append(f"resources: memory {memory}, reservation {reservation}, cpu quota {quota}/{period}")
    else:
        facts.append(f"memory {CLIENT_ENV['KERNEL_MEMORY_LIMIT']} ({CLIENT_ENV['KERNEL_MEMORY']} reserved), "
                     f"{CPUS} CPU")
    if problems:
        raise StepFailed("; ".join(problems))
    return pid, ", ".join(facts)


def pod_ip(pod_name):
    infra = json.loads(podman("pod", "inspect", pod_name))
    infra = infra[0] if isinstance(infra, list) else infra
    networks = json.loads(podman("inspect", infra["InfraContainerID"]))[0]["NetworkSettings"]["Networks"]
    addresses = [n["IPAddress"] for n in networks.values() if n.get("IPAddress")]
    if not addresses:
        raise StepFailed(f"pod {pod_name} has no IP address")
    return addresses[0]


def send_request(ip, port, request, shutdown_socket=False, timeout=10):
    """What EG's process proxy does on the comm port: connect, send the JSON, close."""
    with socket.create_connection((ip, port), timeout=timeout) as sock:
        sock.send(json.dumps(request).encode())
        if shutdown_socket:
            sock.shutdown(socket.SHUT_WR)


def run_cell(kc, code, timeout=TIMEOUT):
    messages = []
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=messages.append, allow_stdin=False)
    return reply["content"], messages


def text_of(messages):
    out = []
    for m in messages:
        c = m["content"]
        if m["header"]["msg_type"] == "stream":
            out.append(c["text"])
        elif m["header"]["msg_type"] in ("execute_result", "display_data"):
            out.append(c["data"].get("text/plain", "") + "\n")
        elif m["header"]["msg_type"] == "error":
            out.append(f"{c['ename']}: {c['evalue']}\n")
    return "".join(out)


def wait_for_execute_input(kc, msg_id, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        except Exception:
            break
        if msg["header"]["msg_type"] == "execute_input" and msg["parent_header"].get("msg_id") == msg_id:
            return
    raise StepFailed("the cell never started (no execute_input)")


HOSTILE_CELL = '''import System.Process (readProcess, readProcessWithExitCode)
import System.Environment (lookupEnv)
who <- readProcess "/usr/bin/id" [] ""
putStr ("id: " ++ who)
pid1 <- readFile "/proc/1/cmdline"
putStrLn ("pid 1: " ++ unwords (words (map (\\c -> if c == '\\0' then ' ' else c) pid1)))
hidden <- mapM lookupEnv ["PUBLIC_KEY", "RESPONSE_ADDRESS", "KERNEL_ID"]
putStrLn ("kernel env: " ++ show hidden)
(code, _, err) <- readProcessWithExitCode "/bin/bash" ["-c", "exec 3<>/dev/tcp/HOST/PORT"] ""
putStrLn ("response address from the cell: " ++ show code ++ " " ++ unwords (words err))'''


def check_hostile(kc, host, port):
    reply, messages = run_cell(kc, HOSTILE_CELL.replace("HOST", host).replace("PORT", str(port)))
    out = text_of(messages)
    lines = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    problems = []
    if reply["status"] != "ok":
        problems.append(f"the cell failed: {out.strip()[-300:]}")
    if not re.match(r"uid=1000\b.*gid=1000\b", lines.get("id", "")):
        problems.append(f"id says {lines.get('id')!r}")
    # The jail's own pid namespace: its pid 1 is the jail's init, not the pod's `ghcbox launch`.
    if "launch" in lines.get("pid 1", "launch"):
        problems.append(f"pid 1 is {lines.get('pid 1')!r}: the cell sees the pod's processes")
    if lines.get("kernel env") != "[Nothing,Nothing,Nothing]":
        problems.append(f"the cell sees the kernel's env: {lines.get('kernel env')}")
    # The kernel reaches EG there (it reported through it); the jail's network has no route.
    reached = lines.get("response address from the cell", "ExitSuccess")
    if reached.startswith("ExitSuccess") or "unreachable" not in reached:
        problems.append(f"a cell's connection to EG's response address {host}:{port}: {reached}")
    if problems:
        raise StepFailed("; ".join(problems))
    return (f"{lines['id'].split()[0]}, pid 1 {lines['pid 1'].split()[0]!r}, no kernel env, "
            f"EG from a cell: {reached.split(': ')[-1]}")


# --- The steps -----------------------------------------------------------------------------

class Check:
    def __init__(self, args):
        self.args = args
        self.image = args.image
        self.kernel_id = str(uuid.uuid4())
        self.receiver = None
        self.pod_name = None
        self.manifest = None
        self.kc = None
        self.passed = 0
        self.failed = None

    def step(self, name, action):
        started = time.monotonic()
        try:
            detail = action() or ""
        except Exception as error:  # noqa: BLE001: every failure is reported by its step
            self.failed = name
            message = str(error) if isinstance(error, StepFailed) else f"{type(error).__name__}: {error}"
            print(f"{name:<10} FAIL {time.monotonic() - started:6.2f} s  {message}", flush=True)
            return False
        self.passed += 1
        print(f"{name:<10} ok   {time.monotonic() - started:6.2f} s  {detail}", flush=True)
        return True

    def preflight(self):
        if os.geteuid() != 0:
            raise StepFailed("run it as root: it drives rootful podman (bridge network, OCI hooks) and reads the "
                             "kernel's /proc entries")
        for key, path in (("subuid", "/etc/subuid"), ("subgid", "/etc/subgid")):
            entries = pathlib.Path(path).read_text().split() if pathlib.Path(path).exists() else []
            if not any(e.startswith("containers:") for e in entries):
                raise StepFailed(f"{path} has no range for `containers`, which podman's --userns=auto (hostUsers: false) "
                                 f"takes ids from: add e.g. containers:2147483647:2147483648 to /etc/subuid and /etc/subgid")
        if not os.environ.get("CONTAINERS_CONF"):
            conf = REPO / ".build" / "image" / "containers.conf"
            if conf.exists():
                os.environ["CONTAINERS_CONF"] = str(conf)
        if subprocess.run(["podman", "image", "exists", self.image], timeout=60).returncode != 0:
            raise StepFailed(f"podman has no image {self.image} (ci/image builds one)")
        network = json.loads(podman("network", "inspect", NETWORK))[0]
        self.gateway = network["subnets"][0]["gateway"]
        version = podman("version", "--format", "{{.Client.Version}}").strip()
        return f"image {self.image}, podman {version}, network {NETWORK} (gateway {self.gateway})"

    def profile(self):
        # As an operator does: the profile comes out of the image, into the profile root.
        self.profile_root = WORK / "seccomp"
        self.profile_root.mkdir()
        text = podman("run", "--rm", "--entrypoint", "cat", self.image, IMAGE_PROFILE)
        json.loads(text)
        self.profile_text = text
        return f"{IMAGE_PROFILE} from the image ({len(text)} bytes)"

    def start_receiver(self):
        self.receiver, self.hello = start_receiver(self.kernel_id, self.gateway)
        return f"EG's ResponseManager, response address {self.hello['response_address']}"

    def render(self):
        import yaml

        env = kernel_environment(self.kernel_id, self.image, self.hello)
        own = render_like_eg(env)
        how = "rendered as EG 3's launcher does"
        if self.args.eg_launcher:
            self.manifest, launch_env = render_with_eg_launcher(self.args.eg_launcher, env, WORK)
            own = render_like_eg({**env, **{k: v for k, v in launch_env.items() if k not in env}})
            if comparable(own) != comparable(self.manifest):
                (WORK / "own-rendered.yaml").write_text(yaml.safe_dump(own))
                raise StepFailed(f"EG's launcher and the check render differently: compare {WORK}/eg-rendered.yaml "
                                 f"and own-rendered.yaml")
            how = f"rendered by EG's {self.args.eg_launcher}, same as the check's own rendering"
        else:
            self.manifest = own
        (WORK / "kernel-pod.yaml").write_text(yaml.safe_dump(self.manifest, sort_keys=False))
        self.pod_name = self.manifest["metadata"]["name"]
        return f"{how}: pod {self.pod_name}"

    def check_manifest(self):
        self.profile_name = describe_manifest(self.manifest)
        (self.profile_root / self.profile_name).write_text(self.profile_text)
        return ("hostUsers false, runAsNonRoot 1000:1000, seccomp Localhost " + self.profile_name +
                ", appArmor Unconfined, drop ALL, no escalation, procMount Unmasked, read-only root")

    def play(self):
        import yaml

        self.hook_log = WORK / "unmask-hook.log"
        overlaid, global_options, play_options = podman_overlay(self.manifest, self.profile_root, WORK / "hooks",
                                                                self.hook_log)
        path = WORK / "podman-pod.yaml"
        path.write_text(yaml.safe_dump(overlaid, sort_keys=False))
        self.played = path
        podman(*global_options, "kube", "play", "--network", NETWORK, *play_options, path, timeout=180)
        container = overlaid["spec"]["containers"][0]["name"]
        self.container = f"{self.pod_name}-{container}"
        return (f"podman kube play with {SECCOMP_ANNOTATION}{container}, {PROC_MOUNT_ANNOTATION} "
                f"(precreate hook), --seccomp-profile-root, --hooks-dir")

    def report(self):
        line = self.receiver.stdout.readline()
        if not line:
            raise StepFailed(f"EG's receiver got no connection info (exit {self.receiver.wait()})")
        self.receiver.wait(timeout=10)
        self.info = info = json.loads(line)
        ports = [info[p] for p in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port", "comm_port")]
        if info.get("kernel_id") != self.kernel_id or info.get("ip") != "0.0.0.0":
            raise StepFailed(f"report for {info.get('kernel_id')} at {info.get('ip')}")
        if len(set(ports)) != 6 or not all(PORT_RANGE[0] <= p <= PORT_RANGE[1] for p in ports):
            raise StepFailed(f"ports {ports} are not six distinct ports in {PORT_RANGE}")
        return f"decrypted by EG: ip 0.0.0.0, ports {min(ports)}..{max(ports)}, comm port {info['comm_port']}"

    def confinement(self):
        self.pid, facts = check_confinement(self.container, self.hook_log, self.profile_name)
        return facts

    def connect(self):
        from jupyter_client import BlockingKernelClient

        self.ip = pod_ip(self.pod_name)
        kc = BlockingKernelClient()
        kc.load_connection_info({**self.info, "ip": self.ip})
        kc.start_channels()
        self.kc = kc
        kc.wait_for_ready(timeout=TIMEOUT)
        kc.kernel_info()
        banner = kc.get_shell_msg(timeout=30)["content"].get("banner", "")
        sandbox = next((line for line in banner.splitlines() if line.startswith("Sandbox:")), "")
        if not sandbox or "no sandbox" in sandbox.lower():
            raise StepFailed(f"banner: {banner!r}")
        return f"jupyter_client {self.ip}; {sandbox}"

    def cell(self):
        reply, messages = run_cell(self.kc, "sum [1..100]")
        if reply["status"] != "ok" or text_of(messages).strip() != "5050":
            raise StepFailed(f"sum [1..100] gave {reply['status']}: {text_of(messages).strip()!r}")
        # GHCi's heap cap follows the session's memory budget, from GHCBOX_MEMORY_MB in the pod's env.
        reply, messages = run_cell(self.kc, "fmap ((`div` 256) . fromIntegral . GHC.RTS.Flags.maxHeapSize) "
                                            "GHC.RTS.Flags.getGCFlags :: IO Int")
        heap = text_of(messages).strip()
        if not heap.isdigit() or not MEMORY_MB // 2 <= int(heap) < MEMORY_MB:
            raise StepFailed(f"GHCi's heap cap is {heap!r} MB, not below GHCBOX_MEMORY_MB={MEMORY_MB}")
        return f"sum [1..100] = 5050; heap cap {heap} MB from GHCBOX_MEMORY_MB={MEMORY_MB}"

    def hostile(self):
        host, port = self.hello["response_address"].rsplit(":", 1)
        return check_hostile(self.kc, host, port)

    def interrupt(self):
        run_cell(self.kc, "let kept = 11")
        msg_id = self.kc.execute("Control.Concurrent.threadDelay 60000000")
        wait_for_execute_input(self.kc, msg_id)
        sent = time.monotonic()
        send_request(self.ip, self.info["comm_port"], {"signum": 2})
        reply = self.kc.get_shell_msg(timeout=30)
        took = time.monotonic() - sent
        if reply["parent_header"].get("msg_id") != msg_id or reply["content"]["status"] == "ok":
            raise StepFailed(f"the interrupted cell answered {reply['content']['status']}")
        send_request(self.ip, self.info["comm_port"], {"signum": 0})  # EG's liveness poll
        _, messages = run_cell(self.kc, "kept + 1")
        if text_of(messages).strip() != "12":
            raise StepFailed(f"after the interrupt, kept + 1 gave {text_of(messages).strip()!r}")
        return f"{{\"signum\": 2}} stopped threadDelay in {took:.2f} s ({reply['content']['status']}); state kept"

    def shutdown(self):
        self.kc.stop_channels()
        self.kc = None
        send_request(self.ip, self.info["comm_port"], {"shutdown": 1}, shutdown_socket=True)
        sent = time.monotonic()
        status = podman("wait", self.container, timeout=60).strip()
        exited = time.monotonic() - sent
        if status != "0":
            raise StepFailed(f"the kernel's container exited {status}")
        # Refused while the pod's network lives on; a time-out once podman has stopped the pod
        # with its last container (kube play's pods stop when their containers have).
        try:
            send_request(self.ip, self.info["comm_port"], {"signum": 0}, timeout=2)
        except OSError as error:
            refused = type(error).__name__
        else:
            raise StepFailed("the comm port still answers after the shutdown")
        return f"{{\"shutdown\": 1}}: the kernel's container exited 0 after {exited:.2f} s; comm port: {refused}"

    def teardown(self):
        if self.kc is not None:
            self.kc.stop_channels()
        if self.receiver is not None and self.receiver.poll() is None:
            self.receiver.kill()
            self.receiver.wait()
        if self.pod_name is None:
            return "nothing was started"
        if hasattr(self, "container"):
            logs = subprocess.run(["podman", "logs", self.container], capture_output=True, text=True, timeout=60)
            (WORK / "kernel.log").write_text(logs.stdout + logs.stderr)
        if hasattr(self, "played"):
            podman("kube", "down", self.played, timeout=120, check=False)
        podman("pod", "rm", "-f", "--ignore", self.pod_name, timeout=120, check=False)
        if subprocess.run(["podman", "pod", "exists", self.pod_name], timeout=60).returncode == 0:
            raise StepFailed(f"pod {self.pod_name} is still there")
        return f"podman kube down: pod {self.pod_name} removed; kernel log in {WORK}/kernel.log"

    def run(self):
        started = time.monotonic()
        shutil.rmtree(WORK, ignore_errors=True)
        WORK.mkdir(parents=True)
        steps = [("preflight", self.preflight), ("profile", self.profile), ("receiver", self.start_receiver),
                 ("render", self.render), ("manifest", self.check_manifest), ("play", self.play),
                 ("report", self.report), ("confined", self.confinement), ("connect", self.connect),
                 ("cell", self.cell), ("hostile", self.hostile), ("interrupt", self.interrupt),
                 ("shutdown", self.shutdown)]
        try:
            for name, action in steps:
                if not self.step(name, action):
                    break
        finally:
            self.step("teardown", self.teardown)
        took = time.monotonic() - started
        if self.failed:
            if (WORK / "kernel.log").exists():
                tail = (WORK / "kernel.log").read_text().splitlines()[-15:]
                print("kernel log (last lines):\n  " + "\n  ".join(tail))
            print(f"kube check: FAILED at {self.failed} ({self.passed} of {len(steps) + 1} steps passed, {took:.1f} s)")
            return 1
        print(f"kube check: all {self.passed} steps passed in {took:.1f} s")
        return 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--unmask-proc-hook":
        unmask_proc_hook(sys.argv[2])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--image", default=os.environ.get("GHCBOX_TEST_IMAGE", "localhost/ghcbox:ci"),
                        help="the kernel image (default: $GHCBOX_TEST_IMAGE, else localhost/ghcbox:ci)")
    parser.add_argument("--eg-launcher", default=os.environ.get("GHCBOX_EG_LAUNCHER"),
                        help="EG's launch_kubernetes.py, to render with it (default: $GHCBOX_EG_LAUNCHER)")
    return Check(parser.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())
