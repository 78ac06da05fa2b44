"""A loopback HTTP server farm for the link-checker benchmark (run by hand, never in tests).

One asyncio process listens on many loopback addresses (127.0.1.1, 127.0.1.2, ...; Linux
routes all of 127.0.0.0/8 to the loopback device) on one port, speaks HTTP/1.1 with
keep-alive, and answers after an injected latency. The behaviour is encoded in the path,
``/b/<kind>/<param>/<id>``, so the farm needs no per-URL configuration; :func:`manifest`
builds a deterministic URL list with the verdict each URL deserves (the ground truth).

Counters: ``GET /__stats`` returns requests, HEAD/GET split, statuses, peak in-flight
(overall and per host); ``GET /__reset`` clears them and the transient state.

    python bench/links/farm.py serve --hosts 50 --latency-ms 50
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import random
import socket
import struct
import sys
import time
from collections import Counter
from dataclasses import dataclass

#: Only this network is ever bound or named in a manifest.
LOOPBACK = ipaddress.ip_network("127.0.0.0/8")
SLOW_SECONDS = 12.0  #: beyond every tool's per-attempt timeout in the benchmark
TRANSIENT_SECONDS = 1.0  #: how long a transient URL answers 429/503 after its first hit
BIG_BODY = 2 * 1024 * 1024

# kind -> (weight, the verdict exilebib should give, whether a plain checker should pass it)
KINDS: dict[str, tuple[int, str, bool]] = {
    "ok": (40, "ok", True),
    "big": (3, "ok", True),
    "redir": (16, "redirected", True),
    "xredir": (4, "redirected", True),
    "loop": (2, "broken", False),
    "404": (8, "broken", False),
    "410": (3, "broken", False),
    "500": (3, "transient", False),
    "503": (2, "transient", False),
    "t503": (3, "ok", True),
    "t429": (4, "ok", True),
    "flaky500": (2, "ok", True),
    "head405": (4, "ok", True),
    "head403": (4, "ok", True),
    "wall": (2, "blocked", False),
    "slow": (1, "transient", False),
    "reset": (2, "transient", False),
}

REASONS = {
    200: "OK",
    301: "Moved Permanently",
    302: "Found",
    307: "Temporary Redirect",
    308: "Permanent Redirect",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    410: "Gone",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def host_address(index: int) -> str:
    """The address of host ``index`` (0-based): 127.0.1.1, ..., 127.0.1.250, 127.0.2.1, ..."""
    address = f"127.0.{1 + index // 250}.{1 + index % 250}"
    assert ipaddress.ip_address(address) in LOOPBACK
    return address


@dataclass(frozen=True)
class Expected:
    url: str
    kind: str
    verdict: str  #: what exilebib should say
    good: bool  #: what a checker with only pass/fail should say


def manifest(n: int, hosts: int, port: int, seed: int = 1, mix: str = "default") -> list[Expected]:
    """``n`` URLs with their ground truth, deterministic for a seed."""
    rng = random.Random(seed)
    kinds = list(KINDS) if mix == "default" else ["ok"]
    weights = [KINDS[kind][0] for kind in kinds]
    found: list[Expected] = []
    for number in range(n):
        kind = rng.choices(kinds, weights)[0]
        host = host_address(rng.randrange(hosts))
        if kind == "redir":
            hops = rng.randint(1, 3)
            codes = "".join(rng.choice("1278") for _ in range(hops))  # 301 302 307 308
            param = codes
        elif kind == "xredir":
            param = str(rng.randrange(hosts))
        else:
            param = "x"
        url = f"http://{host}:{port}/b/{kind}/{param}/{number}"
        _, verdict, good = KINDS[kind]
        found.append(Expected(url, kind, verdict, good))
    return found


class Farm:
    def __init__(self, latency: float, jitter: float) -> None:
        self.latency = latency
        self.jitter = jitter
        self.reset()

    def reset(self) -> None:
        self.requests = 0
        self.methods: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()
        self.agents: Counter[str] = Counter()
        self.in_flight = 0
        self.peak = 0
        self.host_in_flight: Counter[str] = Counter()
        self.host_peak = 0
        self.first_hit: dict[str, float] = {}
        self.hits: Counter[str] = Counter()

    def stats(self) -> dict[str, object]:
        return {
            "requests": self.requests,
            "methods": dict(self.methods),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "peak_in_flight": self.peak,
            "peak_per_host": self.host_peak,
            "user_agents": dict(self.agents.most_common(5)),
        }

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = ([*lines[0].split(" ", 2), "", ""])[:3]
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                if target.startswith("/__"):
                    await self.control(target, writer)
                    continue
                keep = await self.serve(host, method, target, headers, writer)
                if not keep:
                    return
        finally:
            writer.close()

    async def control(self, target: str, writer: asyncio.StreamWriter) -> None:
        if target.startswith("/__reset"):
            self.reset()
        body = json.dumps(self.stats()).encode()
        await self.send(writer, "GET", 200, {"Content-Type": "application/json"}, body)

    async def send(
        self,
        writer: asyncio.StreamWriter,
        method: str,
        status: int,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        length: int | None = None,
    ) -> None:
        lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"]
        extra = {"Content-Length": str(len(body) if length is None else length)}
        extra.update(headers or {})
        lines += [f"{name}: {value}" for name, value in extra.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        if method != "HEAD":
            writer.write(body)
        await writer.drain()

    async def serve(
        self,
        host: str,
        method: str,
        target: str,
        headers: dict[str, str],
        writer: asyncio.StreamWriter,
    ) -> bool:
        self.requests += 1
        self.methods[method] += 1
        self.agents[headers.get("user-agent", "")] += 1
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        self.host_in_flight[host] += 1
        self.host_peak = max(self.host_peak, self.host_in_flight[host])
        try:
            await asyncio.sleep(max(0.0, self.latency + random.uniform(-self.jitter, self.jitter)))
            return await self.behave(host, method, target, writer)
        except OSError:
            return False
        finally:
            self.in_flight -= 1
            self.host_in_flight[host] -= 1

    async def behave(
        self, host: str, method: str, target: str, writer: asyncio.StreamWriter
    ) -> bool:
        parts = target.split("?", 1)[0].split("/")
        if len(parts) != 5 or parts[1] != "b":
            return await self.status(writer, method, 404)
        _, _, kind, param, ident = parts
        port = writer.get_extra_info("sockname")[1]
        path = target.split("?", 1)[0]
        self.hits[path] += 1
        if kind in ("ok", "target"):
            return await self.status(writer, method, 200, body=b"<html><title>ok</title></html>")
        if kind == "big":
            self.statuses[200] += 1
            writer.write(f"HTTP/1.1 200 OK\r\nContent-Length: {BIG_BODY}\r\n\r\n".encode("latin-1"))
            if method != "HEAD":
                chunk = b"x" * 65536
                for _ in range(BIG_BODY // len(chunk)):
                    writer.write(chunk)
                    await writer.drain()
            return True
        if kind == "redir":
            if not param:
                return await self.status(writer, method, 200)
            code = {"1": 301, "2": 302, "7": 307, "8": 308}[param[0]]
            return await self.status(
                writer, method, code, {"Location": f"/b/redir/{param[1:]}/{ident}"}
            )
        if kind == "xredir":
            other = host_address(int(param))
            location = f"http://{other}:{port}/b/target/x/{ident}"
            return await self.status(writer, method, 301, {"Location": location})
        if kind == "loop":
            following = "b" if param != "b" else "a"
            return await self.status(
                writer, method, 302, {"Location": f"/b/loop/{following}/{ident}"}
            )
        if kind in ("404", "410", "500", "503"):
            return await self.status(writer, method, int(kind))
        if kind in ("t503", "t429"):
            now = time.monotonic()
            first = self.first_hit.setdefault(path, now)
            if now - first < TRANSIENT_SECONDS:
                code = 503 if kind == "t503" else 429
                return await self.status(writer, method, code, {"Retry-After": "1"})
            return await self.status(writer, method, 200)
        if kind == "flaky500":
            if self.hits[path] == 1:
                return await self.status(writer, method, 500)
            return await self.status(writer, method, 200)
        if kind == "head405":
            return await self.status(writer, method, 405 if method == "HEAD" else 200)
        if kind == "head403":
            return await self.status(writer, method, 403 if method == "HEAD" else 200)
        if kind == "wall":
            return await self.status(
                writer, method, 403, {"cf-mitigated": "challenge", "Server": "cloudflare"}
            )
        if kind == "slow":
            await asyncio.sleep(SLOW_SECONDS)
            return await self.status(writer, method, 200)
        if kind == "reset":
            sock = writer.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return False
        return await self.status(writer, method, 404)

    async def status(
        self,
        writer: asyncio.StreamWriter,
        method: str,
        code: int,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
    ) -> bool:
        self.statuses[code] += 1
        await self.send(writer, method, code, headers, body)
        return True


async def serve(hosts: int, port: int, latency: float, jitter: float) -> None:
    farm = Farm(latency, jitter)
    servers = []
    for index in range(hosts):
        servers.append(
            await asyncio.start_server(farm.handle, host_address(index), port, backlog=1024)
        )
    print(f"READY {port}", flush=True)
    await asyncio.gather(*(server.serve_forever() for server in servers))


def free_port(hosts: int) -> int:
    """A port free on all the farm's addresses."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind((host_address(0), 0))
            port = int(probe.getsockname()[1])
        try:
            for index in range(hosts):
                with socket.socket() as test:
                    test.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    test.bind((host_address(index), port))
            return port
        except OSError:
            continue
    raise SystemExit("no port free on all farm addresses")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("serve")
    run.add_argument("--hosts", type=int, default=50)
    run.add_argument("--port", type=int, default=0)
    run.add_argument("--latency-ms", type=float, default=50.0)
    run.add_argument("--jitter-ms", type=float, default=10.0)
    args = parser.parse_args()
    port = args.port or free_port(args.hosts)
    try:
        asyncio.run(serve(args.hosts, port, args.latency_ms / 1000, args.jitter_ms / 1000))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
