"""Values of Debian's Haskell libraries as rich results: Chart and JuicyPixels as PNG, diagrams as
SVG, blaze-html and lucid as HTML, aeson as JSON. A cell that imports the library gets its
instances without asking; a session that imports none prints as plain GHCi does.

The libraries are an optional group of ci/setup (libghc-chart-cairo-dev, libghc-diagrams-svg-dev,
libghc-blaze-html-dev, libghc-lucid-dev, libghc-aeson-dev, libghc-juicypixels-dev): where the
kernel cannot import one, its tests are skipped, saying so."""
import base64
import struct

import pytest

from conftest import outputs, results, run_cell

PACKAGES = {
    "Graphics.Rendering.Chart.Easy": "libghc-chart-cairo-dev",
    "Diagrams.Prelude": "libghc-diagrams-svg-dev",
    "Text.Blaze.Html5": "libghc-blaze-html-dev",
    "Lucid": "libghc-lucid-dev",
    "Data.Aeson": "libghc-aeson-dev",
    "Codec.Picture": "libghc-juicypixels-dev",
}


def import_or_skip(kc, imports):
    """Runs the cell of imports; skips the test when the kernel's GHC lacks the library."""
    reply, _ = run_cell(kc, imports)
    if reply["status"] != "ok" and "Could not find module" in reply.get("evalue", ""):
        module = next((m for m in PACKAGES if m in reply["evalue"]), imports)
        pytest.skip(f"{module} is not installed where the kernel runs ({PACKAGES.get(module, 'its libghc package')}):"
                    " ci/setup installs the display libraries")
    assert reply["status"] == "ok", reply


def only_result(messages):
    """The cell's one execute_result's data."""
    found = outputs(messages, "execute_result")
    assert len(found) == 1, messages
    return found[0]["data"]


def png_size(data):
    """Width and height of a base64 PNG, after checking its signature."""
    raw = base64.b64decode(data)
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    assert raw[12:16] == b"IHDR"
    return struct.unpack(">II", raw[16:24])


def stderr_text(messages):
    return "".join(c["text"] for c in outputs(messages, "stream") if c["name"] == "stderr")


def test_an_easy_chart_do_block_shows_as_png_with_its_text_drawn(kernel):
    _, kc = kernel
    import_or_skip(kc, "import Graphics.Rendering.Chart.Easy")
    reply, messages = run_cell(kc, "\n".join([
        "do",
        '  layout_title .= "Sines"',
        '  plot (line "sin" [[(x, sin x) | x <- [0, 0.1 .. 6.3 :: Double]]])',
    ]))
    assert reply["status"] == "ok", reply
    data = only_result(messages)
    assert png_size(data["image/png"]) == (640, 480)
    # The jail sees fontconfig's settings: without them cairo complains on stderr and falls back.
    assert "Fontconfig" not in stderr_text(messages)
    untitled, messages = run_cell(kc, 'plot (line "sin" [[(x, sin x) | x <- [0, 0.1 .. 6.3 :: Double]]])')
    assert untitled["status"] == "ok", untitled
    assert only_result(messages)["image/png"] != data["image/png"], "the title draws nothing"


def test_a_chart_layout_and_a_renderable_show_as_png(kernel):
    _, kc = kernel
    import_or_skip(kc, "import Graphics.Rendering.Chart.Easy")
    reply, _ = run_cell(kc, 'let layout = execEC (plot (points "p" [(1, 2), (3, 4 :: Double)])) :: Layout Double Double')
    assert reply["status"] == "ok", reply
    for cell in ["layout", "toRenderable layout"]:
        reply, messages = run_cell(kc, cell)
        assert reply["status"] == "ok", (cell, reply)
        assert png_size(only_result(messages)["image/png"]) == (640, 480)


def test_a_diagram_shows_as_svg(kernel):
    _, kc = kernel
    import_or_skip(kc, "import Diagrams.Prelude\nimport Diagrams.Backend.SVG")
    reply, messages = run_cell(kc, "circle 1 # fc red ||| square 2 :: Diagram B")
    assert reply["status"] == "ok", reply
    data = only_result(messages)
    assert data["image/svg+xml"].startswith("<svg")
    assert "</svg>" in data["image/svg+xml"]
    assert 'width="400' in data["image/svg+xml"]


def test_blaze_markup_shows_as_html(kernel):
    _, kc = kernel
    import_or_skip(kc, ":set -XOverloadedStrings\nimport qualified Text.Blaze.Html5 as H")
    reply, messages = run_cell(kc, 'H.p (H.b "bold <&>")')
    assert reply["status"] == "ok", reply
    assert only_result(messages)["text/html"] == "<p><b>bold &lt;&amp;&gt;</b></p>"


