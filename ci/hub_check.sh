#!/usr/bin/env bash
# Builds the JupyterHub single-user image (jupyterhub/Dockerfile) on a ghcbox kernel image and
# checks it the way a spawner runs it, under podman with the security options that
# jupyterhub/jupyterhub_config.py gives the spawners (ghcbox's seccomp profile, an unmasked
# /proc, no capabilities, no privilege escalation):
#   - `jupyterhub-singleuser --version` runs through the image's ENTRYPOINT;
#   - JupyterLab in the container lists ghcbox as its only kernelspec, starts a ghcbox kernel
#     over the REST API and runs `sum [1..100]` through the kernel's websocket with the Jupyter
#     message protocol; terminals are off;
#   - `jupyterhub-singleuser`, the spawners' command, does the same behind a stand-in for the
#     Hub's API (run in the container beside it), which checks the user's token;
#   - without the security options, the same cell is refused (`sandbox-unavailable`): the
#     options are what lets ghcbox build its jail.
# One line per step with its time, then the image's size; the containers are removed on exit.
#
#   ci/hub_check.sh [BASE_IMAGE]
#
# BASE_IMAGE (default: $GHCBOX_TEST_IMAGE, else localhost/ghcbox:ci) is the kernel image built
# from the repository's Dockerfile. GHCBOX_HUB_IMAGE names the image built here (default
# localhost/ghcbox-hub:ci). The build's log is .build/logs/hub-build.log.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

base=${1:-${GHCBOX_TEST_IMAGE:-localhost/ghcbox:ci}}
image=${GHCBOX_HUB_IMAGE:-localhost/ghcbox-hub:ci}
python=${PYTHON:-$repo/.venv/bin/python}
# Podman on this project's hosts needs runc and explicit ulimits (ci/image writes this file);
# a CONTAINERS_CONF already set wins.
if [ -z "${CONTAINERS_CONF:-}" ] && [ -f "$repo/.build/image/containers.conf" ]; then
    export CONTAINERS_CONF="$repo/.build/image/containers.conf"
fi
logs=$repo/.build/logs
mkdir -p "$logs"
build_log=$logs/hub-build.log

