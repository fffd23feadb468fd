/// Checks that an avatar is one whole, well-formed picture of an ``ImageFormat`` and cuts off anything
/// after the format's end marker.
///
/// Recognising a picture by its first bytes is not enough: `GIF89a` followed by a script, a JPEG header
/// followed by SVG, or a PNG signature followed by HTML would be stored and served from our origin. The
/// validator walks the file's whole structure without decoding pixels:
///
/// - PNG: the signature, `IHDR` first (with a valid colour type and bit depth), every chunk's length within
///   the file and its CRC, `PLTE` where the colour type needs it, consecutive `IDAT`s, and `IEND`.
/// - JPEG: `SOI`, the marker segments with their lengths, one `SOF` (the dimensions), each `SOS` and its
///   entropy-coded data (stuffed bytes and restart markers), and `EOI`.
/// - GIF: the header, the logical screen and its colour table, every image and extension block with its
///   sub-blocks, and the trailer `0x3B`.
/// - WebP: the RIFF length within the file, every chunk within the RIFF length, and the dimensions of the
///   first chunk (`VP8 `, `VP8L` or `VP8X`, which must be followed by image data).
///
/// The stored picture ends at `IEND`, `EOI`, the GIF trailer or the RIFF length: bytes after them are
/// dropped, so `PNG + <html>` is stored as the PNG alone. Each side must be 1 to ``maxSide`` pixels and the
/// area at most ``maxPixels``, which bounds the memory a browser spends decoding one avatar.
///
/// The file imports nothing (only ``ImageFormat`` beside it), so a libFuzzer target compiles the two
/// standalone. Every read is bounds-checked and every offset sum is checked for overflow, so no input
/// traps.
public enum ImageValidator {
    /// The largest width or height accepted, in pixels.
    public static let maxSide = 8192
    /// The largest area accepted, in pixels: 40 megapixels, 160 MB once decoded to RGBA.
    public static let maxPixels = 40_000_000

    /// A picture that passed the checks.
    public struct Image: Sendable, Equatable {
        public var format: ImageFormat
        public var width: Int
        public var height: Int
        /// The picture up to its format's end marker: what may be stored.
        public var bytes: [UInt8]
    }

    /// Why a file was refused.
    public enum Failure: Error, Sendable, Equatable {
        /// The first bytes are not those of an accepted format.
        case notAnImage
        /// The structure is invalid for the format: truncated, inconsistent lengths or checksums,
        /// missing parts, or foreign bytes inside it.
        case malformed
        /// A well-formed picture whose width, height or area is outside the bounds.
        case dimensionsOutOfRange(width: Int, height: Int)
    }

    /// Checks `bytes` and returns the picture without any trailing data.
    /// - Throws: a ``Failure`` saying why the file is not acceptable.
    public static func validate(_ bytes: [UInt8]) throws(Failure) -> Image {
        guard let format = ImageFormat(sniffing: bytes) else { throw .notAnImage }
        let reader = Reader(bytes: bytes)
        let shape: Shape
        switch format {
        case .png: shape = try png(reader)
        case .jpeg: shape = try jpeg(reader)
        case .gif: shape = try gif(reader)
        case .webp: shape = try webp(reader)
        }
        guard isWithinBounds(width: shape.width, height: shape.height) else {
            throw .dimensionsOutOfRange(width: shape.width, height: shape.height)
        }
        guard shape.end > 0, shape.end <= bytes.count else { throw .malformed }
        let kept = shape.end == bytes.count ? bytes : Array(bytes[0..<shape.end])
        return Image(format: format, width: shape.width, height: shape.height, bytes: kept)
    }

    /// Whether a picture of `width` by `height` pixels is accepted.
    public static func isWithinBounds(width: Int, height: Int) -> Bool {
        // Both sides are at most 8192 before multiplying, so the product cannot overflow.
        (1...maxSide).contains(width) && (1...maxSide).contains(height) && width * height <= maxPixels
    }

    /// The dimensions of a picture and the offset just after its last byte.
    struct Shape {
        var width: Int
        var height: Int
        var end: Int
    }

    // MARK: PNG

