/// Consecutive declarations that go to GHCi as one input.
///
/// GHCi treats every input as a new scope that shadows the last, so the equations of one
/// function, its signature, and mutually recursive functions only work when sent together.
/// We therefore group every run of consecutive declarations, as a module would, and start
/// a new group only where a name is bound again: in a notebook `x = 1` then `x = 2` means
/// redefinition, which GHCi gives us by shadowing, while one group would be a clash.
struct DeclarationGroup: Sendable {
    private(set) var units: [SourceUnit] = []
    private var values: Set<String> = []
    private var signatures: Set<String> = []
    private var types: Set<String> = []
    /// The function whose equations are being read, so its next equation can join.
    private var currentFunction: String?

    init(_ unit: SourceUnit) { add(unit) }

    func admits(_ unit: SourceUnit) -> Bool {
        guard case .declaration(let role) = unit.shape, !unit.isUserBlock else { return false }
        switch role {
        case .function(let name): return !values.contains(name) || currentFunction == name
        case .value(let names): return values.isDisjoint(with: names)
        case .signature(let names): return values.isDisjoint(with: names) && signatures.isDisjoint(with: names)
        case .type(let name): return !types.contains(name)
        case .other: return true
        }
    }

    mutating func add(_ unit: SourceUnit) {
        units.append(unit)
        currentFunction = nil
        guard case .declaration(let role) = unit.shape else { return }
        switch role {
        case .function(let name):
            values.insert(name)
            currentFunction = name
        case .value(let names): values.formUnion(names)
        case .signature(let names): signatures.formUnion(names)
        case .type(let name): types.insert(name)
        case .other: break
        }
    }

    /// A lone one-name signature binds nothing, so it is what GHCi would make of it at its
    /// prompt: an expression with a type annotation (`pi :: Double`).
    var kind: CellChunk.Kind {
        if units.count == 1, case .declaration(.signature(let names)) = units[0].shape, names.count == 1 {
            return .expression
        }
        return .declaration
    }
}
