"""Hostile or broken wire input is rejected or answered, and the next good request still works."""
import json
import os
import time

import jupyter_client
import zmq
from jupyter_client.session import Session
from zmq.utils.monitor import recv_monitor_message

from conftest import results, run_cell
from kernel_env import start_kernel, stop_kernel, wait_until

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


def receive(sock, timeout):
    if sock.poll(max(0, int(timeout * 1000))):
        return sock.recv_multipart()
    return None


def decoded(parts):
    """The header, parent header and content of a wire message."""
    i = parts.index(b"<IDS|MSG>")
    return json.loads(parts[i + 2]), json.loads(parts[i + 3]), json.loads(parts[i + 5])


def replies_through_probe(km, sock, frames, timeout=60):
    """Sends `frames`, then a well-formed, signed execute_request (the probe) on the same socket,
    and returns the probe's msg_id and every reply that came on `sock` up to and including the
    probe's, as (header, parent header, content). The kernel reads one peer's messages in order
    and serves its shell requests one at a time in that order, so a reply to anything in `frames`
    comes before the probe's: an empty list before the probe's reply means `frames` got none.
    Fails if the probe is not answered: the kernel must stay up and keep serving that peer."""
    sock.send_multipart(frames, copy=False)
    probe, msg = signed_frames(km, "execute_request", {"code": "1 + 1", "silent": False})
    sock.send_multipart(probe)
    probe_id = msg["header"]["msg_id"]
    replies = []
    deadline = time.monotonic() + timeout
    while not replies or replies[-1][1].get("msg_id") != probe_id:
        parts = receive(sock, deadline - time.monotonic())
        assert parts is not None, f"no reply to a well-formed request sent after the bad one; got {replies}"
        replies.append(decoded(parts))
    assert replies[-1][2]["status"] == "ok", replies[-1]
    return probe_id, replies


def published_through(kc, msg_id, timeout=30):
    """The iopub messages up to the cell `msg_id`'s `idle`. The kernel publishes on one socket,
    in the order it serves requests, so anything published for an earlier request is among them."""
    messages = []
    deadline = time.monotonic() + timeout
    while True:
        message = kc.get_iopub_msg(timeout=max(0.0, deadline - time.monotonic()))
        messages.append(message)
        if (message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "status"
                and message["content"]["execution_state"] == "idle"):
            return messages


def assert_dropped(km, kc, sock, frames, bad_id):
    """`frames` (whose header says `bad_id`) got no reply and nothing was published for it, while
    the request sent right after it on the same socket was answered."""
    probe_id, replies = replies_through_probe(km, sock, frames)
    assert [parent.get("msg_id") for _, parent, _ in replies] == [probe_id], replies
    about_bad = [m for m in published_through(kc, probe_id) if m["parent_header"].get("msg_id") == bad_id]
    assert about_bad == [], about_bad


def assert_still_works(kc):
    reply, messages = run_cell(kc, "1 + 1")
    assert reply["status"] == "ok"
    assert results(messages) == ["2"]


def test_forged_signature_is_dropped(kernel):
    km, kc = kernel
    sock = raw_dealer(km)
    frames, msg = signed_frames(km, "execute_request", {"code": 'putStrLn "pwned"', "silent": False}, key=b"wrong-key")
    assert_dropped(km, kc, sock, frames, msg["header"]["msg_id"])
    assert_still_works(kc)


def test_unsigned_message_is_dropped_when_a_key_is_set(kernel):
    km, kc = kernel
    sock = raw_dealer(km)
    frames, msg = signed_frames(km, "execute_request", {"code": "1", "silent": False})
    frames[1] = b""  # strip the signature
    assert_dropped(km, kc, sock, frames, msg["header"]["msg_id"])
    assert_still_works(kc)


def test_truncated_multipart_message_is_dropped(kernel):
    km, kc = kernel
    sock = raw_dealer(km)
    frames, msg = signed_frames(km, "kernel_info_request", {})
    assert_dropped(km, kc, sock, frames[:3], msg["header"]["msg_id"])
    assert_still_works(kc)


def test_invalid_json_with_valid_signature_gets_no_execution(kernel):
    km, kc = kernel
    sock = raw_dealer(km)
    frames, msg = signed_frames(km, "execute_request", {"code": "1"})
    frames[-1] = b"{not json"
    signature = km.session.sign(frames[2:6])
    frames[1] = signature.encode() if isinstance(signature, str) else signature
    # The header is intact and signed, so the kernel knows what was asked and answers it.
    probe_id, replies = replies_through_probe(km, sock, frames)
    bad_id = msg["header"]["msg_id"]
    assert [parent.get("msg_id") for _, parent, _ in replies] == [bad_id, probe_id], replies
    header, _, reply = replies[0]
    assert header["msg_type"] == "execute_reply"
    assert reply["status"] == "error"
    assert reply["ename"] == "MalformedMessage"
    # Answered, not run: no execute_input or output for it.
    published = [m["msg_type"] for m in published_through(kc, probe_id) if m["parent_header"].get("msg_id") == bad_id]
    assert "execute_input" not in published and "stream" not in published, published
    assert_still_works(kc)


