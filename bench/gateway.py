"""SMTP gateway throughput and added latency, end to end, with a customer index.

Builds an index of generated customers with ``crossguard index build``, starts
``crossguard serve smtp`` as its own process (SQLite store by default, or
``--postgres``), and an upstream sink in this process. Client threads send
the seeded customer-care corpus (1-6 KB mails) over persistent SMTP
connections. The same clients first send straight to the sink: the latency
the gateway adds is the difference of the DATA reply times. Every message
the gateway accepted must reach the sink or the quarantine (counted by
Message-ID): ``lost`` must be 0, and none may arrive twice (``doubled``).

On a machine with two or more cores the gateway process is pinned to one core
and this process (the SMTP clients and the upstream sink: the load generator)
to the others (``os.sched_setaffinity``), so the gateway's own CPU per message
(``utime + stime`` of its process in ``/proc/<pid>/stat`` over the run, divided
by the messages sent) is what decides its throughput; the gateway's
``crossguard_thread_cpu_seconds_total`` (its ``/metrics``) splits it by thread
pool: checks, group commits, spool files, the SMTP event loop. The run ends
with the issue's aims, pass or short: >= 500 msg/s end to end on SQLite, >= 300
on PostgreSQL, 0 lost, 0 doubled.

    .venv/bin/python bench/gateway.py [--quick] [--messages N] [--clients C] [--postgres]
        [--index bench/.cache/index-1000000] [--no-pin]

The full run uses the 1,000,000-customer index ``bench/index.py`` keeps (the
folder its results name, else ``bench/.cache/index-1000000``); without one it
says so and builds ``--customers`` customers. ``--index DIR`` names a folder
kept by ``bench/index.py --keep DIR`` (its ``index``, ``key`` and
``customers.csv``). With a kept index the mails address its first 20,000
customers. ``--quick`` builds a 2,000-customer index.
"""

from __future__ import annotations

import argparse
import csv
import os
import pstats
import re
import shutil
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from email.parser import BytesHeaderParser
from functools import partial
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from lib import measure, results, tables
from lib.corpus import messages
from prometheus_client.parser import text_string_to_metric_families

from crossguard.gateway.metrics import cpu_seconds
from crossguard.store.settings import StoreSettings
from crossguard.store.store import Store
from crossguard.synth.customers import Customer, generate_customers, write_customers_csv

KEY_HEX = "42" * 32
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3D{schema}"
CLI = Path(sys.executable).parent / "crossguard"
THREADPROF = Path(__file__).parent / "lib" / "threadprof.py"
#: Where the gateway's CPU goes, by the function that opens each stage (``--profile``).
STAGES = (
    ("Guard.check (detect, index, policy)", "scan.py", "check"),
    ("SMTP session in (aiosmtpd, acceptor on the loop)", "aiosmtpd/smtp.py", "_handle_client"),
    ("spool file write (fsync file and folder)", "spool.py", "write"),
    ("group commits (decisions, counter, claims, finishes)", "batch.py", "_commit"),
    ("relay out (aiosmtplib, settle)", "relay.py", "_deliver"),
    ("relay settle in the I/O pool", "relay.py", "_settle"),
    ("logging", "logging/__init__.py", "_log"),
    ("event loop select (waiting, I/O)", "selectors.py", "select"),
)
#: The issue's aims: end-to-end msg/s per store, with nothing lost or doubled.
AIMS = {"sqlite": 500.0, "postgresql": 300.0}


def placement(pin: bool) -> tuple[set[int] | None, set[int] | None, str]:
    """(gateway cores, load generator cores, how it was placed) on this machine."""
    cores = sorted(os.sched_getaffinity(0))
    if not pin or len(cores) < 2:
        why = "asked not to" if not pin else "one core only"
        return None, None, f"not pinned ({why}): gateway and load generator share the cores"
    gateway, load = {cores[0]}, set(cores[1:])
    return gateway, load, (f"gateway pinned to CPU {cores[0]}, load generator (clients and "
                           f"upstream sink) to CPU {','.join(map(str, sorted(load)))}")


