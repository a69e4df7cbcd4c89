"""Writes the JSON frames of real client messages, one per line, as jupyter_client's Session
builds them: the inputs of the JSON parser benchmark."""
import sys

from jupyter_client.session import Session

session = Session(key=b"bench", username="user")
requests = [
    session.msg("kernel_info_request", {}),
    session.msg("execute_request", {"code": "1 + 1", "silent": False, "store_history": True,
                                    "user_expressions": {}, "allow_stdin": True, "stop_on_error": True}),
    session.msg("execute_request", {"code": "import Data.List (sortBy)\n" + "f x = x * 2 -- λ→ unicode\n" * 200,
                                    "silent": False, "store_history": True, "user_expressions": {},
                                    "allow_stdin": True, "stop_on_error": True}),
    session.msg("complete_request", {"code": "map", "cursor_pos": 3}),
    session.msg("inspect_request", {"code": "foldr", "cursor_pos": 2, "detail_level": 0}),
    session.msg("is_complete_request", {"code": "do\n  x <- getLine"}),
    session.msg("history_request", {"output": False, "raw": True, "hist_access_type": "tail", "n": 1000}),
    session.msg("comm_msg", {"comm_id": "a" * 32, "data": {"method": "update", "state": {"value": 3.25, "items": list(range(50))}}}),
]
for message in requests:
    for part in ("header", "parent_header", "metadata", "content"):
        # The packer escapes newlines inside strings, so one frame is one line.
        sys.stdout.buffer.write(session.pack(message[part]) + b"\n")
