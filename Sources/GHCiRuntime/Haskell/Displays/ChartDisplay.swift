/// `GHCbox.Display.Chart`: Chart's values (Chart and Chart-cairo) as PNG. Cairo renders
/// to a file only, so each chart goes through a temporary file in `TMPDIR` (the jail's
/// `/tmp`). The `EC` instance covers what `Graphics.Rendering.Chart.Easy` users build
/// with `do { layout_title .= ...; plot (line ...) }`, whatever layout it fills.
enum ChartDisplay {
    static let source = #"""
        -- Written by ghcbox (Sources/GHCiRuntime/Haskell/Displays/ChartDisplay.swift); compiled into its own package.
        {-# LANGUAGE FlexibleInstances, TypeSynonymInstances #-}
        {-# OPTIONS_GHC -Wno-orphans #-}
        -- | Charts as cell results: a 'Renderable', a layout, or an 'EC' do-block, drawn as PNG.
        module GHCbox.Display.Chart () where

        import Control.Exception (finally)
        import qualified Data.ByteString as B
        import Graphics.Rendering.Chart
        import Graphics.Rendering.Chart.Easy (Default)
        import Graphics.Rendering.Chart.Backend.Cairo (FileFormat (PNG), FileOptions (..), renderableToFile)
        import Graphics.Rendering.Chart.State (EC, execEC)
        import System.Directory (getTemporaryDirectory, removeFile)
        import System.IO (hClose, openBinaryTempFile)
        import GHCbox.Display

        toPNG :: Renderable a -> IO Bundle
        toPNG chart = do
          folder <- getTemporaryDirectory
          (path, handle) <- openBinaryTempFile folder "chart.png"
          hClose handle
          bytes <- (renderableToFile (FileOptions (640, 480) PNG) path chart >> B.readFile path) `finally` removeFile path
          pure (png bytes)

        instance Display (Renderable a) where
          toBundle = toPNG

        instance (Ord x, Ord y) => Display (Layout x y) where
          toBundle = toPNG . toRenderable

        instance (Ord x, Ord y1, Ord y2) => Display (LayoutLR x y1 y2) where
          toBundle = toPNG . toRenderable

        instance Ord x => Display (StackedLayouts x) where
          toBundle = toPNG . toRenderable

        instance Display PieLayout where
          toBundle = toPNG . toRenderable

        instance (Default l, ToRenderable l) => Display (EC l a) where
          toBundle = toPNG . toRenderable . execEC
        """#
}
