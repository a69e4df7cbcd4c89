// GHCi runtime.