def test_unknown_message_type_gets_an_error_reply(kernel):
    km, kc = kernel
    sock = raw_dealer(km)
    frames, msg = signed_frames(km, "frobnicate_request", {})
    probe_id, replies = replies_through_probe(km, sock, frames)
    assert [parent.get("msg_id") for _, parent, _ in replies] == [msg["header"]["msg_id"], probe_id], replies
    header, _, reply = replies[0]
    assert header["msg_type"] == "frobnicate_reply"
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


def huge_forgery(km, size):
    frames, msg = signed_frames(km, "execute_request", {"code": 'putStrLn "pwned"', "silent": False}, key=b"wrong-key")
    return frames + [b"x" * size], msg["header"]["msg_id"]


def monitored(sock):
    """A monitor on `sock` for the one event that matters here: the kernel closing the connection."""
    return sock.get_monitor_socket(zmq.EVENT_DISCONNECTED)


def zmq_events(monitor):
    """The events `monitor` holds now. libzmq queues a disconnection's event before it connects
    again, so once a reply has come over the new connection, the event is there to read."""
    events = []
    while monitor.poll(0):
        events.append(recv_monitor_message(monitor)["event"])
    return events


def test_a_100_mb_message_is_dropped_unread_and_the_kernel_stays_small(kernel):
    """Its one frame is over the 64 MB limit, so libzmq drops the sender before reading it: the
    connection is closed, the socket connects again, and the request sent after it is the first
    answered. The peak (VmHWM) is checked, not only VmRSS: memory freed after reading the message
    would hide it from VmRSS."""
    km, kc = kernel
    sock = raw_dealer(km)
    events = monitored(sock)
    frames, bad_id = huge_forgery(km, 100 * MB)
    assert_dropped(km, kc, sock, frames, bad_id)
    assert zmq_events(events) == [zmq.EVENT_DISCONNECTED]
    assert_still_works(kc)
    rss, peak = memory_mb(kernel_pid(km))
    assert rss < 200 and peak < 200, f"kernel VmRSS {rss} MB, VmHWM {peak} MB after a 100 MB message"


def test_a_forged_message_under_the_limit_is_checked_where_it_lies():
    """With the limit raised, a 100 MB forgery is read whole by libzmq (the connection stays), and
    its signature is checked in libzmq's buffer: the kernel's peak grows by the message once, not
    by copies of it."""
    km, kc = start_kernel(["--max-message-mb=256"])
    try:
        sock = raw_dealer(km)
        events = monitored(sock)
        frames, bad_id = huge_forgery(km, 100 * MB)
        assert_dropped(km, kc, sock, frames, bad_id)
        assert zmq_events(events) == []
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
    # The same signed frames again: a replay, which gets no reply of its own.
    probe_id, replies = replies_through_probe(km, sock, bump)
    assert [parent.get("msg_id") for _, parent, _ in replies] == [first["header"]["msg_id"], probe_id], replies
    reply, messages = run_cell(kc, "readIORef counter")
    assert results(messages) == ["1"]


def test_an_oversize_heartbeat_is_not_echoed(kernel):
    """A ping over the heartbeat's 1 kB limit closes its sender's connection unread. A ping queued
    behind it on the same connection may be lost with it, so the next ping goes once the
    disconnection is seen; it is the first thing echoed (the big one never is)."""
    km, kc = kernel
    heartbeat = raw_socket(km, zmq.DEALER, "hb_port")
    events = monitored(heartbeat)
    heartbeat.send_multipart([b"", b"p" * MB])
    assert events.poll(30_000), "the kernel did not close the connection that sent an oversize ping"
    assert recv_monitor_message(events)["event"] == zmq.EVENT_DISCONNECTED
    heartbeat.send_multipart([b"", b"ping"])
    assert receive(heartbeat, 30) == [b"", b"ping"]
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
        # As the warning says: an unsigned request is served.
        unsigned, msg = signed_frames(km, "kernel_info_request", {}, key=b"")
        assert unsigned[1] == b""
        probe_id, replies = replies_through_probe(km, raw_dealer(km), unsigned)
        assert [parent.get("msg_id") for _, parent, _ in replies] == [msg["header"]["msg_id"], probe_id], replies
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
        # Which reply comes first, control's or the probe's behind the flood on shell.
        control = kc.control_channel.socket
        poller = zmq.Poller()
        poller.register(control, zmq.POLLIN)
        poller.register(sock, zmq.POLLIN)
        order = []
        deadline = time.monotonic() + 120
        while len(order) < 2:
            ready = dict(poller.poll(max(0, int((deadline - time.monotonic()) * 1000))))
            assert ready, f"only {order} answered"
            for name, socket in (("control", control), ("shell", sock)):
                if ready.get(socket):
                    socket.recv_multipart()
                    poller.unregister(socket)
                    order.append(name)
        assert order == ["control", "shell"]

        def counted():
            lines = [l for l in read_log(log) if l.get("reason") == "bad signature"]
            return lines, sum(int(l["omitted"]) + (l["msg"] == "rejected message") for l in lines)
        # The last count is logged once its second is over.
        assert wait_until(lambda: counted()[1] == flood, timeout=30), counted()
        lines, total = counted()
        assert len(lines) < 20, f"{len(lines)} log lines for {flood} forgeries"
    finally:
        stop_kernel(km, kc)
