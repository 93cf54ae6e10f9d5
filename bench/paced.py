"""LINE webhook acknowledgement latency at a fixed rate of events, for `make bench`.

Debian's wrk has no fixed-rate mode (wrk2's ``-R``), and wrk's closed loop would measure how
fast the webhook can go, not how long LINE waits for its 200 at a given load. So this small
Python client paces the requests itself: request ``i`` is due at ``start + i / rate`` and is
sent by the first free thread of a pool (``THREADS`` keep-alive connections); its latency is
counted from the moment it was *due*, so a late send counts against the server (no coordinated
omission, as wrk2 corrects it). Each request carries one event, as LINE usually sends them,
signed with the channel secret (``X-Line-Signature``: base64 HMAC-SHA256 of the body): text
messages from ``users`` simulated users, each of whose turn queues a reply that the worker sends
to the local fake LINE API (lineoa.simulator.FakeLine) after the 200.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import queue
import statistics
import threading
import time
import uuid
from urllib.parse import urlsplit

THREADS = 16
WORDS = ("สวัสดีครับ", "แจ้งเรื่อง", "ถนนชำรุด", "ไฟฟ้าส่องสว่างดับ", "เมนู", "ยกเลิก")


def sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def body_of(number: int, users: int) -> bytes:
    user = "U" + hashlib.sha256(f"bench-user:{number % users}".encode()).hexdigest()[:32]
    event = {
        "type": "message",
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "webhookEventId": uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False},
        "source": {"type": "user", "userId": user},
        "replyToken": uuid.uuid4().hex,
        "message": {
            "id": str(10**9 + number),
            "type": "text",
            "text": WORDS[number % len(WORDS)],
            "quoteToken": "q",
        },
    }
    return json.dumps({"destination": "Ubench", "events": [event]}).encode()


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def run(url: str, secret: str, *, rate: float, seconds: float, users: int = 200) -> dict:
    """Send ``rate`` signed events per second for ``seconds``; the acknowledgement latencies."""
    parts = urlsplit(url)
    total = int(rate * seconds)
    bodies = [body_of(n, users) for n in range(total)]  # built before the clock starts
    due: queue.Queue = queue.Queue()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = [0]
    lock = threading.Lock()

    def worker() -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while True:
            item = due.get()
            if item is None:
                return
            at, body = item
            wait = at - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            try:
                connection.request(
                    "POST",
                    parts.path,
                    body=body,
                    headers={
                        "Content-Type": "application/json",
                        "X-Line-Signature": sign(secret, body),
                    },
                )
                response = connection.getresponse()
                response.read()
                status = response.status
            except OSError:
                connection.close()
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
                with lock:
                    errors[0] += 1
                continue
            took = time.perf_counter() - at
            with lock:
                latencies.append(took * 1000)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    start = time.perf_counter() + 0.2
    for number, body in enumerate(bodies):
        due.put((start + number / rate, body))
    for _ in threads:
        due.put(None)
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    ordered = sorted(latencies)
    return {
        "rate": rate,
        "seconds": seconds,
        "events": total,
        "achieved_rate": round(len(ordered) / elapsed, 1) if elapsed > 0 else 0.0,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "socket_errors": errors[0],
        "p50_ms": round(percentile(ordered, 0.50), 1) if ordered else None,
        "p95_ms": round(percentile(ordered, 0.95), 1) if ordered else None,
        "p99_ms": round(percentile(ordered, 0.99), 1) if ordered else None,
        "max_ms": round(ordered[-1], 1) if ordered else None,
        "mean_ms": round(statistics.fmean(ordered), 1) if ordered else None,
        "client_threads": THREADS,
    }
