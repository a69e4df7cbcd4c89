"""JupyterLab check: the ghcbox kernel driven the way a user drives it, in JupyterLab in headless Chromium.

Starts `jupyter lab` on a free local port with a token and a throwaway root folder, writes a
notebook for the installed `ghcbox` kernelspec, opens it, and runs its cells with Shift+Enter:
a definition and its use, a streaming cell, a compile error, an interrupt and `getLine`
through the stdin box. Every step saves a screenshot in .build/lab-screenshots/; the logs of
the server and of the kernel go to .build/logs/lab-server.log and lab-kernel.log. A failed
step is reported by name and the next one still runs. Exit status: 0 all passed, 1 a step
failed, 77 skipped (no Chromium, its driver or Selenium: the reason is printed).
"""
import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import nbformat

REPO = pathlib.Path(__file__).resolve().parent.parent
BUILD = REPO / ".build"
SHOTS = BUILD / "lab-screenshots"
LOGS = BUILD / "logs"
SERVER_LOG = LOGS / "lab-server.log"
KERNEL_LOG = LOGS / "lab-kernel.log"
SKIP = 77

# Generous: a loaded 2-core machine can take tens of seconds to start a session or render.
DEADLINE = float(os.environ.get("LAB_CHECK_DEADLINE", "90"))

CELLS = [
    "double x = 2 * x",
    "double 21",
    "mapM_ (\\i -> print i >> Control.Concurrent.threadDelay 500000) [1 .. 6]",
    "lenght [1, 2, 3]",
    "Control.Concurrent.threadDelay 30000000",
    'name <- getLine\nputStrLn ("hi " ++ name)',
]


class StepFailed(Exception):
    pass


