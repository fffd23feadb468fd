/// The parsers of client bytes are part of `Shared`'s interface: every service that imports `Shared`
/// reads multipart bodies, header parameters and base64url through them.
@_exported import WireFormats
