/// `GHCbox.Display.Diagrams`: diagrams as SVG through diagrams-svg. The instance fixes an
/// undecided backend to SVG, so a diagram shows without a `:: Diagram B` on it when its
/// other types are known. Each drawing's ids get a fresh prefix: a notebook page holds
/// many SVGs, and clip paths or gradients with equal ids would cross between them.
enum DiagramsDisplay {
    static let source = #"""
        -- Written by ghcbox (Sources/GHCiRuntime/Haskell/Displays/DiagramsDisplay.swift); compiled into its own package.
        {-# LANGUAGE FlexibleInstances, TypeFamilies #-}
        {-# OPTIONS_GHC -Wno-orphans #-}
        -- | Two-dimensional diagrams as cell results, drawn as SVG 400 pixels wide.
        module GHCbox.Display.Diagrams () where

        import qualified Data.Text as T
        import qualified Data.Text.Lazy as TL
        import qualified Data.Text.Lazy.Encoding as TLE
        import Diagrams.Backend.SVG (Options (SVGOptions), SVG (..))
        import Diagrams.Prelude (Any, QDiagram, V2, mkWidth, renderDia)
        import Graphics.Svg (renderBS)
        import GHCbox.Display
        import GhcboxRuntime (randomHex)

        instance (b ~ SVG, n ~ Double, m ~ Any) => Display (QDiagram b V2 n m) where
          toBundle diagram = do
            prefix <- randomHex 8
            let options = SVGOptions (mkWidth 400) Nothing (T.pack ('d' : prefix)) [] False
            pure (svg (TL.unpack (TLE.decodeUtf8 (renderBS (renderDia SVG options diagram)))))
        """#
}
