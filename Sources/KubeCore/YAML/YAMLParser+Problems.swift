/// The structural errors of the parser, with their messages in one place.
///
/// The recursive functions throw these small values instead of building message strings themselves, which keeps
/// their stack frames small (nesting depth times frame size is what a deep document costs).
extension YAMLParser {
    enum Problem {
        case duplicateKey(String)
        case mappingIndentation(column: Int)
        case sequenceIndentation(column: Int)
        case sequenceOnKeyLine
        case sequenceBetweenKeys
        case expectedKey
        case missingKey
        case complexKey
        case valueNotAllowed
        case propertiesBeforeDash
        case aliasWithProperties
        case badMerge(JSONValue)
        case unterminatedFlow(closing: Character)
        case flowSeparator(closing: Character, line: Int)
        case flowValueExpected(found: String)
        case flowBlockEntry
        case flowDocumentMarker(closing: Character)
        case contentAfterDocument
        case tooDeep

        var message: String {
            switch self {
            case .duplicateKey(let key):
                return "duplicate key \"\(key)\" in this mapping; each key may appear only once "
                    + "(Kubernetes rejects duplicates too)"
            case .mappingIndentation(let column):
                return "bad indentation: this line is indented more than the keys above it (column \(column)); "
                    + "align it with them, or give the key above an empty value to nest it"
            case .sequenceIndentation(let column):
                return "bad indentation: expected a '- ' item at column \(column) or a line indented less; "
                    + "a value that continues on more lines must be indented more than its '- ', or quoted"
            case .sequenceOnKeyLine:
                return "a block sequence cannot start on the same line as its key; put each '- ' item on its own "
                    + "line below the key"
            case .sequenceBetweenKeys:
                return "a '- ' sequence item is not allowed between the keys of a mapping; put it right below a key "
                    + "that has no value on its line"
            case .expectedKey:
                return "expected a mapping key ('key: value') at this indentation; a value that continues on more "
                    + "lines must be indented more than its key, or quoted"
            case .missingKey:
                return "a mapping key is missing before ':'; write 'key: value' (quote an empty key: '': value)"
            case .complexKey:
                return "complex mapping keys ('? ') are not supported; write the key as a plain or quoted scalar"
            case .valueNotAllowed:
                return "mapping values are not allowed here; quote the value if it contains ': '"
            case .propertiesBeforeDash:
                return "properties (& or !) cannot stand before a '- ' on the same line"
            case .aliasWithProperties:
                return "an alias (*name) cannot have an anchor or a tag"
            case .badMerge(let value):
                let what = value.arrayValue != nil ? "a list with other values" : YAMLParser.article(value.typeName)
                return "a merge key '<<' takes a mapping or a list of mappings, not \(what)"
            case .unterminatedFlow(let closing):
                return "unterminated flow collection: add the closing '\(closing)'"
            case .flowSeparator(let closing, let line):
                let kind = closing == "]" ? "sequence" : "mapping"
                return "expected ',' or '\(closing)' in the flow \(kind) that starts at line \(line)"
            case .flowValueExpected(let found):
                return "expected a value in the flow collection, found '\(found)'"
            case .flowBlockEntry:
                return "block sequence entries ('- ') are not allowed inside a flow collection"
            case .flowDocumentMarker(let closing):
                return "a document marker inside a flow collection; add the closing '\(closing)'"
            case .contentAfterDocument:
                return "unexpected content after the end of the document; check the indentation of this line "
                    + "or separate documents with '---'"
            case .tooDeep:
                return "collections are nested more than \(YAMLParser.maxDepth) levels deep"
            }
        }
    }

    /// "an integer", "a string": a JSON type name with its article, for messages.
    static func article(_ typeName: String) -> String {
        let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
        return (typeName.first.map { vowels.contains($0) } ?? false ? "an " : "a ") + typeName
    }

    /// The error for `problem` at `mark` (default: the current position).
    func fail(_ problem: Problem, at mark: Mark? = nil) -> YAMLError {
        error(problem.message, at: mark)
    }
}