    static func png(_ data: Reader) throws(Failure) -> Shape {
        let ihdr: UInt32 = 0x4948_4452
        let plte: UInt32 = 0x504C_5445
        let idat: UInt32 = 0x4944_4154
        let iend: UInt32 = 0x4945_4E44
        var position = 8
        var header: (width: Int, height: Int, colourType: UInt8)?
        var hasPalette = false
        var hasData = false
        var dataEnded = false
        while true {
            guard let length = data.uint32(bigEndianAt: position), length <= 0x7FFF_FFFF,
                let type = data.uint32(bigEndianAt: position &+ 4),
                let dataStart = sum(position, 8), let crcStart = sum(dataStart, Int(length)),
                let next = sum(crcStart, 4), next <= data.count,
                let storedCRC = data.uint32(bigEndianAt: crcStart)
            else { throw .malformed }
            let typeStart = position + 4
            guard data.bytes[typeStart..<dataStart].allSatisfy(isASCIILetter),
                storedCRC == CRC32.checksum(data.bytes[typeStart..<crcStart])
            else { throw .malformed }
            if header == nil, type != ihdr { throw .malformed }
            if hasData, type != idat { dataEnded = true }
            switch type {
            case ihdr:
                guard header == nil, length == 13 else { throw .malformed }
                header = try pngHeader(data, at: dataStart)
            case plte:
                guard let colourType = header?.colourType, colourType != 0, colourType != 4, !hasPalette, !hasData,
                    length > 0, length % 3 == 0, length / 3 <= 256
                else { throw .malformed }
                hasPalette = true
            case idat:
                guard !dataEnded else { throw .malformed }
                hasData = true
            case iend:
                guard let header, length == 0, hasData, header.colourType != 3 || hasPalette else { throw .malformed }
                return Shape(width: header.width, height: header.height, end: next)
            default:
                // An unknown critical chunk (upper-case first letter) cannot be skipped, PNG says.
                guard let first = data.byte(at: typeStart), first & 0x20 != 0 else { throw .malformed }
            }
            position = next
        }
    }

    /// The `IHDR` fields at `offset`: width, height, and a valid colour type, bit depth and methods.
    static func pngHeader(
        _ data: Reader,
        at offset: Int
    ) throws(Failure) -> (width: Int, height: Int, colourType: UInt8) {
        guard let width = data.uint32(bigEndianAt: offset), let height = data.uint32(bigEndianAt: offset &+ 4),
            width <= 0x7FFF_FFFF, height <= 0x7FFF_FFFF,
            let depth = data.byte(at: offset &+ 8), let colourType = data.byte(at: offset &+ 9),
            data.byte(at: offset &+ 10) == 0, data.byte(at: offset &+ 11) == 0,
            let interlace = data.byte(at: offset &+ 12), interlace <= 1
        else { throw .malformed }
        let depths: [UInt8]
        switch colourType {
        case 0: depths = [1, 2, 4, 8, 16]
        case 3: depths = [1, 2, 4, 8]
        case 2, 4, 6: depths = [8, 16]
        default: throw .malformed
        }
        guard depths.contains(depth) else { throw .malformed }
        return (Int(width), Int(height), colourType)
    }

