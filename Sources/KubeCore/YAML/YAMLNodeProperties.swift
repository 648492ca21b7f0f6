/// Node properties: an anchor (`&name`) and a tag (`!!int`, `!custom`), both optional.
struct YAMLNodeProperties {
    var anchor: String?
    var tag: String?

    var isEmpty: Bool { anchor == nil && tag == nil }
}