class Sink:
    """Upstream MTA: records each Message-ID with its arrival time."""

    def __init__(self, port: int) -> None:
        self.arrivals: list[tuple[str, float]] = []
        self._lock = threading.Lock()
        self._parser = BytesHeaderParser()
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msgid = str(self._parser.parsebytes(envelope.content)["Message-ID"])
        with self._lock:
            self.arrivals.append((msgid, time.perf_counter()))
        return "250 2.0.0 ok"

    def count(self) -> int:
        with self._lock:
            return len(self.arrivals)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def send_all(port: int, corpus: list[tuple[str, str, bytes]], clients: int
             ) -> tuple[list[float], set[str], float, Counter[int]]:
    """Send over ``clients`` connections: (latencies s, accepted, wall s, reply codes)."""
    latencies: list[float] = []
    accepted: set[str] = set()
    codes: Counter[int] = Counter()
    lock = threading.Lock()

    def worker(share: list[tuple[str, str, bytes]]) -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=120) as client:
            client.ehlo()
            for msgid, rcpt, raw in share:
                started = time.perf_counter()
                client.mail("care.team@example.com")
                client.rcpt(rcpt)
                code, _ = client.data(raw)
                elapsed = time.perf_counter() - started
                with lock:
                    codes[code] += 1
                    latencies.append(elapsed)
                    if code == 250:
                        accepted.add(msgid)

    threads = [threading.Thread(target=worker, args=(corpus[i::clients],))
               for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, accepted, time.perf_counter() - started, codes


def gateway_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the gateway process has used so far."""
    seconds = cpu_seconds(Path(f"/proc/{pid}/stat"))
    if seconds is None:
        raise SystemExit(f"no /proc/{pid}/stat: the gateway's CPU cannot be read")
    return seconds


def thread_cpu(metrics_port: int) -> dict[str, float]:
    """The gateway's CPU seconds so far by thread pool, from its /metrics."""
    with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10) as reply:
        text = reply.read().decode()
    return {sample.labels["thread"]: sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples
            if sample.name == "crossguard_thread_cpu_seconds_total"}


def build_index(work: Path, customers: int) -> tuple[Path, list[Any]]:
    people = generate_customers(customers, seed=11)
    table = write_customers_csv(people, work / "customers.csv")
    index = work / "index"
    subprocess.run([str(CLI), "index", "build", str(table), "--out", str(index)], check=True,
                   env={**os.environ, "CROSSGUARD_KEY": KEY_HEX}, capture_output=True)
    return index, people


