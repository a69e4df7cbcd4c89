import CGatewayLauncher

/// AES in ECB mode with PKCS#7 padding, the cipher EG's receiver applies to `conn_info`
/// (`AES.new(key, AES.MODE_ECB)` and `unpad(..., 16)`). ECB is EG's choice, not ghcbox's: the
/// receiver has no field for an IV. swift-crypto has no ECB mode.
public enum AESECB {
    /// `plaintext` padded to whole 16-byte blocks and encrypted; the key is 16, 24 or 32 bytes.
    public static func encrypt(_ plaintext: [UInt8], key: [UInt8]) throws(LauncherError) -> [UInt8] {
        let cipher: OpaquePointer?
        switch key.count {
        case 16: cipher = EVP_aes_128_ecb()
        case 24: cipher = EVP_aes_192_ecb()
        case 32: cipher = EVP_aes_256_ecb()
        default: throw LauncherError(.crypto, "an AES key is 16, 24 or 32 bytes, not \(key.count)")
        }
        guard let context = EVP_CIPHER_CTX_new() else { throw cryptoFailure("make an AES context") }
        defer { EVP_CIPHER_CTX_free(context) }
        try cryptoCall("start AES encryption") { EVP_EncryptInit_ex(context, cipher, nil, key, nil) }
        var output = [UInt8](repeating: 0, count: plaintext.count + 16)
        var written: Int32 = 0
        var last: Int32 = 0
        try cryptoCall("encrypt with AES") { EVP_EncryptUpdate(context, &output, &written, plaintext, Int32(plaintext.count)) }
        try output.withUnsafeMutableBufferPointer { buffer throws(LauncherError) in
            try cryptoCall("pad the last AES block") { EVP_EncryptFinal_ex(context, buffer.baseAddress! + Int(written), &last) }
        }
        return Array(output.prefix(Int(written + last)))
    }
}
