"""Yandex ID for the contract run, on loopback: every OAuth token and every code is refused, as Yandex
refuses what it did not issue (`/info` 401, `/token` 400 invalid_grant). Generated data never holds a
real token, so this is all the run needs; the sign-in itself is tested against FakeYandex in Swift.

Usage: python3 fake_yandex.py PORT
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.answer(401, {"error": "invalid_token"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.answer(400, {"error": "invalid_grant", "error_description": "Code has expired"})

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