work=$(mktemp -d "$repo/.build/hub-check.XXXXXX")
container=
cleanup() {
    local status=$?
    if [ -n "$container" ]; then
        if [ "$status" -ne 0 ]; then
            echo "-- the last lines of $container:"
            podman logs --tail 30 "$container" 2>&1 | sed 's/^/   /' || true
        fi
        podman rm -f "$container" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT

now() { date +%s.%N; }
# line STEP START DETAIL: the console line of a step that passed, with its time since START.
line() { printf '%-15s ok    %s  (%s s)\n' "$1" "$3" "$(awk -v a="$2" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"; }
fail() { printf '%-15s FAIL  %s\n' "$1" "$2"; exit 1; }
secret() { "$python" -c 'import secrets; print(secrets.token_hex(16))'; }
free_port() { "$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# serve NAME PORT PODMAN-RUN-ARGS...: starts a server container (not --rm, so its log outlives
# it for a failure's report) published on PORT of the loopback address.
serve() {
    local name=$1 port=$2
    shift 2
    container=ghcbox-hub-check-$$-$name
    podman run -d --name "$container" -p "127.0.0.1:$port:8888" "$@" >/dev/null || fail "$name" "podman run failed"
}
finish() { podman rm -f "$container" >/dev/null; container=; }

echo "ci/hub_check: $image from $base"

# build: the host's pip may reach PyPI through a TLS-intercepting proxy whose CA only the host
# trusts; the Dockerfile takes that bundle from a folder mounted on /mnt for its pip step.
t=$(now)
cert=${PIP_CERT:-$("$python" -m pip config get global.cert 2>/dev/null || true)}
cert_args=()
if [ -n "$cert" ] && [ -f "$cert" ]; then
    cert_args=(-v "$(dirname "$cert"):/mnt:ro" --build-arg "PIP_CERT=/mnt/$(basename "$cert")")
fi
if ! podman build --network host --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
        "${cert_args[@]}" --build-arg "GHCBOX_IMAGE=$base" -t "$image" jupyterhub/ >"$build_log" 2>&1; then
    tail -n 20 "$build_log"
    fail build "podman build failed; the whole log is $build_log"
fi
line build "$t" "$image"

# The seccomp profile as an operator gets it: out of the image.
t=$(now)
profile=$work/ghcbox-seccomp.json
podman run --rm --entrypoint cat "$image" /usr/local/share/ghcbox/sandbox/container-seccomp.json >"$profile" \
    || fail profile "the image has no /usr/local/share/ghcbox/sandbox/container-seccomp.json"
line profile "$t" "container-seccomp.json from the image, $(wc -c <"$profile") bytes"
# What the spawners' settings in jupyterhub_config.py amount to, in podman's words.
security=(--security-opt "seccomp=$profile" --security-opt 'unmask=/proc/*'
          --cap-drop ALL --security-opt no-new-privileges)

# What a spawner runs, through the image's ENTRYPOINT, found on PATH.
t=$(now)
version=$(podman run --rm "$image" jupyterhub-singleuser --version 2>&1) \
    || fail singleuser "jupyterhub-singleuser --version failed: $version"
line singleuser "$t" "jupyterhub-singleuser --version: $version"

# The server side of each check, in Python: waiting for the server, the REST calls and the cell
# over the websocket. It prints its own lines.
read -r -d '' client <<'PYTHON' || true
"""Arguments: MODE PORT TOKEN PREFIX STARTED. MODE is lab (the whole check against JupyterLab),
hub (jupyterhub-singleuser behind the stand-in Hub) or refused (the cell must be refused).
The websocket client is websocket-client's when the venv has it (it comes with selenium), else
tornado's (jupyter_client depends on tornado)."""
import json
import sys
import time
import urllib.error
import urllib.request
import uuid

mode, port, token, prefix, server_started = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
base = f"127.0.0.1:{port}"
headers = {"Authorization": f"token {token}"}
label = {"lab": "", "hub": "hub ", "refused": "refused "}[mode]


def line(step, started, detail):
    print(f"{label + step:<15} ok    {detail}  ({time.time() - started:.1f} s)", flush=True)


def fail(step, detail):
    print(f"{label + step:<15} FAIL  {detail}", flush=True)
    sys.exit(1)


def rest(method, path, body=None, auth=True):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"http://{base}{prefix}{path}", data=data, method=method,
                                     headers={**(headers if auth else {}), "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
        return response.status, json.loads(text) if text else None


class WebSocketClient:
    """websocket-client's synchronous socket."""

    def __init__(self, url):
        import websocket
        self.socket = websocket.create_connection(url, header=[f"{k}: {v}" for k, v in headers.items()], timeout=5)
        self.timeout_error = websocket.WebSocketTimeoutException

    def send(self, text):
        self.socket.send(text)

    def receive(self):
        try:
            return self.socket.recv()
        except self.timeout_error:
            return None

    def close(self):
        self.socket.close()


class TornadoClient:
    """tornado's websocket client on an event loop of its own; each call runs as a coroutine on
    that loop, since tornado ties its futures to the loop that is running when they are made."""

    def __init__(self, url):
        import asyncio
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect
        self.asyncio = asyncio
        self.loop = asyncio.new_event_loop()

        async def open_socket():
            return await websocket_connect(HTTPRequest(url, headers=headers))
        self.socket = self.loop.run_until_complete(open_socket())

    def send(self, text):
        async def write():
            await self.socket.write_message(text)
        self.loop.run_until_complete(write())

    def receive(self):
        async def read():
            return await self.asyncio.wait_for(self.socket.read_message(), 5)
        try:
            return self.loop.run_until_complete(read())
        except self.asyncio.TimeoutError:
            return None

    def close(self):
        self.socket.close()
        self.loop.close()


def connect(url):
    try:
        import websocket  # noqa: F401
    except ImportError:
        return "tornado", TornadoClient(url)
    return "websocket-client", WebSocketClient(url)


def run_cell(kernel_id, code):
    """Sends CODE as an execute_request on the shell channel of the kernel's websocket, in the
    JSON form of the message protocol, and waits for its reply and the kernel's idle status.
    Returns the reply's content, the result's text/plain and the error output's content."""
    client_name, ws = connect(f"ws://{base}{prefix}api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}")
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "hub-check",
                   "session": uuid.uuid4().hex, "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                   "version": "5.3"},
        "parent_header": {}, "metadata": {}, "buffers": [], "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": True,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
    }))
    reply = result = error = None
    idle = False
    deadline = time.time() + 120
    while not (reply and idle):
        if time.time() > deadline:
            fail("cell", f"no reply and idle status within 120 s (reply {reply}, result {result!r})")
        text = ws.receive()
        if text is None:
            continue
        message = json.loads(text)
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "execute_reply":
            reply = content
        elif kind == "execute_result":
            result = content["data"].get("text/plain")
        elif kind == "error":
            error = content
        elif kind == "status" and content.get("execution_state") == "idle":
            idle = True
    ws.close()
    return client_name, reply, result, error


