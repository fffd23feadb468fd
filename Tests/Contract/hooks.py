"""Schemathesis hooks of the contract run (SCHEMATHESIS_HOOKS=hooks, see Tests/Contract/run.sh).

- Half the generated `chat_id`s become the chat the set-up created, so the chat operations are also
  exercised past the "no such chat" answer.
- Logout ends the set-up's spare session, never the one every other request uses.
"""

import os
import random

import schemathesis

CHAT_ID = int(os.environ["CONTRACT_CHAT_ID"])
LOGOUT_TOKEN = os.environ["CONTRACT_LOGOUT_TOKEN"]


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.path_parameters and "chat_id" in case.path_parameters and random.random() < 0.5:
        case.path_parameters["chat_id"] = CHAT_ID
    if case.operation.path.rstrip("/") == "/auth/logout":
        case.headers = {**(case.headers or {}), "Authorization": "Bearer " + LOGOUT_TOKEN}
