import CQREncode

/// A QR code symbol made by libqrencode: a square of dark and light modules.
public struct QRCode: Sendable, Equatable {
    /// Modules per side.
    public let width: Int
    /// Row-major modules; `true` is dark.
    public let modules: [Bool]

    /// Encodes `text` (UTF-8, byte mode) at error-correction level M, which survives about 15 % damage:
    /// the usual choice for a code shown on a screen.
    /// - Throws: ``QRCodeError`` when the text does not fit in a QR code.
    public init(encoding text: String) throws {
        guard let code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else {
            throw QRCodeError.tooLong
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        guard let data = code.pointee.data else { throw QRCodeError.tooLong }
        self.width = width
        // Bit 0 of each byte is the module's colour; the other bits describe its role.
        modules = (0..<(width * width)).map { data[$0] & 1 == 1 }
    }

    /// Whether the module at column `x`, row `y` is dark.
    public func isDark(x: Int, y: Int) -> Bool {
        modules[y * width + x]
    }

    /// The symbol as SVG: one path of unit squares, scaled by the viewer, with a light quiet zone of
    /// `quietZone` modules (4 is what the standard asks for).
    public func svg(quietZone: Int = 4) -> String {
        let size = width + 2 * quietZone
        var path = ""
        for y in 0..<width {
            var x = 0
            while x < width {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                var run = 1
                while x + run < width, isDark(x: x + run, y: y) { run += 1 }
                path += "M\(x + quietZone) \(y + quietZone)h\(run)v1h-\(run)z"
                x += run
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(size) \(size)" shape-rendering="crispEdges">\
            <rect width="\(size)" height="\(size)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }

    /// The symbol as an 8-bit grayscale PNG, `scale` pixels per module, with a quiet zone of `quietZone` modules.
    public func png(scale: Int = 8, quietZone: Int = 4) -> [UInt8] {
        let side = (width + 2 * quietZone) * scale
        var pixels = [UInt8](repeating: 255, count: side * side)
        for y in 0..<width {
            for x in 0..<width where isDark(x: x, y: y) {
                for row in 0..<scale {
                    let start = ((y + quietZone) * scale + row) * side + (x + quietZone) * scale
                    for column in 0..<scale { pixels[start + column] = 0 }
                }
            }
        }
        return PNGEncoder.grayscale(width: side, height: side, pixels: pixels)
    }
}

/// Why a QR code could not be made.
public enum QRCodeError: Error, Equatable {
    /// The text is longer than a QR code holds.
    case tooLong
}
