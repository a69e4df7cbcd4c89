"""Rich output check: examples/rich-output.ipynb as a user sees it, in JupyterLab in headless Chromium.

Starts `jupyter lab` as ci/lab_check.py does (a free local port, a token, a throwaway root
folder), with the widgets' frontend (jupyterlab_widgets) installed, opens a copy of the rich
output tour, runs all its cells from the Run menu, and checks what each shows: the HTML table,
Markdown and LaTeX, the diagram (SVG), the chart (a PNG <img>), the Vega-Lite chart, the
display that updates, and the widgets: it moves the slider with the keyboard and checks that
the output widget follows, and clicks the button. Screenshots go to .build/rich-screenshots/,
the logs of the server and the kernel to .build/logs/rich-server.log and rich-kernel.log.
Exit status: 0 all passed, 1 a step failed, 77 skipped (no Chromium, its driver, Selenium or
jupyterlab_widgets: the reason is printed).
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import lab_check  # noqa: E402
from lab_check import DEADLINE, StepFailed, wait_for  # noqa: E402

REPO = lab_check.REPO
BUILD = REPO / ".build"
SHOTS = BUILD / "rich-screenshots"
LOGS = BUILD / "logs"
SERVER_LOG = LOGS / "rich-server.log"
KERNEL_LOG = LOGS / "rich-kernel.log"
NOTEBOOK = REPO / "examples" / "rich-output.ipynb"
SKIP = lab_check.SKIP

# Every cell stays in the page, so each one's output can be found and scrolled to.
SETTINGS = [("@jupyterlab/notebook-extension/tracker", {"windowingMode": "none"})]


def skip_reason():
    reason = lab_check.skip_reason()
    if reason:
        return reason
    try:
        import jupyterlab_widgets  # noqa: F401
    except ImportError:
        return "jupyterlab_widgets is not installed in this Python (ci/requirements.txt pins it)"
    return None


class RichNotebook(lab_check.Notebook):
    """The open tour: its code cells by what their source contains."""

    def code_cell(self, text):
        for cell in self.driver.find_elements(self.By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell"):
            if text in cell.find_element(self.By.CSS_SELECTOR, ".jp-InputArea").text:
                return cell
        raise StepFailed(f"no cell contains {text!r}")

    def in_output(self, text, selector):
        """The elements matching `selector` in the output of the cell whose source contains `text`."""
        return self.code_cell(text).find_elements(self.By.CSS_SELECTOR, f".jp-OutputArea {selector}")

    def output_text(self, text):
        return "\n".join(area.text for area in self.in_output(text, ".jp-OutputArea-output"))

    def show(self, element):
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)

    def errors(self, text):
        return [e.text for e in self.in_output(text, "[data-mime-type='application/vnd.jupyter.stderr']")]

    def expect(self, text, what, selector, check=lambda found: True):
        """Waits for `selector` in the cell's output; if the cell failed instead, says how."""
        def found():
            elements = self.in_output(text, selector)
            if elements and check(elements):
                return elements
            if self.errors(text):
                raise StepFailed(f"the cell shows an error instead of {what}: {self.errors(text)[0][-400:]!r}")
            return None
        elements = wait_for(f"{what} in the output of the cell with {text!r}", found)
        self.show(elements[0])
        return elements


