#!/usr/bin/env python3
"""Signs one request with botocore's S3SigV4Auth, for checking our own SigV4 signer.

Reads one JSON object from the file named by its argument (or from stdin without one):
  {"method": "PUT", "url": "http://127.0.0.1:9000/bucket/some%20key?x=1",
   "headers": {"Host": "...", "Content-Type": "..."}, "body_hex": "48656c6c6f",
   "access_key": "AKIA...", "secret_key": "...", "region": "us-east-1",
   "amz_date": "20130524T000000Z"}
Optional: "service" (default "s3").

Prints {"authorization": ..., "canonical_request": ..., "string_to_sign": ...}.

The request is signed exactly as given: the URL path and query must already be
percent-encoded as they go on the wire (S3 does not normalize or re-encode the
path), and only the given headers are signed (plus host, taken from the URL when
no Host header is given). As S3 requires, x-amz-content-sha256 (hex SHA-256 of
the body) and x-amz-date (= amz_date) are added when missing; a given
x-amz-content-sha256 value (e.g. UNSIGNED-PAYLOAD) is kept as it is.

The time is fixed through request.context["timestamp"], which is what
botocore's canonical_request/string_to_sign/signature read (moto_server checks
signatures the same way). add_auth() is not used: it reads the clock and, when
a Date header is present, rewrites Date and drops X-Amz-Date.
"""

import hashlib
import json
import sys

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def sign(spec):
    body = bytes.fromhex(spec.get("body_hex") or "")
    amz_date = spec["amz_date"]
    headers = dict(spec.get("headers") or {})
    lower = {name.lower() for name in headers}
    if "x-amz-content-sha256" not in lower:
        headers["X-Amz-Content-SHA256"] = hashlib.sha256(body).hexdigest()
    if "x-amz-date" not in lower:
        headers["X-Amz-Date"] = amz_date

    request = AWSRequest(
        method=spec["method"], url=spec["url"], data=body, headers=headers
    )
    request.context["timestamp"] = amz_date

    credentials = Credentials(spec["access_key"], spec["secret_key"])
    auth = S3SigV4Auth(credentials, spec.get("service", "s3"), spec["region"])
    canonical_request = auth.canonical_request(request)
    string_to_sign = auth.string_to_sign(request, canonical_request)
    signature = auth.signature(string_to_sign, request)
    auth._inject_signature_to_request(request, signature)
    return {
        "authorization": request.headers["Authorization"],
        "canonical_request": canonical_request,
        "string_to_sign": string_to_sign,
    }


if __name__ == "__main__":
    if len(sys.argv) > 1:
        with open(sys.argv[1], encoding="utf-8") as source:
            spec = json.load(source)
    else:
        spec = json.load(sys.stdin)
    json.dump(sign(spec), sys.stdout)
    sys.stdout.write("\n")
