import Testing

/// All end-to-end suites, run one test at a time: each starts real servers, and overlapping
/// start-ups and shutdowns on a 2-core machine only add timing noise.
@Suite(.serialized) struct EndToEnd {}
