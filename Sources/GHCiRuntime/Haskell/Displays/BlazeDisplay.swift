/// `GHCbox.Display.Blaze`: blaze-html's markup as HTML.
enum BlazeDisplay {
    static let source = #"""
        -- Written by ghcbox (Sources/GHCiRuntime/Haskell/Displays/BlazeDisplay.swift); compiled into its own package.
        {-# LANGUAGE TypeFamilies #-}
        {-# OPTIONS_GHC -Wno-orphans #-}
        -- | blaze-html's 'Html' (any 'MarkupM' ending in @()@) as a cell result, shown as HTML.
        module GHCbox.Display.Blaze () where

        import Text.Blaze.Html.Renderer.String (renderHtml)
        import Text.Blaze.Internal (MarkupM)
        import GHCbox.Display

        instance a ~ () => Display (MarkupM a) where
          toBundle = pure . html . renderHtml
        """#
}