    static func isASCIILetter(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    // MARK: JPEG

    static func jpeg(_ data: Reader) throws(Failure) -> Shape {
        var position = 2
        var frame: (width: Int, height: Int)?
        var hasScan = false
        while true {
            guard data.byte(at: position) == 0xFF else { throw .malformed }
            // Any number of 0xFF fill bytes may precede a marker.
            var markerAt = position &+ 1
            while data.byte(at: markerAt) == 0xFF { markerAt = markerAt &+ 1 }
            guard let marker = data.byte(at: markerAt) else { throw .malformed }
            position = markerAt &+ 1
            switch marker {
            case 0xD9:
                guard let frame, hasScan else { throw .malformed }
                return Shape(width: frame.width, height: frame.height, end: position)
            case 0x01:
                continue
            case 0x00, 0xD0...0xD8:
                throw .malformed
            default:
                guard let length = data.uint16(bigEndianAt: position), length >= 2,
                    let end = sum(position, length), end <= data.count
                else { throw .malformed }
                if isStartOfFrame(marker) {
                    guard frame == nil, length >= 8, let precision = data.byte(at: position &+ 2),
                        (2...16).contains(precision),
                        let height = data.uint16(bigEndianAt: position &+ 3),
                        let width = data.uint16(bigEndianAt: position &+ 5),
                        let components = data.byte(at: position &+ 7), (1...4).contains(components),
                        length == 8 + 3 * Int(components)
                    else { throw .malformed }
                    frame = (width, height)
                } else if marker == 0xDA {
                    guard frame != nil, let components = data.byte(at: position &+ 2), (1...4).contains(components),
                        length == 6 + 2 * Int(components)
                    else { throw .malformed }
                    hasScan = true
                    position = try endOfEntropyCodedData(data, from: end)
                    continue
                }
                position = end
            }
        }
    }

    /// SOF0-3, 5-7, 9-11 and 13-15; not DHT (C4), JPG (C8) or DAC (CC).
    static func isStartOfFrame(_ marker: UInt8) -> Bool {
        (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
    }

    /// The offset of the marker that ends the entropy-coded data starting at `start`: the first 0xFF that
    /// is neither a stuffed 0xFF00, a restart marker nor a fill byte.
    static func endOfEntropyCodedData(_ data: Reader, from start: Int) throws(Failure) -> Int {
        var position = start
        while true {
            guard let byte = data.byte(at: position) else { throw .malformed }
            guard byte == 0xFF else {
                position = position &+ 1
                continue
            }
            guard let next = data.byte(at: position &+ 1) else { throw .malformed }
            if next == 0x00 || (0xD0...0xD7).contains(next) {
                position = position &+ 2
            } else if next == 0xFF {
                position = position &+ 1
            } else {
                return position
            }
        }
    }

    // MARK: GIF

    static func gif(_ data: Reader) throws(Failure) -> Shape {
        guard let width = data.uint16(littleEndianAt: 6), let height = data.uint16(littleEndianAt: 8),
            let flags = data.byte(at: 10), data.count >= 13
        else { throw .malformed }
        var position = 13 + colourTableSize(flags)
        var images = 0
        while true {
            guard let introducer = data.byte(at: position) else { throw .malformed }
            switch introducer {
            case 0x3B:
                guard images > 0 else { throw .malformed }
                return Shape(width: width, height: height, end: position &+ 1)
            case 0x21:
                guard data.byte(at: position &+ 1) != nil else { throw .malformed }
                position = try endOfSubBlocks(data, from: position &+ 2)
            case 0x2C:
                guard let frameWidth = data.uint16(littleEndianAt: position &+ 5),
                    let frameHeight = data.uint16(littleEndianAt: position &+ 7),
                    let frameFlags = data.byte(at: position &+ 9)
                else { throw .malformed }
                // A frame may be larger than the screen; a browser still allocates it.
                guard isWithinBounds(width: max(frameWidth, 1), height: max(frameHeight, 1)) else {
                    throw .dimensionsOutOfRange(width: frameWidth, height: frameHeight)
                }
                guard let codeStart = sum(position, 10 + colourTableSize(frameFlags)),
                    let codeSize = data.byte(at: codeStart), (1...11).contains(codeSize)
                else { throw .malformed }
                position = try endOfSubBlocks(data, from: codeStart &+ 1)
                images += 1
            default:
                throw .malformed
            }
        }
    }

    /// The size of the colour table a GIF screen or image descriptor with `flags` announces.
    static func colourTableSize(_ flags: UInt8) -> Int {
        flags & 0x80 == 0 ? 0 : 3 << (Int(flags & 0x07) + 1)
    }

    /// The offset after the sub-blocks starting at `start` (each a size byte and that many bytes,
    /// ended by a zero size).
    static func endOfSubBlocks(_ data: Reader, from start: Int) throws(Failure) -> Int {
        var position = start
        while true {
            guard let size = data.byte(at: position), let next = sum(position, 1 + Int(size)), next <= data.count
            else { throw .malformed }
            position = next
            if size == 0 { return position }
        }
    }

    // MARK: WebP

    static func webp(_ data: Reader) throws(Failure) -> Shape {
        let vp8: UInt32 = 0x5650_3820
        let vp8l: UInt32 = 0x5650_384C
        let vp8x: UInt32 = 0x5650_3858
        let anmf: UInt32 = 0x414E_4D46
        guard let riffSize = data.uint32(littleEndianAt: 4), riffSize >= 4 + 8,
            let end = sum(8, Int(riffSize)), end <= data.count
        else { throw .malformed }
        var position = 12
        var dimensions: (width: Int, height: Int)?
        var isExtended = false
        var hasImageData = false
        while position < end {
            guard let fourCC = data.uint32(bigEndianAt: position),
                let size = data.uint32(littleEndianAt: position &+ 4),
                let payload = sum(position, 8), let payloadEnd = sum(payload, Int(size)),
                let next = sum(payloadEnd, Int(size & 1)), next <= end
            else { throw .malformed }
            if dimensions == nil {
                switch fourCC {
                case vp8:
                    dimensions = try lossyDimensions(data, at: payload, size: Int(size))
                    hasImageData = true
                case vp8l:
                    dimensions = try losslessDimensions(data, at: payload, size: Int(size))
                    hasImageData = true
                case vp8x:
                    guard size >= 10, let width = data.uint24(littleEndianAt: payload &+ 4),
                        let height = data.uint24(littleEndianAt: payload &+ 7)
                    else { throw .malformed }
                    dimensions = (width + 1, height + 1)
                    isExtended = true
                default:
                    throw .malformed
                }
            } else if isExtended, [vp8, vp8l, anmf].contains(fourCC) {
                hasImageData = true
            }
            position = next
        }
        guard let dimensions, hasImageData else { throw .malformed }
        return Shape(width: dimensions.width, height: dimensions.height, end: end)
    }

    /// A `VP8 ` key frame's dimensions: frame tag, start code `9D 01 2A`, 14-bit width and height.
    static func lossyDimensions(_ data: Reader, at offset: Int, size: Int) throws(Failure) -> (width: Int, height: Int)
    {
        guard size >= 10, let tag = data.uint24(littleEndianAt: offset), tag & 1 == 0,
            tag >> 5 <= size - 10,
            data.byte(at: offset &+ 3) == 0x9D, data.byte(at: offset &+ 4) == 0x01, data.byte(at: offset &+ 5) == 0x2A,
            let width = data.uint16(littleEndianAt: offset &+ 6), let height = data.uint16(littleEndianAt: offset &+ 8)
        else { throw .malformed }
        return (width & 0x3FFF, height & 0x3FFF)
    }

    /// A `VP8L` stream's dimensions: signature `0x2F`, then 14-bit width-1 and height-1 and a zero version.
    static func losslessDimensions(
        _ data: Reader,
        at offset: Int,
        size: Int
    ) throws(Failure) -> (
        width: Int, height: Int
    ) {
        guard size >= 5, data.byte(at: offset) == 0x2F, let bits = data.uint32(littleEndianAt: offset &+ 1),
            bits >> 29 == 0
        else { throw .malformed }
        return (Int(bits & 0x3FFF) + 1, Int((bits >> 14) & 0x3FFF) + 1)
    }

    // MARK: Reading

    /// `a + b`, or `nil` if it overflows or either is negative.
    static func sum(_ a: Int, _ b: Int) -> Int? {
        guard a >= 0, b >= 0 else { return nil }
        let (result, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : result
    }

    /// Bounds-checked reads of the file: `nil` instead of a trap outside it.
    struct Reader {
        let bytes: [UInt8]

        var count: Int { bytes.count }

        func byte(at offset: Int) -> UInt8? {
            offset >= 0 && offset < bytes.count ? bytes[offset] : nil
        }

        func uint16(bigEndianAt offset: Int) -> Int? {
            guard let high = byte(at: offset), let low = byte(at: offset &+ 1) else { return nil }
            return Int(high) << 8 | Int(low)
        }

        func uint16(littleEndianAt offset: Int) -> Int? {
            guard let low = byte(at: offset), let high = byte(at: offset &+ 1) else { return nil }
            return Int(high) << 8 | Int(low)
        }

        func uint24(littleEndianAt offset: Int) -> Int? {
            guard let low = uint16(littleEndianAt: offset), let high = byte(at: offset &+ 2) else { return nil }
            return Int(high) << 16 | low
        }

        func uint32(bigEndianAt offset: Int) -> UInt32? {
            guard let high = uint16(bigEndianAt: offset), let low = uint16(bigEndianAt: offset &+ 2) else {
                return nil
            }
            return UInt32(high) << 16 | UInt32(low)
        }

        func uint32(littleEndianAt offset: Int) -> UInt32? {
            guard let low = uint16(littleEndianAt: offset), let high = uint16(littleEndianAt: offset &+ 2) else {
                return nil
            }
            return UInt32(high) << 16 | UInt32(low)
        }
    }

    /// CRC-32 as PNG computes it over a chunk's type and data.
    enum CRC32 {
        static let table: [UInt32] = (0..<256).map { index in
            var value = UInt32(index)
            for _ in 0..<8 {
                value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1
            }
            return value
        }

        static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
            return crc ^ 0xFFFF_FFFF
        }
    }
}
