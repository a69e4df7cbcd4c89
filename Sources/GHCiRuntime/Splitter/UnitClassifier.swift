/// Decides what a unit of tokens is: a GHCi command, a pragma, an import, a declaration,
/// a statement or an expression. Only the top level of the unit matters, so the scan stops
/// at the first keyword that opens a nested layout block.
enum UnitClassifier {
    private static let declarationKeywords: Set<String> = [
        "class", "data", "default", "deriving", "foreign", "infix", "infixl", "infixr", "instance",
        "module", "newtype", "type",
    ]
    /// Keywords after which an `=` or `<-` belongs to a nested block, not to the unit.
    private static let nestingKeywords: Set<String> = ["case", "do", "if", "let", "mdo", "of", "proc", "where"]

    static func classify(_ tokens: ArraySlice<HaskellToken>) -> UnitShape {
        guard let first = tokens.first else { return .expression }
        switch first.kind {
        case .directive: return .directive
        case .pragma: return .pragma
        default: break
        }
        if first.kind == .identifier {
            if first.text == "import" { return .importDecl }
            if first.text == "let" { return classifyLet(tokens) }
            if declarationKeywords.contains(first.text) { return .declaration(typeDeclarationRole(tokens)) }
            // `pattern P x = ...` with PatternSynonyms; `pattern` alone is an ordinary name.
            if first.text == "pattern", tokens.dropFirst().first?.kind == .constructor {
                return .declaration(.other)
            }
        }
        return classifyByTopLevelOperator(tokens)
    }

    /// `let` opens a statement, unless an `in` closes it into an expression. Counting is
    /// enough here: `let`s of nested `do` blocks have no `in`, and they can only add to the count.
    private static func classifyLet(_ tokens: ArraySlice<HaskellToken>) -> UnitShape {
        let lets = tokens.count { $0.is(.identifier, "let") }
        let ins = tokens.count { $0.is(.identifier, "in") }
        return ins >= lets ? .expression : .statement
    }

    private static func classifyByTopLevelOperator(_ tokens: ArraySlice<HaskellToken>) -> UnitShape {
        var depth = 0
        for index in tokens.indices {
            let token = tokens[index]
            if token.kind == .special {
                if token.opensBracket { depth += 1 }
                if token.closesBracket { depth = max(0, depth - 1) }
                continue
            }
            guard depth == 0 else { continue }
            if token.kind == .identifier, nestingKeywords.contains(token.text) { break }
            guard token.kind == .symbol else { continue }
            let lhs = tokens[tokens.startIndex..<index]
            switch token.text {
            case "\\": return .expression  // a lambda: nothing after it is top level
            case "<-": return .statement
            case "=", "|": return .declaration(bindingRole(lhs))
            case "::":
                // `x :: Int <- readLn` is a bind with a type annotation.
                if hasTopLevelSymbol("<-", tokens[(index + 1)...]) { return .statement }
                if let names = signatureNames(lhs) { return .declaration(.signature(names: names)) }
                return .expression  // `read "5" :: Int`
            default: continue
            }
        }
        return .expression
    }

    private static func hasTopLevelSymbol(_ symbol: String, _ tokens: ArraySlice<HaskellToken>) -> Bool {
        var depth = 0
        for token in tokens {
            if token.opensBracket { depth += 1 }
            if token.closesBracket { depth -= 1 }
            if depth == 0, token.is(.symbol, symbol) { return true }
        }
        return false
    }

    /// The names of `f, g :: T` or `(<+>) :: T`; nil when the left side is not a name list.
    private static func signatureNames(_ lhs: ArraySlice<HaskellToken>) -> [String]? {
        var names: [String] = []
        var rest = lhs[...]
        while !rest.isEmpty {
            if let name = rest.first, name.kind == .identifier, !name.isKeyword {
                names.append(name.text)
                rest = rest.dropFirst()
            } else if let name = parenthesisedOperator(rest) {
                names.append(name)
                rest = rest.dropFirst(3)
            } else {
                return nil
            }
            if rest.isEmpty { break }
            guard rest.first?.is(.special, ",") == true else { return nil }
            rest = rest.dropFirst()
        }
        return names.isEmpty ? nil : names
    }

