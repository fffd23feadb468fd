"""Schemathesis hooks of the contract run (SCHEMATHESIS_HOOKS=hooks, see Tests/Contract/run.sh).

- Half the generated `chat_id`s of the operations that read or post become the chat the set-up
  created, so they are also exercised past the "no such chat" answer. Those that delete, leave or
  remove members keep the generated ids: the set-up's chat must outlive them.
- Every request carries the set-up user's token, except logout, which ends the set-up's spare
  session instead of the one every other request uses. (Set here rather than with `--header`: a
  header given on the command line wins over the case's own.)
"""

import os
import random

import schemathesis

CHAT_ID = int(os.environ["CONTRACT_CHAT_ID"])
TOKEN = os.environ["CONTRACT_TOKEN"]
LOGOUT_TOKEN = os.environ["CONTRACT_LOGOUT_TOKEN"]


def destroys(case):
    return case.method.upper() == "DELETE" or case.operation.path.rstrip("/").endswith("/leave")


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.path_parameters and "chat_id" in case.path_parameters and not destroys(case) and random.random() < 0.5:
        case.path_parameters["chat_id"] = CHAT_ID
    token = LOGOUT_TOKEN if case.operation.path.rstrip("/") == "/auth/logout" else TOKEN
    case.headers = {**(case.headers or {}), "Authorization": "Bearer " + token}