def kept_index(folder: Path, people: int = 20_000) -> tuple[Path, str, int, list[Customer]]:
    """(index, key hex, customers in it, the first ``people`` of them) of a kept bench index."""
    found: list[Customer] = []
    total = 0
    with (folder / "customers.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            total += 1
            if len(found) < people:
                street, city, state = [*row["address"].rsplit(", ", 2), "", ""][:3]
                found.append(Customer(
                    customer_id=row["customer_id"], name=row["name"], email=row["email"],
                    phone=row["phone"], street=street, city=city, state=state,
                    postcode=row["postcode"], dob=row["dob"], card=row["card"],
                    driver_licence=row["driver_licence"], passport=row["passport"],
                    national_id=row["national_id"],
                    order_ids=[o for o in re.split(r"[;|, ]+", row["order_ids"]) if o]
                    or ["ORD-00000000"],
                    country=row["country"] or "US",
                ))
    return folder / "index", (folder / "key").read_text().strip(), total, found


def default_index() -> Path | None:
    """The folder of the index bench/index.py kept (its results say where), if it is complete
    and opens with this crossguard (else this run builds its own)."""
    reported = results.load_result("index") or {}
    folders = [results.CACHE / "index-1000000"]
    if reported.get("index_path"):
        folders.insert(0, (results.ROOT / reported["index_path"]).parent)  # absolute stays
    for folder in folders:
        if ((folder / "key").exists() and (folder / "customers.csv").exists()
                and results.index_opens(folder / "index",
                                        bytes.fromhex((folder / "key").read_text().strip()))):
            return folder
    return None


def run(count: int, clients: int, customers: int, postgres: bool, sync: str,
        kept: Path | None = None, pin: bool = True, profile: Path | None = None
        ) -> dict[str, Any]:
    load_before = round(os.getloadavg()[0], 2)
    gateway_cores, load_cores, placed = placement(pin)
    if load_cores is not None:
        os.sched_setaffinity(0, load_cores)  # before the sink's and clients' threads start
    work = Path(tempfile.mkdtemp(prefix="crossguard-bench-gateway-"))
    key = KEY_HEX
    if kept is not None:
        index, key, customers, people = kept_index(kept)
    else:
        index, people = build_index(work, customers)
    corpus = []
    for number, raw in enumerate(messages(count, 23, people)):
        data = raw.encode("utf-8").replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")  # SMTP: CRLF
        head = BytesHeaderParser().parsebytes(data)
        corpus.append((f"<bench-23-{number}@example.com>", str(head["To"]), data))
    schema = f"bench_{os.getpid()}"
    url = f"sqlite:///{work / 'store.db'}"
    if postgres:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as c:
            c.execute(f"CREATE SCHEMA {schema}")
        url = PG_URL.format(schema=schema)
    sink = Sink(free_port())
    sink.controller.start()
    port, metrics_port = free_port(), free_port()
    (work / "crossguard.toml").write_text(
        f'[store]\nurl = "{url}"\nspool_dir = "{work / "spool"}"\nsqlite_synchronous = "{sync}"\n'
        f'[gateway]\nupstream = "127.0.0.1:{sink.controller.port}"\n'
        f'metrics_listen = "127.0.0.1:{metrics_port}"\n'
        "[policy.rules.bulk_send]\nmode = \"sender\"\nmax_recipients = 1000000\n",
        encoding="utf-8")
    direct_lat, _, _, _ = send_all(sink.controller.port, corpus[: min(300, count)], clients)
    sink.arrivals.clear()
    log = (work / "gateway.log").open("wb")
    launch = [str(CLI)] if profile is None else [sys.executable, str(THREADPROF), str(profile)]
    gateway = subprocess.Popen(
        [*launch, "serve", "smtp", "--config", str(work / "crossguard.toml"),
         "--listen", f"127.0.0.1:{port}", "--index", str(index)],
        stdout=log, stderr=log, env={**os.environ, "CROSSGUARD_KEY": key},
        preexec_fn=None if gateway_cores is None else partial(os.sched_setaffinity, 0,
                                                              gateway_cores))
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with smtplib.SMTP("127.0.0.1", port, timeout=2) as probe:
                    probe.noop()
                break
            except OSError:
                if gateway.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit((work / "gateway.log").read_text()[-2000:]) from None
                time.sleep(0.2)
        cpu_before, threads_before = gateway_cpu_seconds(gateway.pid), thread_cpu(metrics_port)
        started = time.perf_counter()
        latencies, accepted, accept_wall, codes = send_all(port, corpus, clients)
        store = Store(StoreSettings(url=url, spool_dir=work / "spool"), secret_key=None)
        held_ids = {e.message_id for e in store.quarantine.list(limit=count * 2)}
        expected = len(accepted - held_ids)
        deadline = time.monotonic() + 300
        while sink.count() < expected and time.monotonic() < deadline:
            time.sleep(0.05)
        delivered_at = max((t for _, t in sink.arrivals), default=started)
        held_ids = {e.message_id for e in store.quarantine.list(limit=count * 2)}
        store.close()
        gateway_cpu = gateway_cpu_seconds(gateway.pid) - cpu_before
        threads = {pool: seconds - threads_before.get(pool, 0.0)
                   for pool, seconds in thread_cpu(metrics_port).items()}
    finally:
        gateway.terminate()
        gateway.wait(60)
        sink.controller.stop()
        log.close()
        if postgres:
            import psycopg

            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test",
                                 autocommit=True) as c:
                c.execute(f"DROP SCHEMA {schema} CASCADE")
        if os.environ.get("BENCH_KEEP"):
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    delivered = {msgid for msgid, _ in sink.arrivals}
    lost = accepted - delivered - held_ids
    doubled = len(sink.arrivals) - len(delivered)
    p = measure.percentile
    ms = [x * 1000 for x in latencies]
    direct_ms = [x * 1000 for x in direct_lat]
    end_to_end = round(len(delivered) / max(delivered_at - started, 1e-9), 1)
    aim = AIMS["postgresql" if postgres else "sqlite"]
    return {
        "store": "postgresql" if postgres else f"sqlite (synchronous={sync})",
        "placement": placed,
        "messages": count, "clients": clients, "index_customers": customers,
        "replies": {str(code): n for code, n in sorted(codes.items())},
        "accepted": len(accepted), "delivered": len(delivered), "held": len(held_ids),
        "lost": len(lost), "doubled": doubled,
        "accept_msgs_per_s": round(count / accept_wall, 1),
        "end_to_end_msgs_per_s": end_to_end,
        "aim_msgs_per_s": aim,
        "aim_met": end_to_end >= aim and not lost and not doubled,
        "gateway_cpu_ms_per_message": round(gateway_cpu * 1000 / count, 2),
        "gateway_cpu_ms_per_message_by_thread": {
            pool: round(seconds * 1000 / count, 2)
            for pool, seconds in sorted(threads.items(), key=lambda item: -item[1])
            if seconds > 0},
        "load_average_before": load_before,
        "latency_ms": {"p50": round(p(ms, 50), 2), "p99": round(p(ms, 99), 2)},
        "direct_latency_ms": {"p50": round(p(direct_ms, 50), 2),
                              "p99": round(p(direct_ms, 99), 2)},
        "added_latency_ms": {"p50": round(p(ms, 50) - p(direct_ms, 50), 2),
                             "p99": round(p(ms, 99) - p(direct_ms, 99), 2)},
    }