def skip_reason():
    for tool in ("chromium", "chromedriver"):
        if not shutil.which(tool):
            return f"`{tool}` is not installed (ci/setup installs the Debian packages chromium and chromium-driver when apt can)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed in this Python (ci/requirements.txt pins it)"
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, predicate, timeout=DEADLINE, interval=0.2):
    """Polls `predicate` until it returns a true value and returns that; raises StepFailed
    naming `what` once `timeout` seconds pass without one."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except StepFailed:
            raise
        except Exception:  # the DOM changes under us while JupyterLab renders; try again
            value = None
        if value:
            return value
        if time.monotonic() >= deadline:
            raise StepFailed(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def write_settings(settings_dir, extra=()):
    """No news or update toasts: they need the network and would cover outputs in screenshots.
    `extra` adds (plugin path, settings) pairs, e.g. ("@jupyterlab/notebook-extension/tracker", {...})."""
    plugins = [("@jupyterlab/apputils-extension/notification", {"fetchNews": "false", "checkForUpdates": False}), *extra]
    for plugin, settings in plugins:
        path = settings_dir / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))


def start_server(root, token, port, server_log=SERVER_LOG, kernel_log=KERNEL_LOG, settings=()):
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(root / ".settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(root / ".workspaces"),
        "GHCBOX_LOG_FILE": str(kernel_log),
    }
    write_settings(root / ".settings", settings)
    with open(server_log, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0",
             # CI runs as root; Jupyter refuses to serve as root unless told to.
             "--ServerApp.allow_root=True",
             # Nothing reaches the network: no update check, no extension catalogue.
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.extension_manager=readonly"],
            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api/status?token={token}"

    def answers():
        if server.poll() is not None:
            raise StepFailed(f"jupyter lab exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status == 200
        except OSError:
            return False
    wait_for("the Jupyter server to answer", answers)
    return server


def stop_server(server):
    if server.poll() is None:
        server.terminate()  # the server shuts its kernels down on SIGTERM
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()


def start_browser(profile):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    # --no-sandbox: Chromium's own sandbox cannot start as root, which CI is.
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                f"--user-data-dir={profile}", "--no-first-run", "--disable-background-networking"):
        options.add_argument(arg)
    # Chromium and its driver keep their scratch files in TMPDIR: here, the check's own folder.
    service = Service(executable_path=shutil.which("chromedriver"), env={**os.environ, "TMPDIR": str(profile.parent)})
    return webdriver.Chrome(options=options, service=service)


class Notebook:
    """The open notebook's cells, as JupyterLab renders them."""

    def __init__(self, driver, shots=SHOTS):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        self.driver, self.By, self.Keys = driver, By, Keys
        self.shots = shots
        self.screenshots = 0

    def screenshot_now(self, name):
        self.screenshots += 1
        self.driver.save_screenshot(str(self.shots / f"{self.screenshots:02d}-{name}.png"))

    def cell(self, index):
        return self.driver.find_elements(self.By.CSS_SELECTOR, ".jp-Notebook .jp-Cell")[index]

    def prompt(self, index):
        return self.cell(index).find_element(self.By.CSS_SELECTOR, ".jp-InputPrompt").text.strip()

    def output(self, index):
        areas = self.cell(index).find_elements(self.By.CSS_SELECTOR, ".jp-OutputArea-output")
        return "\n".join(area.text for area in areas)

    def run(self, index):
        """Clicks into the cell's editor and presses Shift+Enter, as a user runs a cell."""
        from selenium.webdriver.common.action_chains import ActionChains
        editor = self.cell(index).find_element(self.By.CSS_SELECTOR, ".jp-InputArea .cm-content")
        editor.click()
        ActionChains(self.driver).key_down(self.Keys.SHIFT).send_keys(self.Keys.ENTER).key_up(self.Keys.SHIFT).perform()

    def wait_running(self, index):
        wait_for(f"cell {index + 1}'s prompt to show [*]", lambda: self.prompt(index).startswith("[*]"))

    def wait_done(self, index, timeout=DEADLINE):
        wait_for(f"cell {index + 1} to finish (its prompt to show a number)",
                 lambda: self.prompt(index)[1:2].isdigit(), timeout=timeout)

    def wait_output(self, index, text, timeout=DEADLINE):
        return wait_for(f"{text!r} in cell {index + 1}'s output", lambda: text in self.output(index), timeout=timeout)

    def kernel_busy(self):
        indicator = self.driver.find_element(self.By.CSS_SELECTOR, ".jp-Notebook-ExecutionIndicator")
        return indicator.get_attribute("data-status") == "busy"


def step_open(nb):
    nb.driver.get(nb.url)
    wait_for("the notebook's cells", lambda: len(nb.driver.find_elements(nb.By.CSS_SELECTOR, ".jp-Notebook .jp-Cell")) == len(CELLS))
    wait_for("the ghcbox kernel to be idle", lambda: nb.driver.find_element(
        nb.By.CSS_SELECTOR, ".jp-Notebook-ExecutionIndicator").get_attribute("data-status") == "idle")


def step_definition(nb):
    nb.run(0)
    nb.wait_done(0)
    nb.run(1)
    nb.wait_done(1)
    nb.wait_output(1, "42")


def step_streaming(nb):
    nb.run(2)
    nb.wait_output(2, "1")
    if not nb.prompt(2).startswith("[*]") or "6" in nb.output(2):
        raise StepFailed(f"the first line appeared only once the cell had finished (prompt {nb.prompt(2)!r}, "
                         f"output {nb.output(2)!r})")
    nb.screenshot_now("streaming-first-line")
    nb.wait_done(2)
    lines = nb.output(2).split()
    if lines != [str(i) for i in range(1, 7)]:
        raise StepFailed(f"expected the lines 1 to 6, got {lines}")


def step_compile_error(nb):
    nb.run(3)
    nb.wait_done(3)
    text = nb.output(3)
    if "CompileError" not in text and "not in scope" not in text:
        raise StepFailed(f"no compile error shown; the output reads {text!r}")


