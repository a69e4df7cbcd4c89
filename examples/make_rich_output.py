"""Writes examples/rich-output.ipynb, the tour of rich output and widgets, with empty outputs.

The notebook is generated so its cells stay readable in review and its file stays free of
outputs and run-specific ids: edit the cells here and run `.venv/bin/python examples/make_rich_output.py`.
"""
import pathlib

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = pathlib.Path(__file__).resolve().parent

CELLS = [
    new_markdown_cell("""\
# Rich output and widgets

A cell shows more than text when its value has a `Display` instance, or when it calls
`display`. `GHCbox.Display` makes MIME bundles (HTML, SVG, PNG, Markdown, LaTeX, JSON,
Vega-Lite); `GHCbox.Widgets` makes interactive controls. Chart, diagrams and the other
libraries installed with the kernel show their values as images when a cell imports them."""),

    new_markdown_cell("## An HTML table from Haskell data"),
    new_code_cell("""\
import GHCbox.Display

data Planet = Planet { planetName :: String, moons :: Int, radiusKm :: Double }

planets :: [Planet]
planets =
  [ Planet "Mercury" 0 2440, Planet "Venus" 0 6052, Planet "Earth" 1 6371
  , Planet "Mars" 2 3390, Planet "Jupiter" 95 69911 ]

escape :: String -> String
escape = concatMap (\\c -> case c of '<' -> "&lt;"; '>' -> "&gt;"; '&' -> "&amp;"; _ -> [c])

table :: [String] -> [[String]] -> Bundle
table header rows = html ("<table>" ++ row "th" header ++ concatMap (row "td") rows ++ "</table>")
  where row tag cells = "<tr>" ++ concat ["<" ++ tag ++ ">" ++ escape c ++ "</" ++ tag ++ ">" | c <- cells] ++ "</tr>"

table ["Planet", "Moons", "Radius (km)"] [[planetName p, show (moons p), show (radiusKm p)] | p <- planets]"""),

    new_markdown_cell("## Markdown and LaTeX\nText made in Haskell, rendered by the notebook."),
    new_code_cell("""\
display (markdown ("The largest planet is **" ++ planetName (last planets) ++ "**, with "
                   ++ show (moons (last planets)) ++ " known moons."))
latex ("$$\\\\sum_{k=1}^{100} k^2 = " ++ show (sum [k * k | k <- [1 .. 100 :: Integer]]) ++ "$$")"""),

    new_markdown_cell("""\
## A diagram
A `Diagram B` from diagrams with its SVG backend shows as an SVG image."""),
    new_code_cell("""\
import Diagrams.Prelude
import Diagrams.Backend.SVG

sierpinski :: Int -> Diagram B
sierpinski 1 = triangle 1 # fc teal # lw none
sierpinski n = s === (s ||| s) # centerX
  where s = sierpinski (n - 1)

sierpinski 6 # frame 0.1"""),

    new_markdown_cell("""\
## A chart
A `Renderable` from Chart, drawn by its cairo backend, shows as a PNG image.
(`Graphics.Rendering.Chart.Easy` re-exports lens, whose `#` clashes with the one from
diagrams: a notebook that draws diagrams after importing Chart.Easy imports it
`hiding ((#))`.)"""),
    new_code_cell("""\
import Graphics.Rendering.Chart.Easy
import Graphics.Rendering.Chart.Backend.Cairo

signal :: [Double] -> [(Double, Double)]
signal xs = [(x, (sin (x * pi / 45) + 1) / 2 * sin (x * pi / 5)) | x <- xs]

toRenderable $ do
  layout_title .= "Amplitude modulation"
  setColors [opaque blue, opaque red]
  plot (line "signal" [signal [0, 0.5 .. 400]])
  plot (points "samples" (signal [0, 7 .. 400]))"""),

    new_markdown_cell("""\
## A Vega-Lite chart
A Vega-Lite specification, built with `GHCbox.JSON`, which JupyterLab draws itself."""),
    new_code_cell("""\
vegaLite $ object
  [ ("$schema", string "https://vega.github.io/schema/vega-lite/v5.json")
  , ("data", object [("values", JArray [object [("planet", string (planetName p)), ("radius", number (radiusKm p))] | p <- planets])])
  , ("mark", string "bar")
  , ("encoding", object
      [ ("x", object [("field", string "planet"), ("type", string "nominal"), ("sort", JNull)])
      , ("y", object [("field", string "radius"), ("type", string "quantitative"), ("title", string "radius (km)")]) ])
  ]"""),

    new_markdown_cell("""\
## A display that updates
A display id names an output; `updateDisplay` replaces it while the cell runs, or from a later cell."""),
    new_code_cell("""\
import Control.Concurrent (threadDelay)
import Control.Monad (forM_)

progressBar :: Int -> Int -> Bundle
progressBar done total = html ("<progress value='" ++ show done ++ "' max='" ++ show total ++ "'></progress> "
                               ++ show done ++ " of " ++ show total)

progress <- newDisplayId
displayWithId progress (progressBar 0 5)
forM_ [1 .. 5] $ \\i -> do
  threadDelay 200000
  updateDisplay progress (progressBar i 5)"""),

    new_markdown_cell("""\
## Widgets
A slider, and an output area that a callback fills each time the slider moves."""),
    new_code_cell("""\
import GHCbox.Widgets

n <- intSlider "n" (0, 20) 4
squares <- outputWidget

showSquare :: Int -> IO ()
showSquare k = clearOutputWidget squares >> appendText squares (show k ++ " squared is " ++ show (k * k) ++ "\\n")

showSquare 4
onSliderChange n showSquare
display n
display squares"""),

    new_markdown_cell("A button counts its clicks in its own label; the cell's value is the widget."),
    new_code_cell("""\
import Data.IORef

clicks <- newIORef (0 :: Int)
counter <- button "Click me"
onClick counter $ do
  modifyIORef' clicks (+ 1)
  c <- readIORef clicks
  setDescription counter ("Clicked " ++ show c ++ (if c == 1 then " time" else " times"))
counter"""),
]


def notebook():
    nb = new_notebook(cells=CELLS)
    nb.metadata.kernelspec = {"name": "ghcbox", "display_name": "Haskell (ghcbox)", "language": "haskell"}
    nb.metadata.language_info = {"name": "haskell", "file_extension": ".hs", "mimetype": "text/x-haskell"}
    # Stable cell ids keep the file the same from one run of this script to the next.
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index:02d}"
    nbformat.validate(nb)
    return nb


def main():
    nbformat.write(notebook(), HERE / "rich-output.ipynb")


if __name__ == "__main__":
    main()
