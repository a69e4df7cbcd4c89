import CSandbox
#if canImport(Glibc)
import Glibc
#endif

/// The seccomp policy of a jail, read from `sandbox/seccomp.policy`.
///
/// The file has one rule per line, each with a `#` comment saying why:
///
///     default           ERRNO                    # what calls no rule names get
///     allow             SYSCALL [SYSCALL ...]    # why
///     deny              SYSCALL                ERRNO   # why
///     deny-if-flags     SYSCALL FLAG|FLAG|...  ERRNO   # fails when the first argument has any of the flags
///     deny-unless-value SYSCALL VALUE,VALUE    ERRNO   # fails unless the first argument is one of the values
///
/// The calls a `deny-if-flags` or `deny-unless-value` rule does not fail are allowed. Without
/// a `default` line every call no rule names is allowed. A system call gets at most one rule.
/// Blank lines and lines starting with `#` are ignored.
public struct SeccompPolicy: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public enum Match: Sendable, Equatable {
            /// Every call is allowed.
            case allow
            /// Every call is denied.
            case always
            /// Calls whose first argument has any of these bits are denied, the others allowed.
            case anyFlag(UInt64)
            /// Calls whose first argument is none of these values are denied, the others allowed.
            case unlessValue([UInt64])
        }

        public var syscall: String
        public var match: Match
        /// The errno a denied call gets (0 for `.allow`).
        public var errno: Int32
        public var comment: String
        /// The line of the policy file (0 when built in code).
        public var line: Int

        public init(syscall: String, match: Match, errno: Int32, comment: String, line: Int = 0) {
            self.syscall = syscall
            self.match = match
            self.errno = errno
            self.comment = comment
            self.line = line
        }
    }

    /// The errno of every call no rule names; nil: such calls are allowed.
    public var defaultErrno: Int32?
    public var rules: [Rule]

    public init(defaultErrno: Int32? = nil, rules: [Rule]) {
        self.defaultErrno = defaultErrno
        self.rules = rules
    }

    /// Parses the text of a policy file; a bad line throws `.policy` naming the line.
    public init(parsing text: String) throws(SandboxError) {
        var rules: [Rule] = []
        var defaultErrno: Int32?
        var firstLine: [String: Int] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = raw.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let number = index + 1
            switch try Self.parseLine(String(trimmed), line: number) {
            case .defaultErrno(let errno):
                guard defaultErrno == nil else {
                    throw SandboxError(.policy, errno: 0, detail: "line \(number): a second 'default' line")
                }
                defaultErrno = errno
            case .rules(let parsed):
                for rule in parsed {
                    // Two rules for one call would leave libseccomp to pick between them.
                    if let earlier = firstLine[rule.syscall] {
                        let why = "'\(rule.syscall)' already has a rule on line \(earlier)"
                        throw SandboxError(.policy, errno: 0, detail: "line \(number): \(why)")
                    }
                    firstLine[rule.syscall] = number
                    rules.append(rule)
                }
            }
        }
        self.defaultErrno = defaultErrno
        self.rules = rules
    }

    /// Reads and parses a policy file.
    public static func load(path: String) throws(SandboxError) -> SeccompPolicy {
        let bytes: [UInt8]
        do {
            bytes = try readWholeFile(path)
        } catch {
            throw SandboxError(.policy, errno: error.errno, detail: path)
        }
        do {
            return try SeccompPolicy(parsing: String(decoding: bytes, as: UTF8.self))
        } catch {
            throw SandboxError(.policy, errno: 0, detail: "\(path):\(error.detail)")
        }
    }

    /// Compiles the rules with libseccomp without installing them: catches unknown
    /// system calls (named by line) before any jail is built.
    public func validate() throws(SandboxError) {
        var bad = 0
        let err = withCRules { rules, count in csb_seccomp_check(rules, count, &bad) }
        guard err == 0 else {
            let rule = bad < rules.count ? rules[bad] : nil
            let place = rule.map { "line \($0.line): '\($0.syscall)'" } ?? "the default"
            throw SandboxError(.policy, errno: err, detail: "\(place) is not a known system call or a valid rule")
        }
    }

    /// Calls `body` with the rules as a C array (valid only during the call).
    func withCRules<R>(_ body: (UnsafePointer<csb_seccomp_rule>?, Int) -> R) -> R {
        let names = rules.map { strdup($0.syscall) }
        defer { names.forEach { free($0) } }
        let valueLists: [[UInt64]] = rules.map {
            if case .unlessValue(let values) = $0.match { return values }
            return []
        }
        let valueBuffers = valueLists.map { list -> UnsafeMutablePointer<UInt64>? in
            guard !list.isEmpty else { return nil }
            let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: list.count)
            buffer.initialize(from: list, count: list.count)
            return buffer
        }
        defer { valueBuffers.forEach { $0?.deallocate() } }
        var cRules = rules.indices.map { i -> csb_seccomp_rule in
            let rule = rules[i]
            switch rule.match {
            case .allow:
                return csb_seccomp_rule(kind: Int32(CSB_SECCOMP_ALLOW), syscall: names[i], errno_value: 0,
                                        flags: 0, values: nil, value_count: 0)
            case .always:
                return csb_seccomp_rule(kind: Int32(CSB_SECCOMP_DENY), syscall: names[i], errno_value: rule.errno,
                                        flags: 0, values: nil, value_count: 0)
            case .anyFlag(let flags):
                return csb_seccomp_rule(kind: Int32(CSB_SECCOMP_DENY_IF_FLAGS), syscall: names[i],
                                        errno_value: rule.errno, flags: flags, values: nil, value_count: 0)
            case .unlessValue(let values):
                return csb_seccomp_rule(kind: Int32(CSB_SECCOMP_DENY_UNLESS_VALUE), syscall: names[i],
                                        errno_value: rule.errno, flags: 0, values: valueBuffers[i],
                                        value_count: values.count)
            }
        }
        // Last, so that a rule's index in the C array is its index in `rules`.
        if let defaultErrno {
            cRules.append(csb_seccomp_rule(kind: Int32(CSB_SECCOMP_DEFAULT), syscall: nil, errno_value: defaultErrno,
                                           flags: 0, values: nil, value_count: 0))
        }
        return cRules.withUnsafeBufferPointer { body($0.baseAddress, $0.count) }
    }

    // MARK: - Parsing

    private enum Line {
        case defaultErrno(Int32)
        case rules([Rule])
    }

    private static func parseLine(_ line: String, line number: Int) throws(SandboxError) -> Line {
        func bad(_ why: String) -> SandboxError {
            SandboxError(.policy, errno: 0, detail: "line \(number): \(why)")
        }
        guard let hash = line.firstIndex(of: "#") else {
            throw bad("a rule needs a '# comment' saying why")
        }
        let comment = line[line.index(after: hash)...].trimmingSpaces()
        guard !comment.isEmpty else { throw bad("a rule needs a '# comment' saying why") }
        let words = line[..<hash].split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let verb = words.first else { throw bad("missing rule") }

        func errnoValue(_ name: String) throws(SandboxError) -> Int32 {
            guard let value = errnoNames[name] else {
                throw bad("unknown errno '\(name)' (known: \(errnoNames.keys.sorted().joined(separator: ", ")))")
            }
            return value
        }
        func rule(_ name: String, _ match: Rule.Match, _ errno: Int32) throws(SandboxError) -> Line {
            .rules([Rule(syscall: try syscallName(name, bad), match: match, errno: errno, comment: comment,
                         line: number)])
        }

        switch verb {
        case "default":
            guard words.count == 2 else { throw bad("expected 'default ERRNO'") }
            return .defaultErrno(try errnoValue(words[1]))
        case "allow":
            guard words.count >= 2 else { throw bad("expected 'allow SYSCALL [SYSCALL ...]'") }
            var rules: [Rule] = []
            for name in words.dropFirst() {
                rules.append(Rule(syscall: try syscallName(name, bad), match: .allow, errno: 0, comment: comment,
                                  line: number))
            }
            return .rules(rules)
        case "deny":
            guard words.count == 3 else { throw bad("expected 'deny SYSCALL ERRNO'") }
            return try rule(words[1], .always, try errnoValue(words[2]))
        case "deny-if-flags":
            guard words.count == 4 else { throw bad("expected 'deny-if-flags SYSCALL FLAG|FLAG ERRNO'") }
            var flags: UInt64 = 0
            for name in words[2].split(separator: "|") {
                guard let flag = flagNames[String(name)] ?? parseNumber(String(name)) else {
                    throw bad("unknown flag '\(name)'")
                }
                flags |= flag
            }
            guard flags != 0 else { throw bad("no flags") }
            return try rule(words[1], .anyFlag(flags), try errnoValue(words[3]))
        case "deny-unless-value":
            guard words.count == 4 else { throw bad("expected 'deny-unless-value SYSCALL VALUE,VALUE ERRNO'") }
            var values: [UInt64] = []
            for text in words[2].split(separator: ",") {
                guard let value = parseNumber(String(text)) else { throw bad("bad value '\(text)'") }
                values.append(value)
            }
            guard !values.isEmpty, values.count <= 64 else { throw bad("expected 1 to 64 values") }
            return try rule(words[1], .unlessValue(values), try errnoValue(words[3]))
        default:
            throw bad("unknown rule '\(verb)' (expected default, allow, deny, deny-if-flags or deny-unless-value)")
        }
    }

    private static func syscallName(_ word: String, _ bad: (String) -> SandboxError) throws(SandboxError) -> String {
        let ok = !word.isEmpty && word.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
        guard ok else { throw bad("bad system call name '\(word)'") }
        return word
    }

    private static func parseNumber(_ text: String) -> UInt64? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt64(text.dropFirst(2), radix: 16) }
        return UInt64(text)
    }

    private static let errnoNames: [String: Int32] = [
        "EPERM": EPERM, "ENOSYS": ENOSYS, "EACCES": EACCES, "EINVAL": EINVAL,
        "EOPNOTSUPP": EOPNOTSUPP, "ENOTSUP": EOPNOTSUPP, "EAFNOSUPPORT": EAFNOSUPPORT,
    ]

    /// The clone(2) namespace flags (values from <linux/sched.h>).
    private static let flagNames: [String: UInt64] = [
        "CLONE_NEWNS": 0x0002_0000, "CLONE_NEWCGROUP": 0x0200_0000, "CLONE_NEWUTS": 0x0400_0000,
        "CLONE_NEWIPC": 0x0800_0000, "CLONE_NEWUSER": 0x1000_0000, "CLONE_NEWPID": 0x2000_0000,
        "CLONE_NEWNET": 0x4000_0000,
    ]
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