def step_interrupt(nb):
    nb.run(4)
    nb.wait_running(4)
    # The kernel reports busy once the cell's code has gone to GHCi: from then on it is running.
    wait_for("the kernel to report busy", nb.kernel_busy)
    nb.screenshot_now("interrupt-running")
    button = nb.driver.find_element(nb.By.CSS_SELECTOR, "[data-command='notebook:interrupt-kernel']")
    button.click()
    # Far below the cell's 30 s: an interrupt that works ends it long before.
    nb.wait_done(4, timeout=25)
    try:
        nb.wait_output(4, "Interrupted", timeout=10)
    except StepFailed:
        raise StepFailed(f"the interrupted cell stopped but shows no 'Interrupted' notice; its output reads "
                         f"{nb.output(4)!r}") from None


def step_stdin(nb):
    nb.run(5)
    box = wait_for("the stdin box", lambda: nb.cell(5).find_element(nb.By.CSS_SELECTOR, ".jp-Stdin-input"))
    box.send_keys("ghcbox")
    nb.screenshot_now("stdin-typed")
    box.send_keys(nb.Keys.ENTER)
    nb.wait_output(5, "hi ghcbox")
    nb.wait_done(5)


STEPS = [
    ("open", "the notebook opens on the ghcbox kernel", step_open),
    ("definition", "a definition and its use: double 21 shows 42", step_definition),
    ("streaming", "a streaming cell shows its first line while it runs", step_streaming),
    ("compile-error", "a compile error shows GHC's message", step_compile_error),
    ("interrupt", "an interrupted cell stops and shows 'Interrupted'", step_interrupt),
    ("stdin", "getLine reads from the stdin box", step_stdin),
]


def run_steps(nb, steps=STEPS, essential=("open",)):
    """Runs `steps` in order, printing a line for each; returns the names of those that failed.
    A failed step does not stop the next one, except an `essential` one (opening the notebook),
    which all the rest need."""
    from selenium.common.exceptions import WebDriverException
    failures = []
    for name, claim, step in steps:
        started = time.monotonic()
        try:
            step(nb)
            verdict = "ok"
        except StepFailed as failure:
            verdict = f"FAILED: {failure}"
        except WebDriverException as failure:  # the page lacked what the step looked for
            verdict = f"FAILED: {type(failure).__name__}: {failure.msg}"
        nb.screenshot_now(name)
        print(f"  {name}: {claim}: {verdict} ({time.monotonic() - started:.1f} s)", flush=True)
        if verdict != "ok":
            failures.append(name)
            if name in essential:
                break
    return failures


def main():
    reason = skip_reason()
    if reason:
        print(f"lab check: SKIPPED: {reason}")
        return SKIP
    import jupyterlab
    chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"lab check: JupyterLab {jupyterlab.__version__}, {chromium}", flush=True)

    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)
    LOGS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lab-check-", dir=BUILD) as scratch:
        scratch = pathlib.Path(scratch)
        root = scratch / "root"
        root.mkdir()
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in CELLS])
        notebook.metadata.kernelspec = {"name": "ghcbox", "display_name": "Haskell (ghcbox)", "language": "haskell"}
        nbformat.write(notebook, root / "check.ipynb")

        token, port = os.urandom(16).hex(), free_port()
        server, driver = None, None
        try:
            server = start_server(root, token, port)
            driver = start_browser(scratch / "chromium-profile")
            nb = Notebook(driver)
            nb.url = f"http://127.0.0.1:{port}/lab/tree/check.ipynb?token={token}"
            failures = run_steps(nb)
        except StepFailed as failure:  # the server did not come up
            print(f"lab check: FAILED to start: {failure}; see {SERVER_LOG.relative_to(REPO)}")
            return 1
        finally:
            if driver is not None:
                driver.quit()
            if server is not None:
                stop_server(server)
    print(f"lab check: {len(STEPS) - len(failures)} passed, {len(failures)} failed"
          + (f" ({', '.join(failures)})" if failures else "")
          + f"; screenshots in {SHOTS.relative_to(REPO)}/, server log {SERVER_LOG.relative_to(REPO)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
