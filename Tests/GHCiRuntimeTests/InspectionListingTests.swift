@testable import GHCiRuntime
import Testing

@Suite struct InspectionListingTests {
    @Test func infoSplitsDeclarationsFromWrappedInstances() {
        let output = """
            type Maybe :: * -> *
            data Maybe a = Nothing | Just a
              \t-- Defined in ‘GHC.Maybe’
            instance Applicative Maybe -- Defined in ‘GHC.Base’
            instance Semigroup a => Semigroup (Maybe a)
              -- Defined in ‘GHC.Base’
            type instance Rep (Maybe a) = D1 -- Defined in ‘GHC.Generics’
            instance Show a => Show (Maybe a) -- Defined in ‘GHC.Show’

            """
        let listing = InfoListing.parse(output)
        #expect(listing.declarations == "type Maybe :: * -> *\ndata Maybe a = Nothing | Just a\n  \t-- Defined in ‘GHC.Maybe’")
        #expect(listing.instances.split(separator: "\n").count == 5)
        #expect(listing.instances.hasPrefix("instance Applicative Maybe"))
        #expect(listing.instances.hasSuffix("instance Show a => Show (Maybe a) -- Defined in ‘GHC.Show’"))
    }

    @Test func infoOfAClassKeepsItsMethods() {
        let output = "class Show a where\n  show :: a -> String\n  \t-- Defined in ‘GHC.Show’\ninstance Show Int -- Defined in ‘GHC.Show’\n"
        #expect(InfoListing.parse(output).declarations == "class Show a where\n  show :: a -> String\n  \t-- Defined in ‘GHC.Show’")
    }

    @Test func docLosesItsMarginAndAnswersWithoutTextAreNil() {
        let output = " Sort a list.\n\n >>> sortOn fst [(2, 1)]\n [(2,1)]\n"
        #expect(DocListing.text(output) == "Sort a list.\n\n>>> sortOn fst [(2, 1)]\n[(2,1)]")
        #expect(DocListing.text("<has no documentation>\n") == nil)
        #expect(DocListing.text("Docs are unavailable for interactive declarations.\n") == nil)
        #expect(DocListing.text("\n<interactive>:1:1: error: Not in scope: ‘nosuch’\n") == nil)
        #expect(DocListing.text("  \n") == nil)
    }
}