def print_profile(path: Path, count: int) -> None:
    """CPU ms per message of each stage (cumulative, so stages may nest), from the pstats."""
    stats: Any = pstats.Stats(str(path))
    total = sum(tt for _, _, tt, _, _ in stats.stats.values())
    rows = []
    for label, file, function in STAGES:
        cumulative = sum(ct for (name, _, func), (_, _, _, ct, _) in stats.stats.items()
                         if func == function and name.endswith(file))
        rows.append([label, round(cumulative * 1000 / count, 3),
                     f"{100 * cumulative / max(total, 1e-9):.1f}%"])
    rows.append(["all threads (under the profiler)", round(total * 1000 / count, 3), "100%"])
    tables.print_table(f"gateway CPU by stage, per message ({path})", ["stage", "ms", "share"],
                       rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--postgres", action="store_true", help="store on the local PostgreSQL")
    parser.add_argument("--sqlite-sync", choices=["FULL", "NORMAL"], default="FULL",
                        help="store.sqlite_synchronous for the run")
    parser.add_argument("--quick", action="store_true", help="500 messages, 2,000 customers")
    parser.add_argument("--profile", type=Path, default=None, metavar="OUT.pstats",
                        help="run the gateway under cProfile (every thread, on its own CPU "
                             "clock), write the stats there and print where the CPU went")
    parser.add_argument("--no-pin", action="store_true",
                        help="leave gateway and load generator unpinned")
    parser.add_argument("--index", type=Path, default=None,
                        help="index folder kept by bench/index.py --keep DIR (full-run default: "
                             "the one bench/index.py kept)")
    args = parser.parse_args()
    count = 500 if args.quick else args.messages
    kept = args.index
    if kept is None and not args.quick:
        kept = default_index()
        if kept is None:
            print(f"note: no kept 1,000,000-customer index (bench/index.py makes one); "
                  f"building {args.customers:,} customers instead", flush=True)
    result = run(count, args.clients, 2_000 if args.quick else args.customers, args.postgres,
                 args.sqlite_sync, kept, pin=not args.no_pin, profile=args.profile)
    print(result["placement"])
    customers = result["index_customers"]
    tables.print_table(
        f"SMTP gateway ({result['store']} store, {count} messages, {args.clients} clients, "
        f"index of {customers:,} customers)",
        ["accepted msg/s", "end-to-end msg/s", "gateway CPU ms/msg", "p50 ms", "p99 ms",
         "added p50 ms", "added p99 ms", "held", "lost", "doubled"],
        [[result["accept_msgs_per_s"], result["end_to_end_msgs_per_s"],
          result["gateway_cpu_ms_per_message"],
          result["latency_ms"]["p50"], result["latency_ms"]["p99"],
          result["added_latency_ms"]["p50"], result["added_latency_ms"]["p99"],
          result["held"], result["lost"], result["doubled"]]],
    )
    by_thread = result["gateway_cpu_ms_per_message_by_thread"]
    tables.print_table("gateway CPU per message by thread pool (its /metrics)",
                       ["thread pool", "CPU ms/msg"], [list(row) for row in by_thread.items()])
    verdict = "pass" if result["aim_met"] else "short"
    print(f"aim: >= {result['aim_msgs_per_s']:.0f} msg/s end to end, 0 lost, 0 doubled: "
          f"{verdict} ({result['end_to_end_msgs_per_s']} msg/s, {result['lost']} lost, "
          f"{result['doubled']} doubled; gateway CPU {result['gateway_cpu_ms_per_message']} "
          f"ms/msg)")
    if args.profile is not None:
        print_profile(args.profile, count)
    name = "gateway" if not args.postgres else "gateway_postgres"
    results.write_result(name, result, quick=args.quick)


if __name__ == "__main__":
    main()
