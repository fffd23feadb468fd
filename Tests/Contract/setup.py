"""Set-up of the contract run: two users, a logged-in Alice, a chat between them with a message.

Prints shell assignments (TOKEN, LOGOUT_TOKEN, CHAT_ID, BOB_ID) for Tests/Contract/run.sh.
Only the standard library: it runs before the schemathesis venv is needed.
"""

import json
import sys
import urllib.request

BASE = sys.argv[1]


def call(method, path, body=None, token=None):
    request = urllib.request.Request(BASE + path, method=method)
    if body is not None:
        request.data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def login(email):
    return call("POST", "/auth/login/", {"email": email, "password": "correct horse battery"})["token"]


for name in ("alice", "bob"):
    call("POST", "/auth/register/", {"username": name, "email": f"{name}@example.com", "password": "correct horse battery"})
token = login("alice@example.com")
# A second session of Alice's, for the logout operation to end instead of the one the run uses.
logout_token = login("alice@example.com")
bob = call("GET", "/users/user/?username=bob", token=token)[0]["id"]
chat = call("POST", "/private/start-chat/", {"recipient_id": bob, "text": "Hello, Bob"}, token=token)["chat_id"]
print(f"TOKEN={token}\nLOGOUT_TOKEN={logout_token}\nCHAT_ID={chat}\nBOB_ID={bob}")
