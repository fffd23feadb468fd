import Crypto
import Foundation
import Testing

@testable import Shared

/// AWS's published SigV4 examples (the S3 documentation and the aws-c-auth test suite), as recorded in
/// `../shared/reference/protocols.md`.
@Suite struct SigV4SignerTests {
    static let s3 = SigV4Signer(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        region: "us-east-1"
    )
    static let s3Date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    static func authorization(_ headers: [(name: String, value: String)]) -> String {
        headers.first { $0.name == "Authorization" }?.value ?? ""
    }

    @Test func signingKeyOfTheS3Examples() {
        let key = Self.s3.signingKey(at: Self.s3Date).withUnsafeBytes { Data($0) }
        #expect(
            key.map { String(format: "%02x", $0) }.joined()
                == "dbb893acc010964918f1fd433add87c70e8b0db6be30c1fbeafefa5ec6ba8378"
        )
    }

    @Test func getObjectExample() {
        let request = SigV4Signer.Request(
            method: "GET",
            path: "/test.txt",
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
                ("x-amz-content-sha256", Self.emptyHash), ("x-amz-date", "20130524T000000Z"),
            ],
            payloadHash: Self.emptyHash
        )
        #expect(
            Self.s3.stringToSign(request, at: Self.s3Date)
                == "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"
        )
        #expect(
            Self.authorization(Self.s3.sign(request, at: Self.s3Date))
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
    }

    @Test func putObjectExample() {
        let body = Data("Welcome to Amazon S3.".utf8)
        let hash = SigV4Signer.payloadHash(body)
        #expect(hash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let request = SigV4Signer.Request(
            method: "PUT",
            path: "/test$file.text",
            headers: [
                ("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("Host", "examplebucket.s3.amazonaws.com"),
                ("x-amz-content-sha256", hash), ("x-amz-date", "20130524T000000Z"),
                ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ],
            payloadHash: hash
        )
        #expect(Self.s3.canonicalRequest(request).hasPrefix("PUT\n/test%24file.text\n\n"))
        #expect(
            SigV4Signer.payloadHash(Data(Self.s3.canonicalRequest(request).utf8))
                == "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d"
        )
        #expect(
            Self.authorization(Self.s3.sign(request, at: Self.s3Date)).hasSuffix(
                "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"
            )
        )
    }

    @Test(arguments: [
        ([("lifecycle", "")], "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"),
        ([("prefix", "J"), ("max-keys", "2")], "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"),
    ])
    func bucketQueryExamples(query: [(String, String)], signature: String) {
        let request = SigV4Signer.Request(
            method: "GET",
            path: "/",
            query: query.map { (name: $0.0, value: $0.1) },
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"), ("x-amz-content-sha256", Self.emptyHash),
                ("x-amz-date", "20130524T000000Z"),
            ],
            payloadHash: Self.emptyHash
        )
        #expect(Self.authorization(Self.s3.sign(request, at: Self.s3Date)).hasSuffix("Signature=" + signature))
    }

    static let suite = SigV4Signer(
        accessKeyID: "AKIDEXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        region: "us-east-1",
        service: "service"
    )
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z

    @Test func getVanillaOfTheTestSuite() {
        let request = SigV4Signer.Request(
            method: "GET",
            path: "/",
            headers: [("Host", "example.amazonaws.com")],
            payloadHash: Self.emptyHash
        )
        #expect(
            Self.authorization(Self.suite.sign(request, at: Self.suiteDate))
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, "
                + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        )
    }

    @Test func signedFormBodyOfTheTestSuite() {
        let hash = SigV4Signer.payloadHash(Data("Param1=value1".utf8))
        let request = SigV4Signer.Request(
            method: "POST",
            path: "/",
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded"), ("Host", "example.amazonaws.com"),
                ("Content-Length", "13"), ("x-amz-content-sha256", hash),
            ],
            payloadHash: hash
        )
        #expect(
            Self.authorization(Self.suite.sign(request, at: Self.suiteDate)).hasSuffix(
                "Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"
            )
        )
    }
}
