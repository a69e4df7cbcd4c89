# Example JupyterHub settings for the ghcbox single-user image (jupyterhub/Dockerfile), for
# DockerSpawner and for KubeSpawner. Copy the part for your spawner into your own
# jupyterhub_config.py; as it stands this file picks one by $GHCBOX_HUB_SPAWNER ("docker", the
# default, or "kubernetes") so that it loads as a whole. The authenticator, the proxy, the hub's
# address and storage are yours to set as for any other image.
#
# Why the security options: ghcbox runs each notebook's GHCi inside a jail it builds itself in
# the container (user, pid and mount namespaces, pivot_root, a fresh /proc, its own seccomp
# filter). A default container forbids that, and every cell is then refused with the reason. The
# container needs ghcbox's seccomp profile (the engine's default plus clone into namespaces,
# mount, umount2, pivot_root and sethostname), an unmasked /proc (Linux refuses a fresh /proc in
# a user namespace while parts of the container's are masked; the jail masks the same paths in
# the /proc it gives GHCi), and where AppArmor confines containers, no AppArmor profile (Docker's
# docker-default denies every mount). The profile ships in the image; save it on the hub's host:
#
#   docker run --rm --entrypoint cat ghcbox-hub \
#       /usr/local/share/ghcbox/sandbox/container-seccomp.json > /etc/jupyterhub/ghcbox-seccomp.json
#
# Budgets: without a cgroup the container lets it write, ghcbox cannot give each session its
# own, so its CPU budget is not enforced and memory rests on GHC's heap limit (the kernel logs
# this at each session start). The spawner's mem_limit and cpu_limit bound the whole server.
import json
import os

c = get_config()  # noqa: F821 (traitlets' config loader defines it)

IMAGE = os.environ.get("GHCBOX_HUB_IMAGE", "ghcbox-hub")
# The profile saved from the image on the hub's host (for DockerSpawner; KubeSpawner's is on the nodes).
SECCOMP_PROFILE = os.environ.get("GHCBOX_SECCOMP_PROFILE", "/etc/jupyterhub/ghcbox-seccomp.json")
# What serves DockerSpawner's Docker API: "docker" (dockerd) or "podman" (podman system service).
DOCKER_API = os.environ.get("GHCBOX_DOCKER_API", "docker")

# The image's server config allows only the ghcbox kernel and no terminals; config in a user's
# home must not be able to turn those back on.
c.Spawner.disable_user_config = True
c.Spawner.default_url = "/lab"
c.Spawner.mem_limit = "4G"
c.Spawner.cpu_limit = 2


def docker_spawner(c):
    """DockerSpawner (docker-py under it). Docker's CLI does two of its --security-opt values
    itself, so through the API they look different:
      - `seccomp=FILE`: the CLI reads the file and sends `seccomp=<the profile's JSON>`;
      - `systempaths=unconfined`: the CLI sends no option but empty MaskedPaths and ReadonlyPaths
        in the HostConfig (dockerd refuses it as an option). docker-py's create_host_config has
        no parameters for those, so they go in through extra_create_kwargs' host_config, which
        DockerSpawner updates with the host config it builds."""
    c.JupyterHub.spawner_class = "dockerspawner.DockerSpawner"
    c.DockerSpawner.image = IMAGE
    # The image's CMD, jupyterhub-singleuser, is the command; DockerSpawner adds its arguments.
    c.DockerSpawner.cmd = None

    if DOCKER_API == "podman":
        # Podman's Docker-compatible API (`podman system service`; podman 4.3 checked) reads
        # the seccomp option as a path on its own host and refuses the JSON, and ignores empty
        # MaskedPaths; its own unmask option lifts the masks.
        security_opt = [f"seccomp={SECCOMP_PROFILE}", "unmask=/proc/*"]
    else:
        with open(SECCOMP_PROFILE) as file:
            profile = json.dumps(json.load(file), separators=(",", ":"))
        # DockerSpawner formats every string in extra_host_config and extra_create_kwargs with
        # str.format and the spawner's fields ({username}, ...); doubled braces come out as the
        # JSON's own.
        profile = profile.replace("{", "{{").replace("}", "}}")
        security_opt = [f"seccomp={profile}"]
    # Only where the host runs AppArmor; elsewhere it is ignored.
    security_opt.append("apparmor=unconfined")
    c.DockerSpawner.extra_host_config = {"security_opt": security_opt}
    c.DockerSpawner.extra_create_kwargs = {
        "host_config": {"MaskedPaths": [], "ReadonlyPaths": []},
    }

    # The user's files: a volume on the home folder, which the image creates owned by uid 1000,
    # so Docker fills a new volume with it and its owner (a volume on a folder the image lacks
    # would be root's, and the server could not write to it).
    c.DockerSpawner.notebook_dir = "/home/ghcbox"
    c.DockerSpawner.volumes = {"jupyterhub-user-{username}": "/home/ghcbox"}
    c.DockerSpawner.remove = True


def kube_spawner(c):
    """KubeSpawner. The container's security context goes in container_security_context, which
    KubeSpawner merges over what its uid, gid and allow_privilege_escalation settings make of it
    (and whose keys it checks are camelCase); extra_container_config={"securityContext": ...}
    would replace that context whole instead. hostUsers has no setting of its own, so it goes in
    extra_pod_config, which is merged into the pod's spec: that needs kubernetes_asyncio 25 or
    later beside KubeSpawner (24, the least KubeSpawner accepts, has no host_users and refuses
    the key)."""
    c.JupyterHub.spawner_class = "kubespawner.KubeSpawner"
    c.KubeSpawner.image = IMAGE
    # With no cmd, KubeSpawner uses the image's CMD but drops the arguments it means to pass.
    c.KubeSpawner.cmd = ["jupyterhub-singleuser"]
    # A home volume writable by the image's user.
    c.KubeSpawner.fs_gid = 1000
    c.KubeSpawner.container_security_context = {
        "runAsUser": 1000,
        "runAsGroup": 1000,
        "runAsNonRoot": True,
        "allowPrivilegeEscalation": False,
        # The jail needs no capability from outside: its user namespace gives it its own.
        "capabilities": {"drop": ["ALL"]},
        # An unmasked /proc is allowed only in a pod with its own user namespace (hostUsers false).
        "procMount": "Unmasked",
        # The profile saved from the image, placed on every node under the kubelet's seccomp
        # folder (/var/lib/kubelet/seccomp by default); the path is relative to that folder.
        "seccompProfile": {"type": "Localhost", "localhostProfile": "profiles/ghcbox-seccomp.json"},
        # On nodes that run AppArmor the runtime's default profile denies every mount:
        # "appArmorProfile": {"type": "Unconfined"},
    }
    c.KubeSpawner.extra_pod_config = {"hostUsers": False}
    c.KubeSpawner.working_dir = "/home/ghcbox"


spawner = os.environ.get("GHCBOX_HUB_SPAWNER", "docker")
if spawner == "docker":
    docker_spawner(c)
elif spawner == "kubernetes":
    kube_spawner(c)
else:
    raise ValueError(f"GHCBOX_HUB_SPAWNER is {spawner!r}; it takes docker or kubernetes")