def step_open(nb):
    nb.driver.get(nb.url)
    wait_for("the notebook's cells", lambda: len(nb.driver.find_elements(nb.By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell")) >= 8)
    wait_for("the ghcbox kernel to be idle", lambda: nb.driver.find_element(
        nb.By.CSS_SELECTOR, ".jp-Notebook-ExecutionIndicator").get_attribute("data-status") == "idle")


def step_run_all(nb):
    """Run > Run All Cells, as a user does, then waits for every cell's prompt to show a number."""
    menu = wait_for("the Run menu", lambda: [m for m in nb.driver.find_elements(nb.By.CSS_SELECTOR, ".lm-MenuBar-item")
                                             if m.text.strip() == "Run"])
    menu[0].click()
    wait_for("Run All Cells in the menu", lambda: [i for i in nb.driver.find_elements(nb.By.CSS_SELECTOR, ".lm-Menu-itemLabel")
                                                   if i.text.strip() == "Run All Cells"])[0].click()

    def all_done():
        prompts = [c.find_element(nb.By.CSS_SELECTOR, ".jp-InputPrompt").text.strip()
                   for c in nb.driver.find_elements(nb.By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell")]
        return prompts and all(p[1:2].isdigit() for p in prompts)
    wait_for("every cell to finish (its prompt to show a number)", all_done, timeout=3 * DEADLINE)


def step_table(nb):
    [table] = nb.expect("table [", "an HTML table", "table")
    rows = table.find_elements(nb.By.CSS_SELECTOR, "tr")
    if len(rows) != 6 or "Jupiter" not in rows[-1].text:
        raise StepFailed(f"expected a header and five planets, got {[r.text for r in rows]}")


def step_markdown_latex(nb):
    nb.expect("markdown (", "rendered Markdown", ".jp-RenderedMarkdown strong", lambda e: e[0].text == "Jupiter")
    nb.expect("markdown (", "LaTeX typeset by MathJax", ".jp-RenderedLatex mjx-container")


def step_diagram(nb):
    nb.expect("sierpinski 6", "an SVG image", ".jp-RenderedSVG img, .jp-RenderedSVG svg")
    nb.screenshot_now("diagram")


def step_chart(nb):
    def drawn(images):
        return nb.driver.execute_script("return arguments[0].complete && arguments[0].naturalWidth", images[0]) > 0
    nb.expect("toRenderable", "a PNG <img> that has loaded", ".jp-RenderedImage img[src^='data:image/png']", drawn)
    nb.screenshot_now("chart")


def step_vega_lite(nb):
    nb.expect("vegaLite", "a Vega-Lite chart drawn by vega-embed", ".vega-embed canvas, .vega-embed svg")
    nb.screenshot_now("vega-lite")


def step_updating_display(nb):
    nb.expect("newDisplayId", "the display's last update", "progress",
              lambda e: e[0].get_attribute("value") == "5" and "5 of 5" in nb.output_text("newDisplayId"))


def slider_parts(nb):
    cell = "intSlider"
    nb.expect(cell, "the slider widget", ".widget-slider .noUi-handle")
    return (nb.in_output(cell, ".widget-slider .noUi-handle")[0], nb.in_output(cell, ".widget-slider .widget-readout")[0],
            nb.in_output(cell, ".widget-output"))


def step_slider(nb):
    handle, readout, areas = slider_parts(nb)
    if readout.text.strip() != "4" or not areas:
        raise StepFailed(f"expected the slider at 4 and an output widget, got readout {readout.text!r}, {len(areas)} output widgets")
    wait_for("the output widget to show 4 squared", lambda: "4 squared is 16" in areas[0].text)
    nb.screenshot_now("slider-at-4")
    # The slider's handle takes the keyboard, as for a user who tabs to it.
    handle.click()
    handle.send_keys(nb.Keys.ARROW_RIGHT, nb.Keys.ARROW_RIGHT, nb.Keys.ARROW_RIGHT)
    wait_for("the slider's readout to show 7", lambda: readout.text.strip() == "7")
    try:
        wait_for("the output widget to show 7 squared", lambda: "7 squared is 49" in areas[0].text, timeout=30)
    except StepFailed:
        raise StepFailed(f"the slider moved to 7 but the output widget reads {areas[0].text!r}") from None
    nb.screenshot_now("slider-moved-to-7")


def step_button(nb):
    [button] = nb.expect("button \"", "the button widget", "button.jupyter-button")
    for clicks, label in ((1, "Clicked 1 time"), (2, "Clicked 2 times")):
        button.click()
        wait_for(f"the button to read {label!r} after {clicks} click(s)", lambda: button.text.strip() == label, timeout=30)
    nb.screenshot_now("button-clicked")


STEPS = [
    ("open", "the tour opens on the ghcbox kernel", step_open),
    ("run-all", "Run All Cells runs every cell", step_run_all),
    ("table", "an HTML table of planets", step_table),
    ("markdown-latex", "Markdown and LaTeX render", step_markdown_latex),
    ("diagram", "a diagrams-svg diagram shows as SVG", step_diagram),
    ("chart", "a Chart chart shows as a PNG image", step_chart),
    ("vega-lite", "a Vega-Lite chart is drawn", step_vega_lite),
    ("display-update", "an updated display shows its last content", step_updating_display),
    ("slider", "moving the slider updates the output widget", step_slider),
    ("button", "clicking the button changes its label", step_button),
]


def main():
    reason = skip_reason()
    if reason:
        print(f"rich check: SKIPPED: {reason}")
        return SKIP
    import jupyterlab
    import jupyterlab_widgets
    chromium = subprocess.run(["chromium", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"rich check: JupyterLab {jupyterlab.__version__}, jupyterlab_widgets {jupyterlab_widgets.__version__}, {chromium}",
          flush=True)

    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)
    LOGS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rich-check-", dir=BUILD) as scratch:
        scratch = pathlib.Path(scratch)
        root = scratch / "root"
        root.mkdir()
        shutil.copy(NOTEBOOK, root / NOTEBOOK.name)

        token, port = os.urandom(16).hex(), lab_check.free_port()
        server, driver = None, None
        try:
            server = lab_check.start_server(root, token, port, server_log=SERVER_LOG, kernel_log=KERNEL_LOG, settings=SETTINGS)
            driver = lab_check.start_browser(scratch / "chromium-profile")
            nb = RichNotebook(driver, shots=SHOTS)
            nb.url = f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK.name}?token={token}"
            failures = lab_check.run_steps(nb, STEPS, essential=("open", "run-all"))
        except StepFailed as failure:  # the server did not come up
            print(f"rich check: FAILED to start: {failure}; see {SERVER_LOG.relative_to(REPO)}")
            return 1
        finally:
            if driver is not None:
                driver.quit()
            if server is not None:
                lab_check.stop_server(server)
    print(f"rich check: {len(STEPS) - len(failures)} passed, {len(failures)} failed"
          + (f" ({', '.join(failures)})" if failures else "")
          + f"; screenshots in {SHOTS.relative_to(REPO)}/, server log {SERVER_LOG.relative_to(REPO)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
