"""Load tool for the real-time gateway WebSocket, /gateway/ws/ (bench/run.sh runs it with the pinned
`websockets` of bench/requirements.txt).

Three modes, each printing one `GATEWAY_RESULT key=value ...` line that run.sh parses:

idle    N connections identify (tokens round-robin) and stay open: RSS of the messenger before and
        after gives the bytes per identified connection. Then two windows of --window seconds: one
        with the connections silent, one with every connection sending a heartbeat every --beat
        seconds; the difference in the messenger's CPU time, divided by the heartbeats, is the CPU per
        heartbeat.
fanout  --members users (logged in here) form a group; each keeps one identified connection. Messages
        are posted through the REST API at --rate per second for --seconds (open loop, a few posters);
        for every member and message, the time from the POST's answer to the MESSAGE_CREATE's arrival
        is one delivery. Prints p50/p99 of those and deliveries per second.
resume  one user identifies and leaves; --behind messages are posted to them; the time from sending
        `resume` to receiving RESUMED, with every missed event replayed in order.
"""

import argparse
import asyncio
import base64
import json
import sys
import time
from loadkit import HTTP, bounded, cpu_seconds, percentile, rss_kb
from websockets.asyncio.client import connect


def user_id_of(token: str) -> int:
    payload = token.split(".")[1]
    return int(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"])


async def identify(url: str, token: str):
    """Connects, identifies; returns (connection, READY's d, READY's s)."""
    ws = await connect(url, ping_interval=None, compression=None, open_timeout=60, close_timeout=5, max_size=2**24)
    hello = json.loads(await asyncio.wait_for(ws.recv(), 60))
    if hello.get("op") != "hello":
        raise RuntimeError(f"expected hello, got {hello}")
    await ws.send(json.dumps({"op": "identify", "d": {"token": token}}))
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
        if frame.get("t") == "READY":
            return ws, frame["d"], frame["s"]
        if frame.get("op") != "dispatch":
            raise RuntimeError(f"expected READY, got {str(frame)[:200]}")


async def login_all(base: str, emails: list[str], password: str, concurrency: int = 4) -> list[str]:
    async def login(email):
        http = HTTP(base)
        try:
            status, body = await http.send("POST", "/auth/login/", {"email": email, "password": password})
            if status != 200:
                raise RuntimeError(f"login {email}: HTTP {status} {body}")
            return body["token"]
        finally:
            http.close()

    results = await bounded(concurrency, [(lambda e=e: login(e)) for e in emails])
    failures = [r for r in results if isinstance(r, BaseException)]
    if failures:
        raise RuntimeError(f"{len(failures)} logins failed: {failures[0]!r}")
    return results


async def idle(args) -> int:
    url = args.base.replace("http://", "ws://", 1) + "/gateway/ws/"
    tokens = [line.split()[-1] for line in open(args.tokens, encoding="ascii") if line.strip()][1:]
    await asyncio.sleep(1)
    rss_before = rss_kb(args.pid)
    sockets: list = []
    drains: list = []

    async def drain(ws):
        try:
            while True:
                await ws.recv()
        except Exception:  # noqa: BLE001 - closed at the end
            return

    async def open_one(index: int):
        ws, _, _ = await identify(url, tokens[index % len(tokens)])
        sockets.append(ws)
        drains.append(asyncio.create_task(drain(ws)))

    async def heartbeat_all():
        await asyncio.gather(*(ws.send('{"op":"heartbeat","d":null}') for ws in list(sockets)), return_exceptions=True)

    # Opening 10,000 takes longer than the server's heartbeat timeout: the open ones keep beating.
    async def keep_alive():
        while True:
            await asyncio.sleep(15)
            await heartbeat_all()

    keeper = asyncio.create_task(keep_alive())
    started = time.perf_counter()
    results = await bounded(args.concurrency, [(lambda i=i: open_one(i)) for i in range(args.sockets)])
    open_seconds = time.perf_counter() - started
    keeper.cancel()
    for failure in [r for r in results if isinstance(r, BaseException)][:5]:
        print(f"gateway_load: identify: {failure!r}", file=sys.stderr)
    await heartbeat_all()
    await asyncio.sleep(args.settle)
    rss_open = rss_kb(args.pid)

    # Window 1: silent connections (the gateway's own per-second checks only).
    await heartbeat_all()
    await asyncio.sleep(1)
    cpu_start = cpu_seconds(args.pid)
    await asyncio.sleep(args.window)
    silent_cpu = cpu_seconds(args.pid) - cpu_start

    # Window 2: every connection heartbeats every --beat seconds, spread evenly.
    beats = 0
    stop = time.perf_counter() + args.window

    async def beat(ws, offset):
        nonlocal beats
        await asyncio.sleep(offset)
        while time.perf_counter() < stop:
            await ws.send('{"op":"heartbeat","d":null}')
            beats += 1
            await asyncio.sleep(args.beat)

    cpu_start = cpu_seconds(args.pid)
    await asyncio.gather(*(beat(ws, args.beat * i / len(sockets)) for i, ws in enumerate(sockets)))
    beating_cpu = cpu_seconds(args.pid) - cpu_start
    elapsed = args.window + args.beat  # the last beats start up to one interval after the window opened
    await bounded(200, [(lambda ws=ws: ws.close()) for ws in sockets])
    for task in drains:
        task.cancel()
    await asyncio.sleep(2)
    rss_closed = rss_kb(args.pid)
    per_socket = (rss_open - rss_before) * 1024 / len(sockets) if sockets else float("nan")
    silent_rate = silent_cpu / args.window
    per_beat_us = (beating_cpu - silent_rate * elapsed) / beats * 1e6 if beats else float("nan")
    print(
        "GATEWAY_RESULT "
        f"sockets={args.sockets} opened={len(sockets)} errors={args.sockets - len(sockets)} open_s={open_seconds:.1f} "
        f"rss_before_kb={rss_before} rss_open_kb={rss_open} rss_closed_kb={rss_closed} per_socket_bytes={per_socket:.0f} "
        f"window_s={args.window:.0f} silent_cpu_pct={silent_rate * 100:.1f} "
        f"beating_cpu_pct={beating_cpu / elapsed * 100:.1f} heartbeats={beats} per_heartbeat_us={per_beat_us:.1f}"
    )
    return 0


async def fanout(args) -> int:
    url = args.base.replace("http://", "ws://", 1) + "/gateway/ws/"
    emails = [line.strip() for line in open(args.emails, encoding="ascii") if line.strip()]
    tokens = await login_all(args.base, emails[args.first : args.first + args.members], args.password)
    ids = [user_id_of(token) for token in tokens]
    http = HTTP(args.base)
    status, group = await http.send(
        "POST", "/private/groups/", {"title": "Fan-out bench", "member_ids": ids[1:]}, tokens[0]
    )
    if status != 201:
        raise RuntimeError(f"group: HTTP {status} {group}")
    chat_id = group["chat_id"]
    results = await bounded(32, [(lambda t=t: identify(url, t)) for t in tokens])
    failures = [r for r in results if isinstance(r, BaseException)]
    if failures:
        raise RuntimeError(f"{len(failures)} identifies failed: {failures[0]!r}")
    sockets = [r[0] for r in results]

    answered: dict[int, float] = {}
    received: list[tuple[int, float]] = []
    total = int(args.rate * args.seconds)
    expected = total * len(sockets)

    async def receive(ws):
        try:
            while True:
                text = await ws.recv()
                now = time.perf_counter()
                if '"t":"MESSAGE_CREATE"' in text:
                    frame = json.loads(text)
                    if frame["d"]["chat_id"] == chat_id and frame["d"]["type"] == "default":
                        received.append((frame["d"]["id"], now))
        except Exception:  # noqa: BLE001 - closed at the end
            return

    receivers = [asyncio.create_task(receive(ws)) for ws in sockets]
    posters = [HTTP(args.base) for _ in range(args.posters)]
    started = time.perf_counter()
    errors = 0

    async def post(index: int):
        nonlocal errors
        await asyncio.sleep(max(0.0, started + index / args.rate - time.perf_counter()))
        client = posters[index % len(posters)]
        status, body = await client.send(
            "POST", f"/private/add-message/{chat_id}/", {"text": f"fan-out {index}"}, tokens[index % len(tokens)]
        )
        if status != 200:
            errors += 1
            return
        answered[body["id"]] = time.perf_counter()

    # Each poster sends its posts in order (one kept-alive connection each).
    async def poster(number: int):
        for index in range(number, total, len(posters)):
            await post(index)

    cpu_start = cpu_seconds(args.pid) if args.pid else 0.0
    await asyncio.gather(*(poster(n) for n in range(len(posters))))
    post_seconds = time.perf_counter() - started
    deadline = time.perf_counter() + 30
    while len(received) < (total - errors) * len(sockets) and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    # The messenger's CPU over the whole window (the posts it answered included), per event delivered.
    cpu = cpu_seconds(args.pid) - cpu_start if args.pid else float("nan")
    last = max((t for _, t in received), default=started)
    latencies = sorted(max(0.0, t - answered[i]) * 1000 for i, t in received if i in answered)
    for task in receivers:
        task.cancel()
    await bounded(100, [(lambda ws=ws: ws.close()) for ws in sockets])
    for client in posters + [http]:
        client.close()
    print(
        "GATEWAY_RESULT "
        f"members={len(sockets)} messages={total} post_errors={errors} post_s={post_seconds:.1f} "
        f"expected={expected} delivered={len(received)} deliveries_per_s={len(received) / (last - started):.0f} "
        f"p50_ms={percentile(latencies, 0.5):.2f} p99_ms={percentile(latencies, 0.99):.2f} "
        f"max_ms={latencies[-1] if latencies else float('nan'):.2f} "
        f"cpu_s={cpu:.2f} cpu_per_delivery_us={cpu / max(1, len(received)) * 1e6:.1f}"
    )
    return 0


async def resume(args) -> int:
    url = args.base.replace("http://", "ws://", 1) + "/gateway/ws/"
    emails = [line.strip() for line in open(args.emails, encoding="ascii") if line.strip()]
    reader_token, writer_token = await login_all(args.base, emails[args.first : args.first + 2], args.password)
    http = HTTP(args.base)
    status, body = await http.send(
        "POST", "/private/start-chat/", {"recipient_id": user_id_of(reader_token)}, writer_token
    )
    if status != 200:
        raise RuntimeError(f"start-chat: HTTP {status} {body}")
    chat_id = body["chat_id"]
    ws, ready, sequence = await identify(url, reader_token)
    await ws.close()
    posters = [HTTP(args.base) for _ in range(8)]

    async def poster(number: int):
        for index in range(number, args.behind, len(posters)):
            status, _ = await posters[number].send(
                "POST", f"/private/add-message/{chat_id}/", {"text": f"missed {index}"}, writer_token
            )
            if status != 200:
                raise RuntimeError(f"add-message: HTTP {status}")

    await asyncio.gather(*(poster(n) for n in range(len(posters))))
    await asyncio.sleep(1)  # every event numbered
    ws = await connect(url, ping_interval=None, compression=None, open_timeout=60, max_size=2**24)
    await ws.recv()  # hello
    started = time.perf_counter()
    await ws.send(
        json.dumps({"op": "resume", "d": {"token": reader_token, "session_id": ready["session_id"], "seq": sequence}})
    )
    replayed, last, ordered = 0, sequence, True
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
        if frame.get("t") == "RESUMED":
            break
        if frame.get("op") != "dispatch":
            raise RuntimeError(f"resume: {frame}")
        ordered = ordered and frame["s"] > last
        last = frame["s"]
        replayed += frame["t"] == "MESSAGE_CREATE"
    elapsed = time.perf_counter() - started
    await ws.close()
    for client in posters + [http]:
        client.close()
    print(
        "GATEWAY_RESULT "
        f"behind={args.behind} replayed={replayed} in_order={int(ordered)} resume_ms={elapsed * 1000:.1f}"
    )
    return 0 if replayed == args.behind and ordered else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["idle", "fanout", "resume"])
    parser.add_argument("--base", required=True, help="the gateway, http://127.0.0.1:PORT")
    parser.add_argument("--pid", type=int, help="idle, fanout: the messenger process (VmRSS, CPU time)")
    parser.add_argument("--tokens", help="idle: file whose lines end with an access token (the first is skipped)")
    parser.add_argument("--sockets", type=int, default=10000, help="idle: identified connections")
    parser.add_argument("--settle", type=float, default=3, help="idle: seconds before reading RSS")
    parser.add_argument("--window", type=float, default=20, help="idle: seconds of each CPU window")
    parser.add_argument("--beat", type=float, default=10, help="idle: seconds between a connection's heartbeats")
    parser.add_argument("--concurrency", type=int, default=100, help="idle: identifies at once")
    parser.add_argument("--emails", help="fanout, resume: file of users' e-mails, one per line")
    parser.add_argument("--password", help="fanout, resume: their password")
    parser.add_argument("--first", type=int, default=0, help="fanout, resume: index of the first e-mail used")
    parser.add_argument("--members", type=int, default=100, help="fanout: group members, all connected")
    parser.add_argument("--rate", type=float, default=100, help="fanout: messages per second")
    parser.add_argument("--seconds", type=float, default=10, help="fanout: seconds of posting")
    parser.add_argument("--posters", type=int, default=8, help="fanout: HTTP connections posting")
    parser.add_argument("--behind", type=int, default=1000, help="resume: events missed")
    args = parser.parse_args()
    mode = {"idle": idle, "fanout": fanout, "resume": resume}[args.mode]
    return asyncio.run(mode(args))


if __name__ == "__main__":
    sys.exit(main())
