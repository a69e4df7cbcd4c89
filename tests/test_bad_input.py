"""Hostile or broken wire input is rejected or answered, and the next good request still works."""
import json
import os
import time

import jupyter_client
import zmq
from jupyter_client.session import Session

from conftest import run_cell
from kernel_env import start_kernel, stop_kernel

MB = 1 << 20


def raw_socket(km, kind=zmq.DEALER, port="shell_port"):
    """A socket on one of the kernel's ports, outside jupyter_client's checks."""
    info = km.get_connection_info()
    sock = zmq.Context.instance().socket(kind)
    sock.linger = 0
    sock.connect(f"{info['transport']}://{info['ip']}:{info[port]}")
    return sock


def raw_dealer(km):
    return raw_socket(km)


def signed_frames(km, msg_type, content, key=None):
    session = Session(key=key if key is not None else km.session.key, signature_scheme="hmac-sha256")
    msg = session.msg(msg_type, content)
    return session.serialize(msg), msg


def receive(sock, timeout=3.0):
    if sock.poll(int(timeout * 1000)):
        return sock.recv_multipart()
    return None


def receive_reply(sock, msg_type, timeout):
    """The header and content of the first `msg_type` message on `sock`, or None by the deadline."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        parts = receive(sock, left)
        if parts and b"<IDS|MSG>" in parts:
            i = parts.index(b"<IDS|MSG>")
            header = json.loads(parts[i + 2])
            if header["msg_type"] == msg_type:
                return header, json.loads(parts[i + 5])
    return None


def assert_still_works(kc):
    reply, messages = run_cell(kc, "1 + 1")
    assert reply["status"] == "ok"


def test_forged_signature_is_dropped(kernel):
    km, kc = kernel
    sock = raw_dealer(km)
    frames, _ = signed_frames(km, "execute_request", {"code": 'putStrLn "pwned"', "silent": False}, key=b"wrong-key")
    sock.send_multipart(frames)
    assert receive(sock, 1.5) is None
    assert_still_works(kc)


def test_unsigned_message_is_dropped_when_a_key_is_set(kernel):
    km, kc = kernel
    sock = raw_dealer(km)
    frames, _ = signed_frames(km, "execute_request", {"code": "1", "silent": False})
    frames[1] = b""  # strip the signature
    sock.send_multipart(frames)
    assert receive(sock, 1.5) is None
    assert_still_works(kc)


def test_truncated_multipart_message_is_dropped(kernel):
    km, kc = kernel
    sock = raw_dealer(km)
    frames, _ = signed_frames(km, "kernel_info_request", {})
    sock.send_multipart(frames[:3])
    assert receive(sock, 1.5) is None
    assert_still_works(kc)


def test_invalid_json_with_valid_signature_gets_no_execution(kernel):
    km, kc = kernel
    sock = raw_dealer(km)
    frames, _ = signed_frames(km, "execute_request", {"code": "1"})
    frames[-1] = b"{not json"
    frames[1] = km.session.sign(frames[2:6]).encode() if isinstance(km.session.sign(frames[2:6]), str) else km.session.sign(frames[2:6])
    sock.send_multipart(frames)
    # The header is intact and signed, so the kernel knows what was asked and answers it.
    answer = receive_reply(sock, "execute_reply", 10)
    assert answer is not None, "a signed execute_request with broken content got no reply"
    _, reply = answer
    assert reply["status"] == "error"
    assert reply["ename"] == "MalformedMessage"
    assert_still_works(kc)


def test_unknown_message_type_gets_an_error_reply(kernel):
    km, kc = kernel
    sock = raw_dealer(km)
    frames, msg = signed_frames(km, "frobnicate_request", {})
    sock.send_multipart(frames)
    answer = receive_reply(sock, "frobnicate_reply", 10)
    assert answer is not None, "an unknown request type got no reply"
    _, reply = answer
    assert reply["status"] == "error"
    assert_still_works(kc)


def test_execute_request_without_code_is_answered(kernel):
    km, kc = kernel
    msg = kc.session.msg("execute_request", {"silent": False})
    kc.shell_channel.send(msg)
    reply = kc.get_shell_msg(timeout=10)
    assert reply["parent_header"]["msg_id"] == msg["header"]["msg_id"]
    assert reply["content"]["status"] == "error"
    assert "code" in reply["content"]["evalue"]
    assert_still_works(kc)


# Hardening before authentication: size limits, signatures checked in place, replays, log floods.

def memory_mb(pid):
    """The kernel process's resident memory now and at its peak (VmRSS, VmHWM), in MB."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            name, _, value = line.partition(":")
            fields[name] = value
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024


def kernel_pid(km):
    return km.provisioner.process.pid


def send_then_sync(km, sock, frames):
    """Sends `frames`, then a signed kernel_info_request on the same socket, and waits for its reply:
    the kernel reads one peer's messages in order, so by then it has dealt with `frames`."""
    sock.send_multipart(frames, copy=False)
    probe, msg = signed_frames(km, "kernel_info_request", {})
    sock.send_multipart(probe)
    deadline = time.time() + 60
    while time.time() < deadline:
        parts = receive(sock, 1)
        if parts and b"<IDS|MSG>" in parts:
            parent = json.loads(parts[parts.index(b"<IDS|MSG>") + 3])
            if parent.get("msg_id") == msg["header"]["msg_id"]:
                return True
    return False


def huge_forgery(km, size):
    frames, _ = signed_frames(km, "execute_request", {"code": 'putStrLn "pwned"', "silent": False}, key=b"wrong-key")
    return frames + [b"x" * size]


