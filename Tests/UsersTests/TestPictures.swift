import Foundation
import TestSupport

@testable import Shared

/// Pictures built byte by byte for the validator's edge cases.
enum TestPictures {
    /// A PNG chunk with its length and CRC.
    static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        PNGEncoder.chunk(type, data)
    }

    /// A PNG with only a header, an IDAT of a stored empty zlib stream and IEND: valid in structure, with
    /// any announced size (the validator never inflates).
    static func png(
        width: UInt32,
        height: UInt32,
        colourType: UInt8 = 0,
        depth: UInt8 = 8,
        withData: Bool = true
    ) -> [UInt8] {
        let header = PNGEncoder.bigEndian(width) + PNGEncoder.bigEndian(height) + [depth, colourType, 0, 0, 0]
        return Array(TestImages.png.prefix(8)) + pngChunk("IHDR", header)
            + (withData ? pngChunk("IDAT", [0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0, 0, 0, 1]) : [])
            + pngChunk("IEND", [])
    }

    /// ``TestImages/jpeg`` with other dimensions in its SOF0 segment.
    static func jpeg(width: Int, height: Int) -> [UInt8] {
        var bytes = TestImages.jpeg
        let sof = 89
        bytes[sof + 5] = UInt8(height >> 8)
        bytes[sof + 6] = UInt8(height & 0xFF)
        bytes[sof + 7] = UInt8(width >> 8)
        bytes[sof + 8] = UInt8(width & 0xFF)
        return bytes
    }

    /// ``TestImages/gif`` with other logical screen and frame dimensions.
    static func gif(width: Int, height: Int) -> [UInt8] {
        var bytes = TestImages.gif
        for offset in [6, 24] {
            bytes[offset] = UInt8(width & 0xFF)
            bytes[offset + 1] = UInt8(width >> 8)
            bytes[offset + 2] = UInt8(height & 0xFF)
            bytes[offset + 3] = UInt8(height >> 8)
        }
        return bytes
    }

    /// A RIFF/WEBP file around `chunks`.
    static func riff(_ chunks: [UInt8]) -> [UInt8] {
        let size = UInt32(4 + chunks.count)
        return Array("RIFF".utf8) + littleEndian(size, bytes: 4) + Array("WEBP".utf8) + chunks
    }

    /// A `VP8X` chunk announcing a `width` by `height` canvas.
    static func vp8xChunk(width: Int, height: Int) -> [UInt8] {
        Array("VP8X".utf8) + [10, 0, 0, 0, 0, 0, 0, 0]
            + littleEndian(UInt32(width - 1), bytes: 3) + littleEndian(UInt32(height - 1), bytes: 3)
    }

    /// An extended WebP: `VP8X` with the canvas, then ``TestImages/webp``'s `VP8L` chunk.
    static func extendedWebP(width: Int, height: Int) -> [UInt8] {
        riff(vp8xChunk(width: width, height: height) + Array(TestImages.webp.dropFirst(12)))
    }

    /// A simple lossy WebP: a `VP8 ` key frame header with `width` and `height` (no frame data).
    static func lossyWebP(width: Int, height: Int) -> [UInt8] {
        riff(
            Array("VP8 ".utf8) + [10, 0, 0, 0, 0x10, 0x00, 0x00, 0x9D, 0x01, 0x2A]
                + littleEndian(UInt32(width), bytes: 2) + littleEndian(UInt32(height), bytes: 2)
        )
    }

    static func littleEndian(_ value: UInt32, bytes count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
    }

    /// A small deterministic generator for the mutation run (SplitMix64).
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64

        init(seed: UInt64) {
            state = seed
        }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
    }
}
