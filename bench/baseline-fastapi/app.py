"""The FastAPI baseline of `make bench` (issue 17): user search, `GET /users/user/?username=`, as a
conventional Python service writes it (FastAPI, asyncpg, a pool of 20 connections, uvicorn with one
worker), on the messenger's own `users.profiles`, answering the same JSON bytes as the messenger's Users
service. Like the seed behind a trusted nginx, it trusts `X-User-Id` (no token check).

    BASELINE_PG_HOST=DATA_DIR/postgres/run BASELINE_MEDIA_BASE=http://.../media \
        python -m uvicorn --app-dir bench/baseline-fastapi app:app --host 127.0.0.1 --port 8091 \
        --workers 1 --no-access-log

bench/run.sh starts it, checks its answer against the messenger's byte for byte, and measures it next to
the messenger (scenario 9). The pins are in bench/requirements.txt.
"""

import os
from contextlib import asynccontextmanager
from datetime import timezone

import asyncpg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

SEARCH_SQL = """
SELECT p.id, p.username, p.avatar_url, p.avatar_key, p.last_online_at,
       COALESCE(p.last_online_at > now() - make_interval(secs => 300), false) AS is_online
FROM users.profiles p WHERE lower(p.username) = lower($1) ORDER BY p.id
"""

MEDIA_BASE = os.environ.get("BASELINE_MEDIA_BASE", "").rstrip("/")
UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.pool = await asyncpg.create_pool(
        host=os.environ["BASELINE_PG_HOST"],
        port=int(os.environ.get("BASELINE_PG_PORT", "5432")),
        user=os.environ.get("BASELINE_PG_USER", "messenger"),
        database=os.environ.get("BASELINE_PG_DATABASE", "messenger"),
        min_size=20,
        max_size=20,
    )
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)


def avatar(row) -> str | None:
    """An uploaded avatar (its key under the media base URL, SigV4 path encoding) wins over a linked one."""
    key = row["avatar_key"]
    if key is None:
        return row["avatar_url"]
    encoded = "".join(chr(b) if b in UNRESERVED else f"%{b:02X}" for b in key.encode())
    return f"{MEDIA_BASE}/{encoded}"


def timestamp(value) -> str | None:
    """`YYYY-MM-DDTHH:MM:SSZ` in UTC, to the second, as the messenger writes instants."""
    return None if value is None else value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@app.get("/users/user/")
async def search(request: Request, username: str | None = None):
    user_id = request.headers.get("x-user-id", "")
    if not user_id.isdigit() or int(user_id) <= 0:
        return JSONResponse({"detail": "Not authenticated"}, status_code=401)
    if not username:
        return JSONResponse({"detail": "Query parameter 'username' is required"}, status_code=422)
    if len(username) > 64:
        return JSONResponse([])
    rows = await app.state.pool.fetch(SEARCH_SQL, username)
    # JSONResponse writes json.dumps(ensure_ascii=False, separators=(",", ":")): the messenger's bytes.
    return JSONResponse(
        [
            {
                "id": row["id"],
                "username": row["username"],
                "avatar_url": avatar(row),
                "is_online": row["is_online"],
                "last_online_at": timestamp(row["last_online_at"]),
            }
            for row in rows
        ]
    )


@app.get("/health")
async def health():
    return JSONResponse("ok")
