public enum GhcboxVersion {
    public static let current = "0.1.0"
}
