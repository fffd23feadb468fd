"""Load tool for the QR hub (bench/run.sh runs it with the pinned `websockets` of bench/requirements.txt).

Two modes:

flow  N hubs, all open at once: every browser joins `ws://HOST/auth_events/qr_auth/?client_id=<id>` and
      gets its hello; every phone gets a ticket from `GET /auth/encrypt_user_data/?client_id=<id>` (with
      one of a few phone users' Bearer tokens; tickets fetched concurrently, at most --concurrency at a
      time) and joins the same hub. Then each phone sends `{"op":"pending_ticket",...}`: first --serial
      hubs one at a time, then the others with at most --inflight at a time; the time from that send to
      the browser receiving `{"op":"access granted",...}` is measured for each.
idle  M browser-side hub connections are opened and left idle; RSS of the messenger process before
      and after gives the cost of one idle hub WebSocket.

Prints one line, `QR_RESULT key=value ...` or `IDLE_RESULT key=value ...`, that run.sh parses.
"""

import argparse
import asyncio
import json
import secrets
import statistics
import sys
import time
from loadkit import HTTP, bounded, percentile, rss_kb
from websockets.asyncio.client import connect


def new_client_id() -> str:
    return "bench-" + secrets.token_hex(16)


async def open_hub_client(url: str) -> object:
    """Joins a hub and waits for its hello; returns the connection."""
    ws = await connect(url, ping_interval=None, compression=None, open_timeout=60, close_timeout=5, max_queue=4)
    hello = json.loads(await asyncio.wait_for(ws.recv(), 60))
    if hello.get("op") != "hello":
        await ws.close()
        raise RuntimeError(f"expected hello, got {hello}")
    return ws


async def fetch_tickets(base: str, client_ids: list[str], tokens: list[str], concurrency: int) -> list:
    """One ticket per client id, fetched by `concurrency` workers with kept-alive connections."""
    queue: asyncio.Queue = asyncio.Queue()
    for index, client_id in enumerate(client_ids):
        queue.put_nowait((index, client_id))
    results: list = [None] * len(client_ids)

    async def worker():
        http = HTTP(base)
        try:
            while True:
                try:
                    index, client_id = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                token = tokens[index % len(tokens)]
                try:
                    status, body = await http.send(
                        "GET", f"/auth/encrypt_user_data/?client_id={client_id}", token=token
                    )
                    if status != 200:
                        results[index] = RuntimeError(f"ticket: HTTP {status} {str(body)[:200]}")
                    else:
                        results[index] = body["encrypted_user_payload"]
                except Exception as error:  # noqa: BLE001 - reported as a failed hub
                    results[index] = error
        finally:
            http.close()

    await asyncio.gather(*(worker() for _ in range(min(concurrency, len(client_ids)))))
    return results


async def exchange(browser, phone, ticket: str) -> float:
    """Sends the phone's ticket; returns seconds until the browser has `access granted`."""
    started = time.perf_counter()
    await phone.send(json.dumps({"op": "pending_ticket", "encrypted_user_payload": ticket}))
    while True:
        message = json.loads(await asyncio.wait_for(browser.recv(), 30))
        if message.get("op") == "access granted":
            elapsed = time.perf_counter() - started
            if not message.get("auth_token"):
                raise RuntimeError("access granted without auth_token")
            return elapsed
        if message.get("op") != "heartbeat_ack":
            raise RuntimeError(f"browser got {message}")


async def close_all(connections: list, concurrency: int = 200):
    await bounded(concurrency, [(lambda ws=ws: ws.close()) for ws in connections if ws is not None])


