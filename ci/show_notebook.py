"""Executes a notebook through nbclient (a real Jupyter client) and prints each cell with its outputs."""
import os
import re
import sys

import nbclient
import nbformat

path = sys.argv[1]
notebook = nbformat.read(path, as_version=4)
client = nbclient.NotebookClient(notebook, kernel_name="ghcbox", timeout=120, allow_errors=False)
client.execute()

# Colour only on a terminal, and never with NO_COLOR; a traceback's own colours go the same way.
colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
bold, dim, red, reset = ("\033[1m", "\033[2m", "\033[31m", "\033[0m") if colour else ("", "", "", "")
ansi = re.compile(r"\x1b\[[0-9;]*m")
for cell in notebook.cells:
    if cell.cell_type == "markdown":
        print(f"{dim}{cell.source}{reset}\n")
        continue
    print(f"{bold}In [{cell.execution_count}]:{reset}")
    print("    " + cell.source.replace("\n", "\n    "))
    for out in cell.outputs:
        if out.output_type == "stream":
            print(out.text, end="")
        elif out.output_type == "execute_result":
            print(f"{bold}Out[{out.execution_count}]:{reset} {out.data.get('text/plain', '')}")
        elif out.output_type == "error":
            text = "\n".join(out.traceback)
            print(text if colour else ansi.sub("", text))
    print()
print(f"Executed {sum(c.cell_type == 'code' for c in notebook.cells)} code cells of {path} with the ghcbox kernel.")
