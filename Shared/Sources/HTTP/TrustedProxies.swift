import Foundation

/// The addresses whose `X-Real-IP` the gateway believes: the proxies in front of it (nginx).
///
/// Parsed from a comma-separated list of IPv4/IPv6 addresses and CIDR ranges (`TRUSTED_PROXIES`);
/// a request from any other peer is attributed to the peer itself, whatever headers it sends.
public struct TrustedProxies: Sendable, Equatable {
    struct Range: Sendable, Equatable {
        var bytes: [UInt8]
        var prefixLength: Int
    }

    let ranges: [Range]

    /// Loopback only: nginx on the same machine.
    public static let loopback = try! TrustedProxies("127.0.0.0/8,::1/128")

    /// - Throws: ``ConfigError`` naming `TRUSTED_PROXIES` for an entry that is not an address or range.
    public init(_ list: String) throws {
        var ranges: [Range] = []
        for entry in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
            guard let bytes = Self.bytes(of: parts[0]) else {
                throw ConfigError(variable: "TRUSTED_PROXIES", reason: "has an invalid address '\(entry)'")
            }
            let length = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let length, (0...bytes.count * 8).contains(length) else {
                throw ConfigError(variable: "TRUSTED_PROXIES", reason: "has an invalid prefix length '\(entry)'")
            }
            ranges.append(Range(bytes: bytes, prefixLength: length))
        }
        self.ranges = ranges
    }

    /// Whether `address` (as NIO prints a peer) is one of the proxies.
    public func contains(_ address: String?) -> Bool {
        guard let address, var bytes = Self.bytes(of: address) else { return false }
        // An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d.
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            bytes = Array(bytes[12...])
        }
        return ranges.contains { range in
            guard range.bytes.count == bytes.count else { return false }
            var remaining = range.prefixLength
            for index in bytes.indices where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if bytes[index] & mask != range.bytes[index] & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address.
    static func bytes(of text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
