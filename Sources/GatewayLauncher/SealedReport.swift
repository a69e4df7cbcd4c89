import Foundation
import JSONValue

/// The bytes a launcher sends EG, in EG's version 1 format: the report's JSON encrypted with
/// AES-128-ECB (PKCS#7 padding) under 16 random bytes, those 16 bytes encrypted with EG's RSA
/// public key (PKCS#1 v1.5), both base64-encoded into `{"version": 1, "key": ..., "conn_info": ...}`,
/// and that JSON base64-encoded again. EG reads until the connection closes.
public enum SealedReport {
    public static let version = 1

    /// Seals `report` for the holder of the private half of `publicKey`.
    public static func seal(_ report: JSON, publicKey: RSAPublicKey, aesKey: [UInt8] = randomAESKey()) throws(LauncherError) -> [UInt8] {
        let connectionInfo = try AESECB.encrypt(report.serialized(), key: aesKey)
        let sealedKey = try publicKey.encryptPKCS1v15(aesKey)
        let envelope = JSON.object([
            "version": .int(version),
            "key": .string(Data(sealedKey).base64EncodedString()),
            "conn_info": .string(Data(connectionInfo).base64EncodedString()),
        ])
        return Array(Data(envelope.serialized()).base64EncodedString().utf8)
    }

    /// 16 bytes from the system's cryptographically secure generator.
    public static func randomAESKey() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
