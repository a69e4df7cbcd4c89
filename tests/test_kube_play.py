"""ghcbox's Kubernetes kernel pod (kernelspec/kubernetes/) for Jupyter Enterprise Gateway.

The template is rendered here as EG's launcher renders it and read for the settings the jail
needs, with a client's values that try to add YAML of their own. With GHCBOX_TEST_IMAGE set
(ci/image sets it), ci/kube_check.py runs the rendered pod for real under `podman kube play`,
from the EG venv (.venv-eg), and every one of its steps must pass: EG's own code decrypts the
launcher's report, jupyter_client runs cells on the pod's IP, the jail holds, and the comm
port interrupts and shuts the kernel down."""
import importlib.util
import json
import os
import pathlib
import subprocess

import pytest

from conftest import REPO

CHECK = REPO / "ci" / "kube_check.py"
EG_PYTHON = pathlib.Path(os.environ.get("GHCBOX_EG_PYTHON", REPO / ".venv-eg" / "bin" / "python"))
IMAGE = os.environ.get("GHCBOX_TEST_IMAGE")
STEPS = ["preflight", "profile", "receiver", "render", "manifest", "play", "report", "confined", "connect", "cell",
         "hostile", "interrupt", "shutdown", "teardown"]


def kube_check():
    spec = importlib.util.spec_from_file_location("kube_check", CHECK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rendered(**client):
    pytest.importorskip("jinja2")
    pytest.importorskip("yaml")
    check = kube_check()
    hello = {"public_key": "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC", "response_address": "10.0.0.1:8877"}
    env = {**check.kernel_environment("6f1d1a3e-0b0c-4c43-9d55-7a3c3b0e2f11", "registry.example/ghcbox:1", hello),
           **client}
    return check, check.render_like_eg(env)


def test_the_template_renders_a_pod_with_what_the_jail_needs():
    check, pod = rendered()
    assert check.describe_manifest(pod) == "ghcbox-seccomp.json"
    container = pod["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env["RESPONSE_ADDRESS"] == "10.0.0.1:8877" and env["PORT_RANGE"] == "40000..40999"
    assert env["KERNEL_ID"] == pod["metadata"]["labels"]["kernel_id"] == "6f1d1a3e-0b0c-4c43-9d55-7a3c3b0e2f11"
    assert pod["metadata"]["labels"]["component"] == "kernel"
    assert container["resources"] == {"requests": {"cpu": "250m", "memory": "512Mi"},
                                      "limits": {"cpu": "1", "memory": "1Gi"}}


def test_without_kernel_resources_the_pod_asks_for_none():
    pytest.importorskip("jinja2")
    pytest.importorskip("yaml")
    check = kube_check()
    env = check.kernel_environment("6f1d1a3e-0b0c-4c43-9d55-7a3c3b0e2f11", "ghcbox",
                                   {"public_key": "k", "response_address": "h:1"})
    for name in ("KERNEL_CPUS", "KERNEL_MEMORY", "KERNEL_CPUS_LIMIT", "KERNEL_MEMORY_LIMIT"):
        del env[name]
    assert "resources" not in check.render_like_eg(env)["spec"]["containers"][0]


def test_a_clients_values_stay_strings():
    # KERNEL_* values come from the client's request: YAML in them must stay text.
    hostile = '1Gi"\n    hostPath: {path: /}\n  x: "'
    _, pod = rendered(KERNEL_MEMORY_LIMIT=hostile, KERNEL_CPUS='{"a": 1}')
    resources = pod["spec"]["containers"][0]["resources"]
    assert resources["limits"]["memory"] == hostile
    assert resources["requests"]["cpu"] == '{"a": 1}'
    assert "volumes" not in pod["spec"]


def test_the_kernelspec_runs_egs_kubernetes_launcher_beside_the_template():
    spec = json.loads((REPO / "kernelspec" / "kubernetes" / "kernel.json").read_text())
    proxy = spec["metadata"]["process_proxy"]
    assert proxy["class_name"] == "enterprise_gateway.services.processproxies.k8s.KubernetesProcessProxy"
    assert proxy["config"]["image_name"]
    launcher = pathlib.PurePosixPath(spec["argv"][1])
    assert launcher.name == "launch_kubernetes.py" and launcher.parent.name == "scripts"
    assert (REPO / "kernelspec" / "kubernetes" / "scripts" / "kernel-pod.yaml.j2").exists()
    for placeholder in ("{kernel_id}", "{port_range}", "{response_address}", "{public_key}"):
        assert placeholder in spec["argv"]


@pytest.mark.skipif(not IMAGE, reason="needs the kernel image and podman: run ci/image, which sets GHCBOX_TEST_IMAGE")
@pytest.mark.skipif(os.geteuid() != 0, reason="ci/kube_check.py drives rootful podman (bridge network, OCI hooks)")
@pytest.mark.skipif(not EG_PYTHON.exists(), reason=f"no Enterprise Gateway venv at {EG_PYTHON}: run ci/setup")
def test_the_kernel_pod_runs_confined_under_podman_kube_play():
    done = subprocess.run([str(EG_PYTHON), str(CHECK), "--image", IMAGE], capture_output=True, text=True, timeout=900)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    lines = {line.split()[0]: line for line in done.stdout.splitlines() if line.split() and line.split()[0] in STEPS}
    assert list(lines) == STEPS, output
    assert all(line.split()[1] == "ok" for line in lines.values()), output
    assert "5050" in lines["cell"], output
    assert "uid=1000" in lines["hostile"] and "unreachable" in lines["hostile"], output
    assert "userns" in lines["confined"] and "/proc unmasked" in lines["confined"], output
    assert "exited 0" in lines["shutdown"], output
    assert done.stdout.splitlines()[-1].startswith(f"kube check: all {len(STEPS)} steps passed"), output
