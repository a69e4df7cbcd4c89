"""The JupyterHub single-user image (jupyterhub/): ci/hub_check.sh builds it on the kernel image
in GHCBOX_TEST_IMAGE and runs a Haskell cell through JupyterLab and jupyterhub-singleuser in it,
with the spawners' security options, and the cell refused without them.

The spawner settings in jupyterhub/jupyterhub_config.py are also loaded into DockerSpawner and
KubeSpawner themselves, where those are installed (they are not in ci/requirements.txt), to
check what each would ask Docker and Kubernetes for: no daemon or cluster is contacted."""
import asyncio
import json
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
IMAGE = os.environ.get("GHCBOX_TEST_IMAGE")
PROFILE = REPO / "sandbox" / "container-seccomp.json"


@pytest.mark.skipif(not IMAGE, reason="needs the kernel image in GHCBOX_TEST_IMAGE (ci/image builds it) and podman")
def test_the_hub_image_runs_a_cell_as_a_spawner_starts_it():
    # The first build installs the venv from PyPI: about a minute and a half here.
    check = subprocess.run(["bash", str(REPO / "ci" / "hub_check.sh"), IMAGE],
                           capture_output=True, text=True, timeout=1200)
    print(check.stdout)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "all steps passed" in check.stdout


def load_config(monkeypatch, spawner):
    from traitlets.config.loader import PyFileConfigLoader
    monkeypatch.setenv("GHCBOX_HUB_SPAWNER", spawner)
    monkeypatch.setenv("GHCBOX_SECCOMP_PROFILE", str(PROFILE))
    return PyFileConfigLoader("jupyterhub_config.py", path=str(REPO / "jupyterhub")).load_config()


class User:
    """As much of JupyterHub's user as the spawners read while building a container."""

    def __init__(self):
        from jupyterhub.objects import Server
        self.name = self.escaped_name = "alice"
        self.id = 1
        self.url = "/user/alice/"
        self.server = Server(ip="127.0.0.1", port=8888, base_url="/user/alice/")
        self.settings, self.spawners, self.groups, self.orm_user = {}, {}, [], None


def test_docker_spawner_sends_the_profile_json_and_no_masked_paths(monkeypatch):
    dockerspawner = pytest.importorskip("dockerspawner", reason="needs dockerspawner (not in ci/requirements.txt)")
    import docker
    from jupyterhub.objects import Hub

    spawner = dockerspawner.DockerSpawner(config=load_config(monkeypatch, "docker"), user=User(), hub=Hub())
    spawner.api_token = "token"
    created = {}

    async def fake_docker(method, *args, **kwargs):
        if method == "inspect_image":
            return {"Config": {"Cmd": ["jupyterhub-singleuser"]}}
        created[method] = kwargs
        return {"Id": "container"}

    spawner.docker = fake_docker
    # docker-py's own host config, with the API version given so that no daemon is asked.
    monkeypatch.setattr(dockerspawner.DockerSpawner, "_client", docker.APIClient(base_url="unix:///nonexistent", version="1.43"))
    asyncio.run(spawner.create_object())
    kwargs = {k: v for k, v in created["create_container"].items() if k != "name"}
    config = spawner.client.create_container_config(**kwargs)
    host = config["HostConfig"]

    assert config["Image"] == "ghcbox-hub"
    assert config["Cmd"] == ["jupyterhub-singleuser"]
    seccomp = [option for option in host["SecurityOpt"] if option.startswith("seccomp=")]
    assert len(seccomp) == 1
    assert json.loads(seccomp[0].removeprefix("seccomp=")) == json.loads(PROFILE.read_text())
    assert "apparmor=unconfined" in host["SecurityOpt"]
    assert host["MaskedPaths"] == [] and host["ReadonlyPaths"] == []
    assert host["Binds"] == ["jupyterhub-user-alice:/home/ghcbox:rw"]


def test_kube_spawner_asks_for_a_user_namespace_and_the_jails_security_context(monkeypatch, tmp_path):
    kubespawner = pytest.importorskip("kubespawner", reason="needs jupyterhub-kubespawner (not in ci/requirements.txt)")
    from jupyterhub.objects import Hub
    from kubernetes_asyncio.client import ApiClient

    # KubeSpawner reads a kubeconfig as it starts; this one names a cluster nothing listens for.
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(json.dumps({
        "apiVersion": "v1", "kind": "Config", "current-context": "none",
        "clusters": [{"name": "none", "cluster": {"server": "https://127.0.0.1:9"}}],
        "users": [{"name": "none", "user": {"token": "unused"}}],
        "contexts": [{"name": "none", "context": {"cluster": "none", "user": "none", "namespace": "hub"}}],
    }))
    # kubernetes_asyncio reads $KUBECONFIG once, when it is imported, so the default itself is set.
    monkeypatch.setattr("kubernetes_asyncio.config.kube_config.KUBE_CONFIG_DEFAULT_LOCATION", str(kubeconfig))
    config = load_config(monkeypatch, "kubernetes")

    async def pod_manifest():
        # KubeSpawner makes its API client as it starts, and the API client its HTTP session,
        # which need a running event loop.
        spawner = kubespawner.KubeSpawner(config=config, user=User(), hub=Hub(), _mock=True)
        spawner.api_token = "token"
        async with ApiClient() as client:
            return client.sanitize_for_serialization(await spawner.get_pod_manifest())

    pod = asyncio.run(pod_manifest())
    container = pod["spec"]["containers"][0]

    assert pod["spec"]["hostUsers"] is False
    assert container["args"] == ["jupyterhub-singleuser"]
    assert container["securityContext"] == {
        "runAsUser": 1000, "runAsGroup": 1000, "runAsNonRoot": True,
        "allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]},
        "procMount": "Unmasked",
        "seccompProfile": {"type": "Localhost", "localhostProfile": "profiles/ghcbox-seccomp.json"},
    }
