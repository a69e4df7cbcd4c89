import CGatewayLauncher

/// An RSA public key from its DER (SubjectPublicKeyInfo, what EG sends base64-encoded).
/// It encrypts with PKCS#1 v1.5 padding because EG's receiver decrypts with `PKCS1_v1_5`:
/// swift-crypto's `_CryptoExtras` offers RSA encryption with OAEP only.
public final class RSAPublicKey {
    private let key: OpaquePointer

    public init(der: [UInt8]) throws(LauncherError) {
        let parsed = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            var cursor = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw cryptoFailure("read the public key (base64 DER of an RSA SubjectPublicKeyInfo)") }
        guard EVP_PKEY_get_base_id(parsed) == EVP_PKEY_RSA else {
            EVP_PKEY_free(parsed)
            throw LauncherError(.crypto, "the public key is not an RSA key")
        }
        key = parsed
    }

    deinit { EVP_PKEY_free(key) }

    /// `message` encrypted with RSAES-PKCS1-v1_5; it must be at most the modulus size less 11 bytes.
    public func encryptPKCS1v15(_ message: [UInt8]) throws(LauncherError) -> [UInt8] {
        guard let context = EVP_PKEY_CTX_new(key, nil) else { throw cryptoFailure("make an RSA context") }
        defer { EVP_PKEY_CTX_free(context) }
        try cryptoCall("start RSA encryption") { EVP_PKEY_encrypt_init(context) }
        try cryptoCall("choose PKCS#1 v1.5 padding") { EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) }
        var length = 0
        try cryptoCall("size the RSA ciphertext") { EVP_PKEY_encrypt(context, nil, &length, message, message.count) }
        var output = [UInt8](repeating: 0, count: length)
        try cryptoCall("encrypt with RSA") { EVP_PKEY_encrypt(context, &output, &length, message, message.count) }
        return Array(output.prefix(length))
    }
}