async def flow(args) -> int:
    ws_base = args.base.replace("http://", "ws://", 1) + "/auth_events/qr_auth/?client_id="
    tokens = [line.strip() for line in open(args.tokens, encoding="ascii") if line.strip()][: args.phones]
    if not tokens:
        raise SystemExit("qr_load: no phone tokens")
    rss_before = rss_kb(args.pid)
    client_ids = [new_client_id() for _ in range(args.hubs)]
    started = time.perf_counter()

    browsers = await bounded(args.concurrency, [(lambda c=c: open_hub_client(ws_base + c)) for c in client_ids])
    tickets = await fetch_tickets(args.base, client_ids, tokens, args.concurrency)
    async def open_phone(client_id, browser, ticket):
        if isinstance(browser, BaseException) or not isinstance(ticket, str):
            return None  # this hub already failed
        return await open_hub_client(ws_base + client_id)

    phones = await bounded(
        args.concurrency,
        [(lambda c=c, b=b, t=t: open_phone(c, b, t)) for c, b, t in zip(client_ids, browsers, tickets)],
    )
    setup_seconds = time.perf_counter() - started
    await asyncio.sleep(1)
    rss_peak = rss_kb(args.pid)

    failures: list[str] = []
    ready = []
    for browser, ticket, phone in zip(browsers, tickets, phones):
        for value, what in ((browser, "browser"), (ticket, "ticket"), (phone, "phone")):
            if isinstance(value, BaseException):
                failures.append(f"{what}: {value!r}")
                break
        else:
            if phone is None:
                failures.append("phone: not opened")
            else:
                ready.append((browser, phone, ticket))

    # First --serial hubs one at a time (latency with every hub open, no queueing), then the rest with
    # --inflight exchanges at once.
    serial, rest = ready[: args.serial], ready[args.serial :]
    serial_results = []
    for hub in serial:
        try:
            serial_results.append(await exchange(*hub))
        except Exception as error:  # noqa: BLE001 - reported as a failed hub
            serial_results.append(error)
    exchange_started = time.perf_counter()
    results = await bounded(args.inflight, [(lambda r=r: exchange(*r)) for r in rest])
    exchange_seconds = time.perf_counter() - exchange_started
    serial_latencies = sorted(result for result in serial_results if isinstance(result, float))
    latencies = sorted(result for result in results if isinstance(result, float))
    failures += [f"exchange: {r!r}" for r in serial_results + results if isinstance(r, BaseException)]

    await close_all([b for b in browsers if not isinstance(b, BaseException)])
    await close_all([p for p in phones if p is not None and not isinstance(p, BaseException)])
    await asyncio.sleep(2)
    rss_after = rss_kb(args.pid)

    for failure in failures[:5]:
        print(f"qr_load: {failure}", file=sys.stderr)
    ms = lambda seconds: seconds * 1000  # noqa: E731
    print(
        "QR_RESULT "
        f"hubs={args.hubs} granted={len(latencies) + len(serial_latencies)} "
        f"errors={args.hubs - len(latencies) - len(serial_latencies)} "
        f"inflight={args.inflight} phones={len(tokens)} concurrent={len(rest)} serial={len(serial)} "
        f"serial_p50_ms={ms(percentile(serial_latencies, 0.50)):.2f} "
        f"serial_p99_ms={ms(percentile(serial_latencies, 0.99)):.2f} "
        f"p50_ms={ms(percentile(latencies, 0.50)):.2f} p99_ms={ms(percentile(latencies, 0.99)):.2f} "
        f"max_ms={ms(latencies[-1] if latencies else float('nan')):.2f} "
        f"mean_ms={ms(statistics.fmean(latencies) if latencies else float('nan')):.2f} "
        f"grants_per_s={len(latencies) / exchange_seconds if exchange_seconds > 0 else 0:.1f} "
        f"setup_s={setup_seconds:.1f} "
        f"rss_before_kb={rss_before} rss_peak_kb={rss_peak} rss_after_kb={rss_after}"
    )
    return 0


async def idle(args) -> int:
    ws_base = args.base.replace("http://", "ws://", 1) + "/auth_events/qr_auth/?client_id="
    await asyncio.sleep(1)
    rss_before = rss_kb(args.pid)
    started = time.perf_counter()
    sockets = await bounded(
        args.concurrency, [(lambda: open_hub_client(ws_base + new_client_id())) for _ in range(args.sockets)]
    )
    open_seconds = time.perf_counter() - started
    opened = [ws for ws in sockets if not isinstance(ws, BaseException)]
    for failure in [ws for ws in sockets if isinstance(ws, BaseException)][:5]:
        print(f"qr_load: open: {failure!r}", file=sys.stderr)
    await asyncio.sleep(args.settle)
    rss_open = rss_kb(args.pid)
    await close_all(opened)
    await asyncio.sleep(2)
    rss_closed = rss_kb(args.pid)
    per_socket = (rss_open - rss_before) * 1024 / len(opened) if opened else float("nan")
    print(
        "IDLE_RESULT "
        f"sockets={args.sockets} opened={len(opened)} errors={args.sockets - len(opened)} "
        f"open_s={open_seconds:.1f} rss_before_kb={rss_before} rss_open_kb={rss_open} "
        f"rss_closed_kb={rss_closed} per_socket_bytes={per_socket:.0f}"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["flow", "idle"])
    parser.add_argument("--base", required=True, help="the gateway, http://127.0.0.1:PORT")
    parser.add_argument("--pid", type=int, required=True, help="the messenger process (for VmRSS)")
    parser.add_argument("--tokens", help="flow: file of phone users' access tokens, one per line")
    parser.add_argument("--phones", type=int, default=8, help="flow: how many of those tokens to use")
    parser.add_argument("--hubs", type=int, default=2000, help="flow: hubs (each a browser and a phone)")
    parser.add_argument("--inflight", type=int, default=50, help="flow: tickets sent at once")
    parser.add_argument("--serial", type=int, default=0, help="flow: hubs exchanged one at a time first")
    parser.add_argument("--sockets", type=int, default=5000, help="idle: browser-side hub connections")
    parser.add_argument("--settle", type=float, default=3, help="idle: seconds to wait before reading RSS")
    parser.add_argument("--concurrency", type=int, default=64, help="connections or ticket requests at once")
    args = parser.parse_args()
    return asyncio.run(flow(args) if args.mode == "flow" else idle(args))


if __name__ == "__main__":
    sys.exit(main())
