import Foundation
import JSONValue

/// The kernelspec Jupyter reads (`kernel.json`), made from the template in `kernelspec/`:
/// `@GHCBOX@` in `argv` becomes the binary, and extra arguments follow `{connection_file}`.
public enum Kernelspec {
    public static func render(templateIn folder: String, binary: String, extraArguments: [String]) throws(KernelspecError) -> JSON {
        let path = folder + "/kernel.json"
        guard let bytes = FileManager.default.contents(atPath: path) else { throw KernelspecError("cannot read \(path)") }
        let template: JSON
        do { template = try JSON.parse(bytes) } catch { throw KernelspecError("\(path) is not valid JSON: \(error.detail)") }
        return try fill(template, binary: binary, extraArguments: extraArguments, source: path)
    }

    static func fill(_ template: JSON, binary: String, extraArguments: [String], source: String) throws(KernelspecError) -> JSON {
        guard case .object(var spec) = template, let argv = spec["argv"]?.arrayValue,
              case let arguments = argv.compactMap(\.stringValue), arguments.count == argv.count,
              arguments.contains("{connection_file}") else {
            throw KernelspecError("\(source) needs an argv of strings that passes {connection_file}")
        }
        var filled: [String] = []
        for argument in arguments {
            filled.append(argument == "@GHCBOX@" ? binary : argument)
            if argument == "{connection_file}" { filled += extraArguments }
        }
        spec["argv"] = .array(filled.map(JSON.string))
        return .object(spec)
    }
}

public struct KernelspecError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
