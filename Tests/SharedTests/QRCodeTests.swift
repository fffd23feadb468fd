import Foundation
import Testing

@testable import Shared

@Suite struct QRCodeTests {
    @Test func encodesTextIntoASquareSymbol() throws {
        let code = try QRCode(encoding: "http://127.0.0.1:8080/qr-login?client_id=abcdefghijklmnop")
        #expect(code.width >= 21)
        #expect((code.width - 17) % 4 == 0)
        #expect(code.modules.count == code.width * code.width)
        // The finder pattern's corner module is dark in every QR code.
        #expect(code.isDark(x: 0, y: 0))
    }

    @Test func svgHasAQuietZoneAndOnlyOurContent() throws {
        let code = try QRCode(encoding: "hello")
        let svg = code.svg(quietZone: 4)
        let size = code.width + 8
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(size) \(size)\""))
        #expect(svg.contains("M4 4h"))
        #expect(!svg.contains("script"))
    }

    @Test func pngHasValidStructure() throws {
        let png = try QRCode(encoding: "hello").png(scale: 2, quietZone: 4)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(String(decoding: png[12..<16], as: UTF8.self) == "IHDR")
        #expect(String(decoding: png.suffix(8).prefix(4), as: UTF8.self) == "IEND")
    }

    @Test func pngEncoderChecksumsMatchKnownValues() {
        // CRC-32 and Adler-32 of "123456789" are standard check values.
        let digits = Array("123456789".utf8)
        #expect(PNGEncoder.crc32(digits) == 0xCBF4_3926)
        #expect(PNGEncoder.adler32(digits) == 0x091E_01DE)
    }
}