    private static func parenthesisedOperator(_ tokens: ArraySlice<HaskellToken>) -> String? {
        let three = Array(tokens.prefix(3))
        guard three.count == 3, three[0].is(.special, "("), three[1].kind == .symbol, three[2].is(.special, ")")
        else { return nil }
        return three[1].text
    }

    /// Which name an equation defines, from the tokens left of its `=` or first guard.
    private static func bindingRole(_ lhs: ArraySlice<HaskellToken>) -> DeclarationRole {
        let topLevel = topLevelItems(lhs)
        // Infix definitions: ``x `op` y = ...`` and `x <+> y = ...`.
        for (position, item) in topLevel.enumerated() where position > 0 {
            if item.is(.special, "`"), position + 1 < topLevel.count, topLevel[position + 1].kind == .identifier {
                return .function(name: topLevel[position + 1].text)
            }
            if item.kind == .symbol, !item.text.hasPrefix(":"), item.text != "@", !isPrefixBangOrTilde(item, lhs) {
                return .function(name: item.text)
            }
        }
        guard let head = topLevel.first else { return .other }
        if head.kind == .identifier, !head.isKeyword {
            return topLevel.count > 1 ? .function(name: head.text) : .value(names: [head.text])
        }
        if let name = parenthesisedOperator(lhs) {
            return topLevel.count > 1 ? .function(name: name) : .value(names: [name])
        }
        // A pattern binding such as `(a, b) = ...` or `Just x = ...` binds every variable in it.
        let names = lhs.filter { $0.kind == .identifier && !$0.isKeyword && $0.text != "_" }.map(\.text)
        return .value(names: names)
    }

    /// The tokens at bracket depth 0, with each bracketed group represented by its opener.
    private static func topLevelItems(_ tokens: ArraySlice<HaskellToken>) -> [HaskellToken] {
        var items: [HaskellToken] = []
        var depth = 0
        for token in tokens {
            if token.opensBracket {
                if depth == 0 { items.append(token) }
                depth += 1
            } else if token.closesBracket {
                depth = max(0, depth - 1)
            } else if depth == 0 {
                items.append(token)
            }
        }
        return items
    }

    /// `f !x = ...` and `f ~(a, b) = ...` are bang and lazy patterns, not operator definitions:
    /// GHC tells them apart by the operator touching the next token but not the previous one.
    private static func isPrefixBangOrTilde(_ token: HaskellToken, _ tokens: ArraySlice<HaskellToken>) -> Bool {
        guard token.text == "!" || token.text == "~", let index = tokens.firstIndex(of: token) else { return false }
        let next = tokens.index(after: index)
        guard next < tokens.endIndex else { return false }
        let touchesNext = tokens[next].line == token.line && tokens[next].offset == token.offset + 1
        let previous = tokens[tokens.index(before: index)]
        let touchesPrevious = previous.line == token.line && previous.offset + previous.text.count == token.offset
        return touchesNext && !touchesPrevious
    }

    /// The type-level name a `data`/`newtype`/`type`/`class` declaration introduces, if any.
    private static func typeDeclarationRole(_ tokens: ArraySlice<HaskellToken>) -> DeclarationRole {
        guard let keyword = tokens.first, ["data", "newtype", "type", "class"].contains(keyword.text) else {
            return .other
        }
        var rest = tokens.dropFirst()
        if let second = rest.first, second.is(.identifier, "instance") { return .other }
        if let second = rest.first, second.is(.identifier, "family") { rest = rest.dropFirst() }
        // Skip a context: `class (Eq a) => Ord a`.
        if let arrow = rest.firstIndex(where: { $0.is(.symbol, "=>") }) { rest = rest[(arrow + 1)...] }
        if let name = rest.first(where: { $0.kind == .constructor }) { return .type(name: name.text) }
        return .other
    }
}