def start_kernel():
    status, kernel = rest("POST", "api/kernels", {"name": "ghcbox"})
    if status != 201 or kernel.get("name") != "ghcbox":
        fail("kernel", f"POST api/kernels answered {status}: {kernel}")
    return kernel["id"]


def shut_down(kernel_id):
    status, _ = rest("DELETE", f"api/kernels/{kernel_id}")
    _, kernels = rest("GET", "api/kernels")
    if status != 204 or kernels:
        fail("shutdown", f"DELETE answered {status}; kernels left: {kernels}")


def check_cell(kernel_id):
    client_name, reply, result, error = run_cell(kernel_id, "sum [1..100]")
    if reply.get("status") != "ok" or result != "5050":
        detail = f"{error.get('ename')}: {error.get('evalue')}" if error else f"result {result!r}"
        fail("cell", f"expected status ok and 5050; got {reply.get('status')}, {detail}")
    return client_name, result


def check_kernelspecs():
    _, specs = rest("GET", "api/kernelspecs")
    names = sorted(specs["kernelspecs"])
    if names != ["ghcbox"] or specs["default"] != "ghcbox":
        fail("kernelspecs", f"expected only ghcbox, the default; got {names}, default {specs['default']}")
    return specs["kernelspecs"]["ghcbox"]["spec"]["display_name"]


# server: api/status answers once the server is up (for the hub mode, once the stand-in Hub has
# vouched for the token too).
deadline = server_started + 90
while True:
    try:
        rest("GET", "api/status")
        break
    except (urllib.error.URLError, ConnectionError) as error:
        if time.time() > deadline:
            fail("server", f"no answer on {base}{prefix} after 90 s ({error})")
        time.sleep(0.25)
_, about = rest("GET", "api")
line("server", server_started, f"Jupyter Server {about['version']} on {base}{prefix}")

if mode == "lab":
    started = time.time()
    display = check_kernelspecs()
    line("kernelspecs", started, f"only ghcbox ({display}), the default")

    started = time.time()
    kernel_id = start_kernel()
    line("kernel", started, f"ghcbox kernel {kernel_id} started")

    started = time.time()
    client_name, result = check_cell(kernel_id)
    line("cell", started, f"sum [1..100] = {result} over the kernel's websocket ({client_name})")

    started = time.time()
    try:
        status, _ = rest("GET", "api/terminals")
        fail("terminals", f"GET api/terminals answered {status}; terminals should be off")
    except urllib.error.HTTPError as error:
        if error.code != 404:
            fail("terminals", f"GET api/terminals answered {error.code}, not 404")
    line("terminals", started, "off (GET api/terminals: 404)")

    started = time.time()
    shut_down(kernel_id)
    line("shutdown", started, "kernel shut down through the REST API")

elif mode == "hub":
    started = time.time()
    try:
        status, _ = rest("GET", "api/kernelspecs", auth=False)
        fail("auth", f"a request without a token answered {status}")
    except urllib.error.HTTPError as error:
        if error.code != 403:
            fail("auth", f"a request without a token answered {error.code}, not 403")
    stranger = {"Authorization": f"token {uuid.uuid4().hex}"}
    try:
        request = urllib.request.Request(f"http://{base}{prefix}api/kernelspecs", headers=stranger)
        status = urllib.request.urlopen(request, timeout=30).status
        fail("auth", f"a token the Hub does not know answered {status}")
    except urllib.error.HTTPError as error:
        if error.code != 403:
            fail("auth", f"a token the Hub does not know answered {error.code}, not 403")
    check_kernelspecs()
    line("auth", started, "no token or an unknown one: 403; the user's token, checked with the Hub: only ghcbox")

    started = time.time()
    kernel_id = start_kernel()
    client_name, result = check_cell(kernel_id)
    shut_down(kernel_id)
    line("cell", started, f"kernel started, sum [1..100] = {result}, kernel shut down")

