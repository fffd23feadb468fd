import Foundation
import TestSupport
import Testing

@testable import Shared
@testable import Users

/// The avatar validator: whole structures accepted, trailing data cut off, polyglots, truncations and
/// out-of-bounds dimensions refused, and no input traps.
@Suite struct ImageValidatorTests {
    static let html = Array("<html><script>alert(document.cookie)</script></html>".utf8)

    @Test func eachFormatsSmallPictureIsAcceptedUnchanged() throws {
        for (bytes, format) in [
            (TestImages.png, ImageFormat.png), (TestImages.jpeg, .jpeg), (TestImages.gif, .gif),
            (TestImages.webp, .webp), (TestPictures.extendedWebP(width: 640, height: 480), .webp),
            (TestPictures.lossyWebP(width: 300, height: 200), .webp),
        ] {
            let image = try ImageValidator.validate(bytes)
            #expect(image.format == format)
            #expect(image.bytes == bytes, "\(format)")
        }
        let grey = PNGEncoder.grayscale(width: 3, height: 2, pixels: [UInt8](repeating: 7, count: 6))
        let image = try ImageValidator.validate(grey)
        #expect(image.width == 3)
        #expect(image.height == 2)
        #expect(try ImageValidator.validate(TestPictures.extendedWebP(width: 640, height: 480)).width == 640)
        #expect(try ImageValidator.validate(TestPictures.lossyWebP(width: 300, height: 200)).height == 200)
    }

    @Test func bytesAfterTheEndMarkerAreCutOff() throws {
        for picture in [TestImages.png, TestImages.jpeg, TestImages.gif, TestImages.webp] {
            let image = try ImageValidator.validate(picture + Self.html)
            #expect(image.bytes == picture, "\(image.format)")
        }
        // The WebP end is the RIFF length, even when what follows looks like another chunk.
        let webp = TestImages.webp + Array("ICCP".utf8) + [4, 0, 0, 0] + Array("<svg".utf8)
        #expect(try ImageValidator.validate(webp).bytes == TestImages.webp)
    }

    @Test func polyglotsBehindAnImageHeaderAreRefused() {
        let cases: [(String, [UInt8])] = [
            ("GIF89a + script", Array("GIF89a<script>alert(1)</script>".utf8)),
            ("GIF comment trick", Array("GIF89a/*\u{0}\u{0}\u{0}\u{0}*/=alert(1);".utf8)),
            (
                "JPEG header + SVG",
                Array(TestImages.jpeg.prefix(20))
                    + Array("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".utf8)
            ),
            ("PNG signature + HTML", Array(TestImages.png.prefix(8)) + Self.html),
            ("PNG header + HTML, no IEND", Array(TestImages.png.prefix(33)) + Self.html),
            ("RIFF WEBP + HTML", Array("RIFF".utf8) + [200, 0, 0, 0] + Array("WEBP".utf8) + Self.html),
        ]
        for (name, bytes) in cases {
            #expect(throws: ImageValidator.Failure.malformed, "\(name)") { try ImageValidator.validate(bytes) }
        }
    }

