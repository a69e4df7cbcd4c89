print("ghcbox")