def test_lucid_html_shows_as_html(kernel):
    _, kc = kernel
    import_or_skip(kc, ":set -XOverloadedStrings\nimport Lucid")
    reply, messages = run_cell(kc, 'ul_ (mapM_ (li_ . toHtml . show) [1, 2 :: Int]) :: Html ()')
    assert reply["status"] == "ok", reply
    assert only_result(messages)["text/html"] == "<ul><li>1</li><li>2</li></ul>"


def test_an_aeson_value_shows_as_json(kernel):
    _, kc = kernel
    import_or_skip(kc, ":set -XOverloadedStrings\nimport Data.Aeson")
    reply, messages = run_cell(kc, 'object ["n" .= (1.5 :: Double), "xs" .= [True, False], "s" .= ("é \\"q\\"" :: String)]')
    assert reply["status"] == "ok", reply
    assert only_result(messages)["application/json"] == {"n": 1.5, "xs": [True, False], "s": 'é "q"'}
    reply, messages = run_cell(kc, "toJSON (Just [1, 2 :: Int])")
    assert only_result(messages)["application/json"] == [1, 2]


def test_juicypixels_images_show_as_png(kernel):
    _, kc = kernel
    import_or_skip(kc, "import Codec.Picture")
    cells = {
        "generateImage (\\x y -> PixelRGB8 (fromIntegral x) (fromIntegral y) 0) 8 4": (8, 4),
        "generateImage (\\x y -> PixelRGBA8 0 0 255 (fromIntegral (x * y))) 3 5": (3, 5),
        "generateImage (\\x y -> fromIntegral (x + y) :: Pixel8) 2 2": (2, 2),
        "ImageRGB8 (generateImage (\\_ _ -> PixelRGB8 1 2 3) 6 6)": (6, 6),
        # PNG has no floating-point pixels: such an image is converted first.
        "ImageRGBF (generateImage (\\_ _ -> PixelRGBF 1 0.5 0) 4 3)": (4, 3),
    }
    for cell, size in cells.items():
        reply, messages = run_cell(kc, cell)
        assert reply["status"] == "ok", (cell, reply)
        assert png_size(only_result(messages)["image/png"]) == size, cell


def test_a_session_that_imports_no_library_prints_as_plain_ghci(kernel):
    _, kc = kernel
    for cell, text in [("1 + 1", "2"), ('Just "x"', 'Just "x"'), ("mempty", "()"), ("[]", "[]")]:
        reply, messages = run_cell(kc, cell)
        assert reply["status"] == "ok", (cell, reply)
        assert outputs(messages, "execute_result")[0]["data"] == {"text/plain": text}
    reply, _ = run_cell(kc, "head []")
    assert reply["status"] == "error"
    assert "empty list" in reply["evalue"]


def test_with_every_library_imported_other_values_still_print_as_text(kernel):
    _, kc = kernel
    for module in PACKAGES:
        reply, _ = run_cell(kc, f"import {module} ()")
        if reply["status"] != "ok":
            pytest.skip(f"{module} is not installed where the kernel runs: ci/setup installs the display libraries")
    for cell, text in [("1 + 1", "2"), ("Just [True]", "Just [True]"), ("mempty", "()"), ('"s"', '"s"')]:
        reply, messages = run_cell(kc, cell)
        assert reply["status"] == "ok", (cell, reply)
        assert outputs(messages, "execute_result")[0]["data"] == {"text/plain": text}, cell
    reply, _ = run_cell(kc, "head []")
    assert (reply["status"], "empty list" in reply["evalue"]) == ("error", True)
    # A library's value still shows richly among them.
    reply, messages = run_cell(kc, "Data.Aeson.toJSON [1 :: Int]")
    assert only_result(messages)["application/json"] == [1]


def test_the_instances_come_back_with_the_library_after_the_imports_are_reset(kernel):
    _, kc = kernel
    import_or_skip(kc, "import Data.Aeson")
    for reset in [":module Prelude", ":load"]:
        run_cell(kc, reset)
        reply, messages = run_cell(kc, "import Data.Aeson (toJSON)\ntoJSON [2 :: Int]")
        assert reply["status"] == "ok", (reset, reply)
        assert only_result(messages)["application/json"] == [2], reset
    run_cell(kc, ":module Prelude")
    reply, messages = run_cell(kc, ":module + Data.Aeson\ntoJSON [3 :: Int]")
    assert reply["status"] == "ok", reply
    assert only_result(messages)["application/json"] == [3]


def test_results_text_is_unchanged_for_a_library_value_without_a_rich_display(kernel):
    _, kc = kernel
    import_or_skip(kc, "import Codec.Picture")
    reply, messages = run_cell(kc, "PixelRGB8 1 2 3")
    assert reply["status"] == "ok", reply
    assert results(messages) == ["PixelRGB8 1 2 3"]
    assert set(only_result(messages)) == {"text/plain"}
