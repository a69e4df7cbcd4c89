/// What one top-level unit of a cell is, as far as splitting needs to know.
enum UnitShape: Equatable, Sendable {
    case directive
    case pragma
    case importDecl
    case statement
    case expression
    case declaration(DeclarationRole)

    var chunkKind: CellChunk.Kind {
        switch self {
        case .directive: .directive
        case .pragma: .pragma
        case .importDecl: .importDecl
        case .statement: .statement
        case .expression: .expression
        case .declaration: .declaration
        }
    }
}

/// What a declaration binds, used to decide which declarations may share one chunk.
enum DeclarationRole: Equatable, Sendable {
    /// An equation with arguments (`f x = ...`, `x <+> y = ...`); more equations may follow.
    case function(name: String)
    /// A binding without arguments (`x = 5`, `(a, b) = ...`).
    case value(names: [String])
    /// `f, g :: T`.
    case signature(names: [String])
    /// `data T`, `newtype T`, `type T`, `class C`, `type family F`.
    case type(name: String)
    /// Instances, fixity declarations and the like: they bind no name that can clash.
    case other
}
