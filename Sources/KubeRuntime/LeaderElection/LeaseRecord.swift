import Foundation
import KubeCore
import Logging

/// The fields of a `coordination.k8s.io/v1` Lease that leader election reads and writes.
public struct LeaseRecord: Sendable, Equatable {
    /// `spec.holderIdentity`: the leader, empty when the lease is free (released).
    public var holderIdentity: String
    /// `spec.leaseDurationSeconds`: how long others wait after the last renewal.
    public var leaseDurationSeconds: Int
    /// `spec.acquireTime`.
    public var acquireTime: Date?
    /// `spec.renewTime`.
    public var renewTime: Date?
    /// `spec.leaseTransitions`: how many times the holder changed.
    public var leaseTransitions: Int
    /// `metadata.resourceVersion` as read: the precondition of an update.
    public var resourceVersion: String?

    /// A record.
    public init(
        holderIdentity: String, leaseDurationSeconds: Int, acquireTime: Date? = nil, renewTime: Date? = nil,
        leaseTransitions: Int = 0, resourceVersion: String? = nil
    ) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
        self.resourceVersion = resourceVersion
    }

    /// Reads a Lease object.
    public init(lease: JSONValue) {
        holderIdentity = lease["spec", "holderIdentity"]?.stringValue ?? ""
        leaseDurationSeconds = lease["spec", "leaseDurationSeconds"]?.intValue ?? 0
        acquireTime = lease["spec", "acquireTime"]?.stringValue.flatMap(Self.parseMicroTime)
        renewTime = lease["spec", "renewTime"]?.stringValue.flatMap(Self.parseMicroTime)
        leaseTransitions = lease["spec", "leaseTransitions"]?.intValue ?? 0
        resourceVersion = lease.resourceVersion
    }

    /// The Lease object `name` in `namespace` carrying this record (with `metadata.resourceVersion`
    /// when known, so an update is conditional).
    public func lease(name: String, namespace: String) -> JSONValue {
        var spec: JSONValue = [
            "holderIdentity": .string(holderIdentity), "leaseDurationSeconds": .int(leaseDurationSeconds),
            "leaseTransitions": .int(leaseTransitions),
        ]
        if let acquireTime { spec["acquireTime"] = .string(Self.formatMicroTime(acquireTime)) }
        if let renewTime { spec["renewTime"] = .string(Self.formatMicroTime(renewTime)) }
        var o: JSONValue = [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
            "metadata": ["name": .string(name), "namespace": .string(namespace)], "spec": spec,
        ]
        if let resourceVersion { o["metadata", "resourceVersion"] = .string(resourceVersion) }
        return o
    }

    /// `metav1.MicroTime` text: RFC 3339 UTC with microseconds, `2026-11-22T16:00:00.123456Z`.
    public static func formatMicroTime(_ date: Date) -> String {
        let t = date.timeIntervalSince1970
        let whole = t.rounded(.down)
        let micros = min(999_999, Int(((t - whole) * 1_000_000).rounded()))
        let base = Logger.timestamp(Date(timeIntervalSince1970: whole)).dropLast(5)  // drop ".mmmZ"
        let m = String(micros)
        return "\(base).\(String(repeating: "0", count: 6 - m.count))\(m)Z"
    }

    /// Parses RFC 3339 (`Z` or an offset, with or without fractional seconds); nil if malformed.
    public static func parseMicroTime(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= chars.count else { return nil }
            var v = 0
            for c in chars[from..<from + len] {
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard chars.count >= 20, let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2),
              let h = num(11, 2), let mi = num(14, 2), let s = num(17, 2),
              chars[4] == 45, chars[7] == 45, chars[10] == 84 || chars[10] == 116, chars[13] == 58, chars[16] == 58
        else { return nil }
        var i = 19
        var fraction = 0.0
        if i < chars.count, chars[i] == 46 {
            i += 1
            var scale = 0.1
            while i < chars.count, chars[i] >= 48, chars[i] <= 57 {
                fraction += Double(chars[i] - 48) * scale
                scale /= 10
                i += 1
            }
        }
        var offset = 0
        guard i < chars.count else { return nil }
        if chars[i] == 90 || chars[i] == 122 {
            i += 1
        } else if chars[i] == 43 || chars[i] == 45, let oh = num(i + 1, 2), let om = num(i + 4, 2) {
            offset = (oh * 3600 + om * 60) * (chars[i] == 45 ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == chars.count else { return nil }
        var comps = DateComponents()
        comps.year = y; comps.month = mo; comps.day = d; comps.hour = h; comps.minute = mi; comps.second = s
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(identifier: "UTC") else { return nil }
        calendar.timeZone = utc
        guard let date = calendar.date(from: comps) else { return nil }
        return date.addingTimeInterval(fraction - Double(offset))
    }
}
