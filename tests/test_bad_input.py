"""Hostile or broken wire input is rejected or answered, and the next good request still works."""
import json
import time

import zmq
from jupyter_client.session import Session

from conftest import run_cell


def raw_dealer(km):
    """A DEALER socket on the kernel's shell port, outside jupyter_client's checks."""
    info = km.get_connection_info()
    sock = zmq.Context.instance().socket(zmq.DEALER)
    sock.linger = 0
    sock.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
    return sock


def signed_frames(km, msg_type, content, key=None):
    session = Session(key=key if key is not None else km.session.key, signature_scheme="hmac-sha256")
    msg = session.msg(msg_type, content)
    return session.serialize(msg), msg


def receive(sock, timeout=3.0):
    if sock.poll(int(timeout * 1000)):
        return sock.recv_multipart()
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
    answer = receive(sock, 3)
    if answer is not None:
        reply = json.loads(answer[answer.index(b"<IDS|MSG>") + 5])
        assert reply["status"] == "error"
    assert_still_works(kc)


def test_unknown_message_type_gets_an_error_reply(kernel):
    km, kc = kernel
    sock = raw_dealer(km)
    frames, msg = signed_frames(km, "frobnicate_request", {})
    sock.send_multipart(frames)
    answer = None
    deadline = time.time() + 5
    while time.time() < deadline:
        parts = receive(sock, 1)
        if parts and b"<IDS|MSG>" in parts:
            i = parts.index(b"<IDS|MSG>")
            header = json.loads(parts[i + 2])
            if header["msg_type"] == "frobnicate_reply":
                answer = json.loads(parts[i + 5])
                break
    assert answer is not None and answer["status"] == "error"
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
