import CSandbox
import SystemPackage

/// Becomes another user for good: a kernel that a container starts as root, only so that it can
/// read Jupyter's root-owned connection file, serves as the image's unprivileged user. Leaving
/// uid 0 for real, effective and saved ids clears every capability.
enum UserSwitch {
    /// "UID:GID", both numbers and neither 0.
    static func parse(_ text: String) -> (uid: uid_t, gid: gid_t)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let uid = uid_t(parts[0]), let gid = gid_t(parts[1]), uid != 0, gid != 0 else { return nil }
        return (uid, gid)
    }

    static func become(_ text: String) throws(CommandFailure) {
        guard let (uid, gid) = parse(text) else {
            throw CommandFailure("--switch-user \(text): expected UID:GID, two numbers other than 0")
        }
        let error = csb_switch_user(uid, gid)
        guard error == 0 else {
            throw CommandFailure("--switch-user \(text): \(Errno(rawValue: error)) (a container needs --cap-add=SETUID --cap-add=SETGID)")
        }
    }
}