def test_a_100_mb_message_is_dropped_unread_and_the_kernel_stays_small(kernel):
    """Its one frame is over the 64 MB limit, so libzmq drops the sender before reading it. The peak
    (VmHWM) is checked, not only VmRSS: memory freed after reading the message would hide it from VmRSS."""
    km, kc = kernel
    sock = raw_dealer(km)
    send_then_sync(km, sock, huge_forgery(km, 100 * MB))
    assert_still_works(kc)
    rss, peak = memory_mb(kernel_pid(km))
    assert rss < 200 and peak < 200, f"kernel VmRSS {rss} MB, VmHWM {peak} MB after a 100 MB message"


def test_a_forged_message_under_the_limit_is_checked_where_it_lies():
    """With the limit raised, a 100 MB forgery is read whole by libzmq, and its signature is checked
    in libzmq's buffer: the kernel's peak grows by the message once, not by copies of it."""
    km, kc = start_kernel(["--max-message-mb=256"])
    try:
        sock = raw_dealer(km)
        assert send_then_sync(km, sock, huge_forgery(km, 100 * MB))
        assert_still_works(kc)
        rss, peak = memory_mb(kernel_pid(km))
        assert peak < 200, f"kernel VmHWM {peak} MB after a 100 MB forgery"
    finally:
        stop_kernel(km, kc)


def test_a_replayed_message_is_not_executed(kernel):
    km, kc = kernel
    reply, _ = run_cell(kc, "import Data.IORef\ncounter <- newIORef (0 :: Int)")
    assert reply["status"] == "ok"
    sock = raw_dealer(km)
    bump, first = signed_frames(km, "execute_request", {"code": "modifyIORef' counter (+ 1)", "silent": False})
    sock.send_multipart(bump)
    sock.send_multipart(bump)  # the same signed frames: a replay
    check, read = signed_frames(km, "execute_request", {"code": "readIORef counter", "silent": False})
    sock.send_multipart(check)
    replies = []
    deadline = time.time() + 60
    while time.time() < deadline and not any(r == read["header"]["msg_id"] for r in replies):
        parts = receive(sock, 1)
        if parts and b"<IDS|MSG>" in parts:
            replies.append(json.loads(parts[parts.index(b"<IDS|MSG>") + 3])["msg_id"])
    assert replies.count(first["header"]["msg_id"]) == 1, replies
    values = []
    while time.time() < deadline and not values:
        msg = kc.get_iopub_msg(timeout=10)
        if msg["parent_header"].get("msg_id") == read["header"]["msg_id"] and msg["msg_type"] == "execute_result":
            values.append(msg["content"]["data"]["text/plain"])
    assert values == ["1"]


def test_an_oversize_heartbeat_is_not_echoed(kernel):
    km, kc = kernel
    big = raw_socket(km, zmq.REQ, "hb_port")
    big.send(b"p" * MB)
    assert receive(big, 2) is None
    ping = raw_socket(km, zmq.REQ, "hb_port")
    ping.send(b"ping")
    assert receive(ping, 10) == [b"ping"]
    assert_still_works(kc)


def read_log(path):
    return [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]


def test_an_empty_key_is_warned_about(tmp_path):
    log = tmp_path / "ghcbox.log"
    km = jupyter_client.KernelManager(kernel_name="ghcbox")
    km.session.key = b""
    km.start_kernel(env={**os.environ, "GHCBOX_LOG_FILE": str(log)})
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        warnings = [l for l in read_log(log) if l["level"] == "warning" and "key is empty" in l["msg"]]
        assert warnings and "unsigned messages are accepted" in warnings[0]["msg"]
    finally:
        stop_kernel(km, kc)


def test_a_flood_of_forgeries_costs_a_few_log_lines_and_control_still_answers(tmp_path):
    """Forgeries on shell are logged at most once a second, each line counting those left out,
    and the control channel is read between batches of shell messages, not after all of them."""
    log = tmp_path / "ghcbox.log"
    km, kc = start_kernel(GHCBOX_LOG_FILE=log)
    try:
        flood = 20000
        sock = raw_dealer(km)
        sock.sndhwm = 0
        forged, _ = signed_frames(km, "execute_request", {"code": "1", "silent": False}, key=b"wrong-key")
        for _ in range(flood):
            sock.send_multipart(forged)
        kc.control_channel.send(kc.session.msg("kernel_info_request", {}))
        probe, probe_msg = signed_frames(km, "kernel_info_request", {})
        sock.send_multipart(probe)  # behind the flood on the same connection
        raw_poller = zmq.Poller()
        raw_poller.register(sock, zmq.POLLIN)
        order = []
        deadline = time.time() + 120
        while len(order) < 2 and time.time() < deadline:
            if "control" not in order:
                try:
                    kc.get_control_msg(timeout=0.01)
                    order.append("control")
                except Exception:
                    pass
            if "shell" not in order and dict(raw_poller.poll(10)).get(sock):
                sock.recv_multipart()
                order.append("shell")
        assert order == ["control", "shell"]

        def counted():
            lines = [l for l in read_log(log) if l.get("reason") == "bad signature"]
            return lines, sum(int(l["omitted"]) + (l["msg"] == "rejected message") for l in lines)
        lines, total = counted()
        while total < flood and time.time() < deadline:
            time.sleep(0.2)
            lines, total = counted()
        assert total == flood
        assert len(lines) < 20, f"{len(lines)} log lines for {flood} forgeries"
    finally:
        stop_kernel(km, kc)
