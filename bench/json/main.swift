// Parses the frames of real client messages with the kernel's JSON parser and with
// Foundation's JSONDecoder and JSONSerialization, and prints the time per frame of each.
import Foundation

/// What Foundation's decoder needs to produce the same tree as `JSON.parse`.
enum DecodedJSON: Decodable {
    case null, bool(Bool), int(Int), double(Double), string(String), array([DecodedJSON]), object([String: DecodedJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
        else if let number = try? container.decode(Int.self) { self = .int(number) }
        else if let number = try? container.decode(Double.self) { self = .double(number) }
        else if let text = try? container.decode(String.self) { self = .string(text) }
        else if let items = try? container.decode([DecodedJSON].self) { self = .array(items) }
        else { self = .object(try container.decode([String: DecodedJSON].self)) }
    }
}

let frames = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    .split(separator: "\n").map { Array($0.utf8) }
let rounds = 2000

func measure(_ name: String, _ parse: ([UInt8]) throws -> Void) rethrows -> Double {
    for frame in frames { try parse(frame) }  // warm up
    let start = ContinuousClock.now
    for _ in 0..<rounds { for frame in frames { try parse(frame) } }
    let perFrame = (ContinuousClock.now - start) / Double(rounds * frames.count)
    let micros = perFrame / .microseconds(1)
    print("\(name): \((micros * 100).rounded() / 100) µs per frame")
    return micros
}

let ours = try measure("JSONValue.JSON.parse") { _ = try JSON.parse($0) }
let decoder = JSONDecoder()
let decoded = try measure("Foundation JSONDecoder (to an enum)") { _ = try decoder.decode(DecodedJSON.self, from: Data($0)) }
let serialized = try measure("Foundation JSONSerialization") { _ = try JSONSerialization.jsonObject(with: Data($0), options: [.fragmentsAllowed]) }
print("frames: \(frames.count); JSONDecoder / ours: \((decoded / ours * 10).rounded() / 10)x; JSONSerialization / ours: \((serialized / ours * 10).rounded() / 10)x")
