"""Enterprise Gateway's own receiving side, run in the EG venv (.venv-eg) by
test_gateway_launcher.py: EG's ResponseManager makes the RSA key pair, listens on the response
address and decrypts what a launcher sends. Prints one JSON line with the public key and the
response address, then one with the connection info EG decrypted for KERNEL_ID (argv[1])."""
import asyncio
import json
import os
import sys
import time

os.environ.setdefault("EG_RESPONSE_IP", "127.0.0.1")
from enterprise_gateway.services.processproxies.processproxy import ResponseManager  # noqa: E402


async def main(kernel_id, timeout):
    manager = ResponseManager.instance()
    manager.register_event(kernel_id)
    print(json.dumps({"public_key": manager.public_key, "response_address": manager.response_address}), flush=True)
    deadline = time.monotonic() + timeout
    while True:
        try:
            info = await manager.get_connection_info(kernel_id)
            break
        except asyncio.TimeoutError:
            if time.monotonic() > deadline:
                sys.exit("no connection info arrived")
    print(json.dumps(info), flush=True)
    manager.stop_response_manager()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 60))
