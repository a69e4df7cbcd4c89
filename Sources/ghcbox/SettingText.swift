import ArgumentParser
import Foundation

/// An option's value as written, checked only once every setting is known: a bad number in a
/// kernelspec's arguments becomes a configuration problem the notebook shows, instead of a
/// parse failure that ends the kernel before it can speak. Options of this type are declared
/// with `parsing: .unconditional`, so `--memory-mb -5` reads `-5` as the value and reaches the
/// range check instead of failing as a missing value.
struct SettingText: ExpressibleByArgument, Sendable {
    let text: String

    init(argument: String) { text = argument }
}

/// Where a setting came from, as messages name it.
enum SettingSource {
    static func flag(_ name: String) -> String { "command-line flag \(name)" }
    static func variable(_ name: String) -> String { "environment variable \(name)" }
}

/// A setting that is a whole number in a range, given by a flag or else a variable.
struct WholeNumberSetting {
    let flag: String
    let variable: String
    /// What the number is, for the message: "the metrics port".
    let what: String
    /// The unit, for the message: "MB"; nil for a plain count.
    let unit: String?
    let accepted: ClosedRange<Int>

    /// The value given, nil when neither the flag nor the variable is set. A bad value adds a
    /// problem naming its source, the text and the accepted range, and reads as nil.
    func value(flag given: SettingText?, environment: [String: String], problems: inout [String]) -> Int? {
        let source: String
        let text: String
        if let given {
            (source, text) = (SettingSource.flag(flag), given.text)
        } else if let set = environment[variable] {
            (source, text) = (SettingSource.variable(variable), set)
        } else {
            return nil
        }
        let range = "\(what) accepts a whole number\(unit.map { " of \($0)" } ?? "") from \(accepted.lowerBound) to \(accepted.upperBound)"
        guard let number = Int(text.trimmingCharacters(in: .whitespaces)) else {
            problems.append("\(source): '\(text)' is not a whole number; \(range)")
            return nil
        }
        guard accepted.contains(number) else {
            problems.append("\(source): \(number) is out of range; \(range)")
            return nil
        }
        return number
    }
}
