import Foundation
import KubeCore

/// One RBAC `PolicyRule` and the rule arithmetic the API server's escalation check uses
/// (`k8s.io/component-helpers/auth/rbac/validation` and `pkg/registry/rbac/validation`): a set of held rules
/// *covers* a granted rule when every single (group, resource, verb, resource name) it breaks down into is
/// covered by one held rule.
struct RBACPolicyRule: Hashable, Sendable {
    var apiGroups: [String] = []
    var resources: [String] = []
    var verbs: [String] = []
    var resourceNames: [String] = []
    var nonResourceURLs: [String] = []

    /// Every permission there is: what `cluster-admin` holds, and what an `aggregationRule` may gather.
    static let fullAuthority = [
        RBACPolicyRule(apiGroups: ["*"], resources: ["*"], verbs: ["*"]),
        RBACPolicyRule(verbs: ["*"], nonResourceURLs: ["*"]),
    ]

    init(apiGroups: [String] = [], resources: [String] = [], verbs: [String] = [], resourceNames: [String] = [],
         nonResourceURLs: [String] = []) {
        self.apiGroups = apiGroups
        self.resources = resources
        self.verbs = verbs
        self.resourceNames = resourceNames
        self.nonResourceURLs = nonResourceURLs
    }

    /// A rule of a Role or ClusterRole object (missing or non-string entries are left out).
    init(_ rule: JSONValue) {
        func strings(_ key: String) -> [String] { (rule[key]?.arrayValue ?? []).compactMap(\.stringValue) }
        self.init(apiGroups: strings("apiGroups"), resources: strings("resources"), verbs: strings("verbs"),
                  resourceNames: strings("resourceNames"), nonResourceURLs: strings("nonResourceURLs"))
    }

    /// The `rules` of a Role or ClusterRole object.
    static func rules(of role: JSONValue?) -> [RBACPolicyRule] {
        (role?["rules"]?.arrayValue ?? []).map(RBACPolicyRule.init)
    }

    /// The rules of `granted` that no rule of `held` covers, broken down and compacted as the API server lists
    /// them in its escalation error (one line per group and resource, its verbs together), sorted.
    static func missing(held: [RBACPolicyRule], granted: [RBACPolicyRule]) -> [String] {
        let uncovered = granted.flatMap(\.breakdown).filter { sub in !held.contains { $0.covers(sub) } }
        return Array(Set(compact(uncovered).map(\.compactString))).sorted()
    }

    /// The rule split into rules of one group, one resource, one verb and at most one resource name (and one
    /// non-resource URL with one verb).
    var breakdown: [RBACPolicyRule] {
        var out: [RBACPolicyRule] = []
        for group in apiGroups {
            for resource in resources {
                for verb in verbs {
                    if resourceNames.isEmpty {
                        out.append(RBACPolicyRule(apiGroups: [group], resources: [resource], verbs: [verb]))
                    } else {
                        out += resourceNames.map { RBACPolicyRule(apiGroups: [group], resources: [resource], verbs: [verb], resourceNames: [$0]) }
                    }
                }
            }
        }
        for url in nonResourceURLs {
            out += verbs.map { RBACPolicyRule(verbs: [$0], nonResourceURLs: [url]) }
        }
        return out
    }

    /// Whether this (held) rule grants everything `sub` grants.
    func covers(_ sub: RBACPolicyRule) -> Bool {
        func hasAll(_ set: [String], _ items: [String]) -> Bool { set.contains("*") || items.allSatisfy(set.contains) }
        let resourcesCovered = resources.contains("*") || sub.resources.allSatisfy { path in
            if resources.contains(path) { return true }
            guard let slash = path.firstIndex(of: "/") else { return false }
            return resources.contains("*" + path[slash...])
        }
        let urlsCovered = sub.nonResourceURLs.allSatisfy { url in
            nonResourceURLs.contains { $0 == "*" || $0 == url || ($0.hasSuffix("*") && url.hasPrefix($0.dropLast())) }
        }
        let namesCovered = resourceNames.isEmpty || (!sub.resourceNames.isEmpty && sub.resourceNames.allSatisfy(resourceNames.contains))
        return hasAll(verbs, sub.verbs) && hasAll(apiGroups, sub.apiGroups) && resourcesCovered && urlsCovered && namesCovered
    }

    /// Merges the verbs of rules for the same single group, resource and resource name, keeping the first
    /// rule's place; other rules stay as they are.
    static func compact(_ rules: [RBACPolicyRule]) -> [RBACPolicyRule] {
        var out: [RBACPolicyRule] = []
        var index: [[String]: Int] = [:]
        for rule in rules {
            guard rule.apiGroups.count == 1, rule.resources.count == 1, rule.resourceNames.count <= 1, rule.nonResourceURLs.isEmpty else {
                out.append(rule)
                continue
            }
            let key = rule.apiGroups + rule.resources + rule.resourceNames
            if let i = index[key] {
                out[i].verbs += rule.verbs
            } else {
                index[key] = out.count
                out.append(rule)
            }
        }
        return out
    }

    /// The rule as the API server prints it in errors (Go's `%q` of each non-empty list):
    /// `{APIGroups:[""], Resources:["pods"], Verbs:["get" "list" "watch"]}`.
    var compactString: String {
        func quoted(_ list: [String]) -> String {
            "[" + list.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
                .joined(separator: " ") + "]"
        }
        let parts: [(String, [String])] = [("APIGroups", apiGroups), ("Resources", resources), ("NonResourceURLs", nonResourceURLs),
                                           ("ResourceNames", resourceNames), ("Verbs", verbs)]
        return "{" + parts.filter { !$0.1.isEmpty }.map { "\($0.0):\(quoted($0.1))" }.joined(separator: ", ") + "}"
    }
}
