"""Benchmark parse_message over the generated malformed corpus and the shared MIME corpora.

Generates 10,000 messages with ``crossguard.synth.malformed`` (well-formed mail
with attachments, plus truncated MIME, broken base64, unknown charsets,
50-level nesting, zip bombs, 30 MB attachments...), parses each once, and
checks that every expected problem shows up as a parse note. Then parses every
file under ../shared/data/mime/ and compares the well-formed hot path with
``email.policy.default``. Prints tables and writes ``bench/results/parse.json``.

    .venv/bin/python bench/parse.py [--messages N] [--huge H] [--seed S] [--quick]
"""

from __future__ import annotations

import argparse
import email
import email.policy
import time
from collections import Counter, defaultdict
from email.utils import getaddresses

from lib.measure import peak_rss_mb, percentile
from lib.results import SHARED_DATA, write_result
from lib.tables import print_table

from crossguard.errors import MessageParseError
from crossguard.message import ParseLimits, parse_message, parse_outlook_msg
from crossguard.message.outlook import OLE_MAGIC
from crossguard.synth.malformed import corpus

WELL_FORMED = ("plain", "html")


def run_corpus(count: int, huge: int, seed: int) -> dict[str, object]:
    """Parse the generated corpus; count notes, exceptions and missing notes."""
    limits = ParseLimits()
    notes: Counter[str] = Counter()
    exceptions: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    seconds_by_kind: dict[str, float] = defaultdict(float)
    latencies: list[float] = []
    total_bytes = 0
    rejected = 0
    for item in corpus(count, seed, huge=huge):
        kinds[item.kind] += 1
        total_bytes += len(item.raw)
        started = time.perf_counter()
        try:
            message = parse_message(item.raw, limits)
        except MessageParseError:
            rejected += 1
            continue
        except Exception as error:  # the count must be 0; record what broke
            exceptions[type(error).__name__] += 1
            continue
        finally:
            elapsed = time.perf_counter() - started
            latencies.append(elapsed)
            seconds_by_kind[item.kind] += elapsed
        found = {note.kind for note in message.notes}
        notes.update(note.kind for note in message.notes)
        for kind in item.expected_notes - found:
            missing[f"{item.kind}:{kind}"] += 1
    seconds = sum(latencies)
    return {
        "messages": count,
        "bytes": total_bytes,
        "seconds": round(seconds, 3),
        "messages_per_second": round(count / seconds, 1),
        "mb_per_second": round(total_bytes / 1e6 / seconds, 2),
        "p50_ms": round(percentile(latencies, 50) * 1000, 3),
        "p99_ms": round(percentile(latencies, 99) * 1000, 3),
        "exceptions": sum(exceptions.values()),
        "exception_types": dict(exceptions),
        "rejected": rejected,
        "missing_notes": dict(missing),
        "notes_by_kind": dict(notes.most_common()),
        "messages_by_kind": dict(kinds.most_common()),
        "ms_per_message_by_kind": {
            kind: round(seconds_by_kind[kind] / kinds[kind] * 1000, 3) for kind in kinds
        },
    }


def run_shared() -> dict[str, object]:
    """Parse every file under shared/data/mime (.msg files through parse_outlook_msg)."""
    limits = ParseLimits()
    files = sorted(path for path in (SHARED_DATA / "mime").rglob("*") if path.is_file())
    parsed = with_notes = rejected = errors = 0
    notes: Counter[str] = Counter()
    for path in files:
        data = path.read_bytes()
        try:
            if data.startswith(OLE_MAGIC):
                message = parse_outlook_msg(data, limits)
            else:
                message = parse_message(data, limits)
        except MessageParseError:
            rejected += 1
            continue
        except Exception:  # must stay 0
            errors += 1
            continue
        parsed += 1
        with_notes += bool(message.notes)
        notes.update(note.kind for note in message.notes)
    return {
        "files": len(files),
        "parsed": parsed,
        "with_notes": with_notes,
        "rejected": rejected,
        "exceptions": errors,
        "notes_by_kind": dict(notes.most_common()),
    }


def run_hot_path(count: int, seed: int) -> dict[str, object]:
    """Well-formed mail: parse_message against email.policy.default reading the same headers."""
    raws = [s.raw for s in corpus(count * 3, seed) if s.kind in WELL_FORMED][:count]
    limits = ParseLimits()
    started = time.perf_counter()
    for raw in raws:
        parse_message(raw, limits)
    ours = time.perf_counter() - started
    started = time.perf_counter()
    for raw in raws:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        for name in ("from", "to", "cc", "reply-to", "sender"):
            getaddresses([str(value) for value in message.get_all(name, [])])
        _ = (message["subject"], message["message-id"], message["date"])
        for part in message.walk():
            if not part.is_multipart():
                part.get_content()
    default = time.perf_counter() - started
    return {
        "messages": len(raws),
        "parse_message_per_second": round(len(raws) / ours, 1),
        "policy_default_per_second": round(len(raws) / default, 1),
        "speedup": round(default / ours, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--huge", type=int, default=2, help="30 MB attachments in the corpus")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quick", action="store_true", help="500 messages, one 30 MB one")
    args = parser.parse_args()
    count, huge = (500, 1) if args.quick else (args.messages, args.huge)

    result = run_corpus(count, huge, args.seed)
    print_table(
        "parse_message over the generated corpus",
        ["messages", "MB", "exceptions", "rejected", "msgs/s", "MB/s", "p50 ms", "p99 ms"],
        [
            [
                result["messages"],
                result["bytes"] / 1e6,
                result["exceptions"],
                result["rejected"],  # type: ignore[operator]
                result["messages_per_second"],
                result["mb_per_second"],
                result["p50_ms"],
                result["p99_ms"],
            ]
        ],
    )
    print_table("notes by kind", ["kind", "notes"], list(result["notes_by_kind"].items()))  # type: ignore[attr-defined]
    by_kind = result["ms_per_message_by_kind"]
    print_table(
        "messages by kind",
        ["kind", "messages", "ms/message"],
        [[kind, n, by_kind[kind]] for kind, n in result["messages_by_kind"].items()],  # type: ignore[attr-defined,index]
    )
    print(f"missing expected notes: {result['missing_notes'] or 'none'}")

    shared = run_shared() if (SHARED_DATA / "mime").is_dir() else {}
    if shared:
        print_table(
            "shared/data/mime",
            ["files", "parsed", "with notes", "rejected", "exceptions"],
            [
                [
                    shared["files"],
                    shared["parsed"],
                    shared["with_notes"],
                    shared["rejected"],
                    shared["exceptions"],
                ]
            ],
        )
    hot = run_hot_path(200 if args.quick else 1000, args.seed + 1)
    print_table(
        "well-formed mail: parse_message vs email.policy.default",
        ["messages", "parse_message msgs/s", "policy.default msgs/s", "speed-up"],
        [
            [
                hot["messages"],
                hot["parse_message_per_second"],
                hot["policy_default_per_second"],
                hot["speedup"],
            ]
        ],
    )
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    write_result(
        "parse",
        {
            "corpus": result,
            "shared_mime": shared,
            "hot_path": hot,
            "peak_rss_mb": round(peak_rss_mb()),
        },
        quick=args.quick,
    )


if __name__ == "__main__":
    main()
