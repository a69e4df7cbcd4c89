/// `GHCbox.Display.JuicyPixels`: JuicyPixels images as PNG. A `DynamicImage` whose pixels
/// PNG cannot hold (floating point, CMYK, YCbCr) is converted to RGBA8 first.
enum JuicyPixelsDisplay {
    static let source = #"""
        -- Written by ghcbox (Sources/GHCiRuntime/Haskell/Displays/JuicyPixelsDisplay.swift); compiled into its own package.
        {-# OPTIONS_GHC -Wno-orphans #-}
        -- | JuicyPixels' 'Image' (of any pixel PNG can hold) and 'DynamicImage' as cell results, shown as PNG.
        module GHCbox.Display.JuicyPixels () where

        import Codec.Picture (DynamicImage, Image, PngSavable, convertRGBA8, encodeDynamicPng, encodePng)
        import qualified Data.ByteString.Lazy as BL
        import GHCbox.Display

        instance PngSavable px => Display (Image px) where
          toBundle = pure . png . BL.toStrict . encodePng

        instance Display DynamicImage where
          toBundle image = pure (png (BL.toStrict (either (const (encodePng (convertRGBA8 image))) id (encodeDynamicPng image))))
        """#
}
