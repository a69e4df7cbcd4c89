"""Prints the start-to-first-result figures tests/test_image.py wrote, for ci/image's summary."""
import json
import sys

figures = json.load(open(sys.argv[1]))["start_to_first_result_seconds"]
print(f"container {figures['ghcbox-podman']:.2f} s, host binary {figures['ghcbox']:.2f} s")
