import JSONValue
import Logging

extension JSON {
    /// A swift-log metadata value as JSON: strings as strings, booleans and numbers given through
    /// `.stringConvertible` as JSON booleans and numbers, dictionaries as objects, arrays as arrays.
    init(metadata value: Logger.MetadataValue) {
        switch value {
        case .string(let text): self = .string(text)
        case .stringConvertible(let scalar): self = JSON(scalar: scalar)
        case .array(let items): self = .array(items.map(JSON.init(metadata:)))
        case .dictionary(let entries): self = .object(entries.mapValues(JSON.init(metadata:)))
        }
    }

    /// Booleans, integers that fit an `Int` and finite numbers are literals; the rest is text.
    private init(scalar: any CustomStringConvertible & Sendable) {
        switch scalar {
        case let flag as Bool: self = .bool(flag)
        case let number as any BinaryInteger: self = Int(exactly: number).map(JSON.int) ?? .string(scalar.description)
        case let number as Double where number.isFinite: self = .double(number)
        case let number as Float where number.isFinite: self = .double(Double(number))
        default: self = .string(scalar.description)
        }
    }
}
