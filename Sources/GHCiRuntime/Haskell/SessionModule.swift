/// `GhcboxSession`: the one module GHCi's interactive context imports, with everything the
/// boot script and the kernel call: the driver's commands, the value printer and the comm
/// deliverer. One import, not one per module, because GHCi with `:set +s` prints a timing
/// line for each statement the boot script runs again after a `:set`.
enum SessionModule {
    static let name = "GhcboxSession"

    static let source = #"""
        -- Written by ghcbox (Sources/GHCiRuntime/Haskell/SessionModule.swift); compiled into its runtime package.
        module GhcboxSession (start, next, step, swapStdin, printResult, deliver) where

        import GhcboxRuntime (start, next, step, swapStdin)
        import GHCbox.Display (printResult)
        import GHCbox.Comm (deliver)
        """#
}
