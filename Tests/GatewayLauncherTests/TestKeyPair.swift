import CGatewayLauncher

/// An RSA key pair made with libcrypto, as EG's ResponseManager makes one (1024 bits), holding
/// the private half so a test can open what the launcher sealed.
final class TestKeyPair {
    private let key: OpaquePointer

    init(bits: Int32 = 1024) {
        let context = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nil)!
        defer { EVP_PKEY_CTX_free(context) }
        precondition(EVP_PKEY_keygen_init(context) == 1)
        precondition(EVP_PKEY_CTX_set_rsa_keygen_bits(context, bits) == 1)
        var made: OpaquePointer?
        precondition(EVP_PKEY_keygen(context, &made) == 1)
        key = made!
    }

    deinit { EVP_PKEY_free(key) }

    /// The public half as DER (SubjectPublicKeyInfo), what EG sends base64-encoded.
    var publicDER: [UInt8] {
        let length = i2d_PUBKEY(key, nil)
        var der = [UInt8](repeating: 0, count: Int(length))
        der.withUnsafeMutableBufferPointer { buffer in
            var cursor = buffer.baseAddress
            _ = i2d_PUBKEY(key, &cursor)
        }
        return der
    }

    /// RSAES-PKCS1-v1_5 decryption with the private half.
    func decryptPKCS1v15(_ ciphertext: [UInt8]) -> [UInt8]? {
        let context = EVP_PKEY_CTX_new(key, nil)!
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_decrypt_init(context) == 1, EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) > 0 else { return nil }
        var length = 0
        guard EVP_PKEY_decrypt(context, nil, &length, ciphertext, ciphertext.count) == 1 else { return nil }
        var output = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_decrypt(context, &output, &length, ciphertext, ciphertext.count) == 1 else { return nil }
        return Array(output.prefix(length))
    }
}

/// AES-128-ECB decryption, removing PKCS#7 padding, as EG's receiver does.
func decryptAES128ECB(_ ciphertext: [UInt8], key: [UInt8]) -> [UInt8]? {
    let context = EVP_CIPHER_CTX_new()!
    defer { EVP_CIPHER_CTX_free(context) }
    guard EVP_DecryptInit_ex(context, EVP_aes_128_ecb(), nil, key, nil) == 1 else { return nil }
    var output = [UInt8](repeating: 0, count: ciphertext.count + 16)
    var written: Int32 = 0
    var last: Int32 = 0
    guard EVP_DecryptUpdate(context, &output, &written, ciphertext, Int32(ciphertext.count)) == 1 else { return nil }
    let finished = output.withUnsafeMutableBufferPointer { EVP_DecryptFinal_ex(context, $0.baseAddress! + Int(written), &last) }
    guard finished == 1 else { return nil }
    return Array(output.prefix(Int(written + last)))
}