else:  # refused
    started = time.time()
    kernel_id = start_kernel()
    _, reply, result, error = run_cell(kernel_id, "sum [1..100]")
    if reply.get("status") != "error" or not error or error.get("ename") != "sandbox-unavailable":
        fail("cell", f"expected the cell refused with sandbox-unavailable; got {reply.get('status')}, "
                     f"result {result!r}, error {error and error.get('ename')}")
    shut_down(kernel_id)
    line("cell", started, "without the security options: sandbox-unavailable")
PYTHON

# JupyterLab, with the spawners' security options.
t=$(now)
port=$(free_port)
token=$(secret)
serve lab "$port" "${security[@]}" "$image" \
    jupyter lab --ip 0.0.0.0 --port 8888 --IdentityProvider.token="$token" --no-browser
"$python" -c "$client" lab "$port" "$token" / "$t"
finish

# jupyterhub-singleuser, the image's own command, as a spawner starts it: the Hub's variables
# (as DockerSpawner and KubeSpawner set them) and a stand-in for the Hub's API on the
# container's loopback, which answers the version check and vouches for one user's token.
read -r -d '' stand_in <<'PYTHON' || true
import http.server, json, os
import jupyterhub

user_token = os.environ["HUB_CHECK_USER_TOKEN"]
user = {"kind": "user", "name": "hubcheck", "admin": False, "groups": [], "session_id": None,
        "scopes": ["access:servers!user=hubcheck"]}


class StandInHub(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?")[0].rstrip("/")
        if path == "/hub/api":
            self.answer(200, {"version": jupyterhub.__version__})
        elif path == "/hub/api/user" and self.headers.get("Authorization") == f"token {user_token}":
            self.answer(200, user)
        else:
            self.answer(403, {"status": 403, "message": "not a token this hub knows"})

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-JupyterHub-Version", jupyterhub.__version__)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", 8081), StandInHub).serve_forever()
PYTHON
t=$(now)
port=$(free_port)
user_token=$(secret)
serve hub "$port" "${security[@]}" \
    -e JUPYTERHUB_API_TOKEN="$(secret)" -e JUPYTERHUB_API_URL=http://127.0.0.1:8081/hub/api \
    -e JUPYTERHUB_BASE_URL=/ -e JUPYTERHUB_SERVICE_PREFIX=/user/hubcheck/ \
    -e JUPYTERHUB_SERVICE_URL=http://0.0.0.0:8888/user/hubcheck/ -e JUPYTERHUB_USER=hubcheck \
    -e JUPYTERHUB_CLIENT_ID=jupyterhub-user-hubcheck -e JUPYTERHUB_OAUTH_CALLBACK_URL=/user/hubcheck/oauth_callback \
    -e 'JUPYTERHUB_OAUTH_ACCESS_SCOPES=["access:servers!server=hubcheck/", "access:servers!user=hubcheck"]' \
    -e JUPYTERHUB_DISABLE_USER_CONFIG=1 -e HUB_CHECK_USER_TOKEN="$user_token" -e HUB_CHECK_STAND_IN="$stand_in" \
    "$image" sh -c 'python3 -c "$HUB_CHECK_STAND_IN" & exec jupyterhub-singleuser'
"$python" -c "$client" hub "$port" "$user_token" /user/hubcheck/ "$t"
finish

# The same image without the security options: ghcbox cannot build its jail, and says so.
t=$(now)
port=$(free_port)
token=$(secret)
serve refused "$port" "$image" \
    jupyter lab --ip 0.0.0.0 --port 8888 --IdentityProvider.token="$token" --no-browser
"$python" -c "$client" refused "$port" "$token" / "$t"
finish

size=$(podman image inspect --format '{{.Size}}' "$image")
base_size=$(podman image inspect --format '{{.Size}}' "$base")
awk -v s="$size" -v b="$base_size" -v i="$image" \
    'BEGIN { printf "ci/hub_check: all steps passed; %s is %.0f MB (%.0f MB over the kernel image)\n", i, s / 1e6, (s - b) / 1e6 }'
