/// libFuzzer entry for ``ImageValidator``: any bytes must give a verdict, never a trap, and an accepted
/// picture must be a prefix of the input that is accepted again unchanged.
///
/// Build and run (Foundation is not needed):
///
///     swiftc -sanitize=fuzzer,address -parse-as-library -O \
///         Services/Users/Domain/ImageFormat.swift Services/Users/Domain/ImageValidator.swift \
///         Fuzz/FuzzImageHeader.swift -o .build/fuzz/image
///     .build/fuzz/image -max_total_time=30 -max_len=65536
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let image = try? ImageValidator.validate(bytes) else { return 0 }
    precondition(image.bytes.count <= bytes.count && Array(bytes.prefix(image.bytes.count)) == image.bytes)
    precondition(ImageValidator.isWithinBounds(width: image.width, height: image.height))
    precondition((try? ImageValidator.validate(image.bytes)) == image, "validation is not idempotent")
    return 0
}
