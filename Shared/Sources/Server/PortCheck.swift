import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Checks before start-up that the ports the selected services need are free, so a taken port is a
/// one-line error naming it instead of a failure deep inside the server.
public enum PortCheck {
    /// Whether a TCP listener could bind `host:port` now (IPv4 literal or `localhost`/`0.0.0.0`).
    public static func isFree(host: String, port: Int) -> Bool {
        guard port != 0 else { return true }
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return true }
        defer { close(descriptor) }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let literal = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, literal, &address.sin_addr) == 1 else { return true }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}