    @Test func everyTruncationIsRefused() {
        for picture in [
            TestImages.png, TestImages.jpeg, TestImages.gif, TestImages.webp,
            TestPictures.extendedWebP(width: 2, height: 2),
        ] {
            for length in 0..<picture.count {
                #expect(throws: ImageValidator.Failure.self, "\(length) of \(picture.count)") {
                    try ImageValidator.validate(Array(picture.prefix(length)))
                }
            }
        }
    }

    @Test func brokenStructuresAreRefused() {
        var badCRC = TestImages.png
        badCRC[30] ^= 0x01
        let idat = TestPictures.pngChunk("IDAT", [0x78, 0x01])
        let cases: [(String, [UInt8])] = [
            ("PNG CRC", badCRC),
            (
                "PNG unknown critical chunk",
                Array(TestImages.png.prefix(33)) + TestPictures.pngChunk("ABCD", [1])
                    + Array(TestImages.png.dropFirst(33))
            ),
            ("PNG without IDAT", Array(TestImages.png.prefix(33)) + TestPictures.pngChunk("IEND", [])),
            (
                "PNG IDATs apart",
                Array(TestImages.png.prefix(33)) + idat + TestPictures.pngChunk("tEXt", Array("a\u{0}b".utf8)) + idat
                    + TestPictures.pngChunk("IEND", [])
            ),
            ("PNG palette image without PLTE", TestPictures.png(width: 1, height: 1, colourType: 3)),
            ("PNG bad bit depth", TestPictures.png(width: 1, height: 1, colourType: 2, depth: 4)),
            ("JPEG without SOF", [0xFF, 0xD8] + Array(TestImages.jpeg.suffix(from: 20).prefix(69)) + [0xFF, 0xD9]),
            ("JPEG without scan", Array(TestImages.jpeg.prefix(102)) + [0xFF, 0xD9]),
            ("JPEG second SOI", [0xFF, 0xD8, 0xFF, 0xD8] + TestImages.jpeg.dropFirst(2)),
            ("GIF without image", Array(TestImages.gif.prefix(19)) + [0x3B]),
            ("GIF unknown block", Array(TestImages.gif.prefix(19)) + [0x42, 0x3B]),
            ("WebP unknown first chunk", TestPictures.riff(Array("ICCP".utf8) + [0, 0, 0, 0])),
            ("VP8X without image data", TestPictures.riff(TestPictures.vp8xChunk(width: 1, height: 1))),
            ("VP8L bad signature", TestPictures.riff(Array("VP8L".utf8) + [5, 0, 0, 0, 0x2E, 0, 0, 0, 0, 0])),
        ]
        for (name, bytes) in cases {
            #expect(throws: ImageValidator.Failure.malformed, "\(name)") { try ImageValidator.validate(bytes) }
        }
    }

    @Test func dimensionsOutsideTheBoundsAreRefused() throws {
        let tooLarge: [(String, [UInt8])] = [
            ("PNG zero width", TestPictures.png(width: 0, height: 1)),
            ("PNG too wide", TestPictures.png(width: 8193, height: 1)),
            ("PNG too many pixels", TestPictures.png(width: 7000, height: 7000)),
            ("PNG 2^31-1", TestPictures.png(width: 0x7FFF_FFFF, height: 0x7FFF_FFFF)),
            ("JPEG zero height", TestPictures.jpeg(width: 1, height: 0)),
            ("JPEG too tall", TestPictures.jpeg(width: 1, height: 65_535)),
            ("GIF zero width", TestPictures.gif(width: 0, height: 1)),
            ("GIF too wide", TestPictures.gif(width: 9000, height: 1)),
            ("WebP canvas too large", TestPictures.extendedWebP(width: 16_000, height: 16_000)),
            ("WebP lossy zero width", TestPictures.lossyWebP(width: 0, height: 1)),
        ]
        for (name, bytes) in tooLarge {
            let failure = Self.failure(of: bytes)
            guard case .dimensionsOutOfRange? = failure else {
                Issue.record("\(name): \(String(describing: failure))")
                continue
            }
        }
        // The bounds themselves are accepted.
        #expect(try ImageValidator.validate(TestPictures.png(width: 8192, height: 4882, withData: true)).width == 8192)
        #expect(try ImageValidator.validate(TestPictures.jpeg(width: 8192, height: 1)).width == 8192)
        #expect(try ImageValidator.validate(TestPictures.gif(width: 1, height: 8192)).height == 8192)
    }

    /// A bounded, deterministic mutation run over the small pictures: every input gets a verdict without a
    /// trap, and an accepted picture is a prefix of its input that validates again to itself.
    @Test func mutatedPicturesNeverTrap() {
        var random = TestPictures.SplitMix64(seed: 0x5EED)
        let seeds = [
            TestImages.png, TestImages.jpeg, TestImages.gif, TestImages.webp,
            TestPictures.extendedWebP(width: 3, height: 3), TestPictures.lossyWebP(width: 3, height: 3),
        ]
        var accepted = 0
        for round in 0..<12_000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0...(random.next() % 4) {
                let position = Int(random.next() % UInt64(max(bytes.count, 1)))
                switch random.next() % 5 {
                case 0 where !bytes.isEmpty: bytes[position] = UInt8(truncatingIfNeeded: random.next())
                case 1 where !bytes.isEmpty: bytes[position] ^= 0x80
                case 2: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: min(position, bytes.count))
                case 3 where !bytes.isEmpty: bytes.remove(at: position)
                default: bytes += [0xFF, 0xFF, 0xFF, 0xFF]
                }
            }
            guard let image = try? ImageValidator.validate(bytes) else { continue }
            accepted += 1
            #expect(Array(bytes.prefix(image.bytes.count)) == image.bytes)
            #expect(ImageValidator.isWithinBounds(width: image.width, height: image.height))
            #expect((try? ImageValidator.validate(image.bytes)) == image)
        }
        #expect(accepted > 0)
    }

    /// Why `bytes` are refused, or `nil` when they are accepted.
    static func failure(of bytes: [UInt8]) -> ImageValidator.Failure? {
        do throws(ImageValidator.Failure) {
            _ = try ImageValidator.validate(bytes)
            return nil
        } catch {
            return error
        }
    }
}
