"""Parsing robustness over the outside mail corpora in shared/data/mime/.

Every file is parsed with ``parse_message`` (or ``parse_outlook_msg`` for an
OLE2 Outlook file): counts of parsed messages, messages with parse notes,
refusals (``MessageParseError``: input that is not a message at all) and
uncaught exceptions (anything else: must be 0), per corpus. For the mime4j
messages, the decoded text/plain bodies are compared with a reference: the
upstream expected-output files are not in shared/data (only the ``.msg``
inputs are), so the reference is Python's ``email`` package with
``policy.default``; a message agrees when every text/plain body it decodes
appears (whitespace-normalized) in crossguard's part texts.

    .venv/bin/python bench/mime_corpus.py [--quick]
"""

from __future__ import annotations

import argparse
import email
import email.policy
import logging
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from lib import results, tables

from crossguard.errors import MessageParseError
from crossguard.message import ParseLimits, parse_message, parse_outlook_msg
from crossguard.message.model import Message

MIME = results.SHARED_DATA / "mime"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _quiet_libraries() -> None:
    """pypdf logs every broken PDF it meets to stderr; the counts here say enough."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)


def parse_file(path: Path, limits: ParseLimits) -> Message:
    """Parse one corpus file with the entry point its format calls for."""
    data = path.read_bytes()
    if data.startswith(OLE_MAGIC):
        return parse_outlook_msg(data, limits)
    return parse_message(data, limits)


def squash(text: str) -> str:
    """Whitespace-normalized text."""
    return " ".join(text.split())


def reference_bodies(data: bytes) -> list[str] | None:
    """text/plain bodies as the stdlib decodes them; None if it cannot."""
    try:
        parsed = email.message_from_bytes(data, policy=email.policy.default)
        bodies = []
        for part in parsed.walk():
            if part.get_content_type() == "text/plain" and not part.is_attachment():
                content = part.get_content()
                if isinstance(content, str) and content.strip():
                    bodies.append(squash(content))
        return bodies
    except Exception:
        return None


def agrees(message: Message, bodies: list[str]) -> bool:
    """Whether every reference body is found in crossguard's part texts."""
    texts = [squash(part.text) for part in message.parts if part.text]
    return all(any(body in text for text in texts) for body in bodies)


def run_corpus(folder: Path, limits: ParseLimits, mime4j: bool) -> dict[str, Any]:
    """Parse every file of one corpus folder."""
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    row: dict[str, Any] = {"files": len(files), "parsed": 0, "with_notes": 0, "refused": 0,
                           "uncaught": 0, "parts": 0, "seconds": 0.0}
    note_kinds: Counter[str] = Counter()
    uncaught: list[dict[str, str]] = []
    agreement: dict[str, Any] = {"compared": 0, "agree": 0, "reference_failed": 0, "disagree": []}
    for path in files:
        started = time.perf_counter()
        try:
            message = parse_file(path, limits)
        except MessageParseError:
            row["refused"] += 1
            continue
        except Exception as error:  # the point of this benchmark: count, don't stop
            row["uncaught"] += 1
            where = traceback.extract_tb(error.__traceback__)[-1]
            uncaught.append({"file": path.name, "error": type(error).__name__,
                             "at": f"{Path(where.filename).name}:{where.lineno}"})
            continue
        finally:
            row["seconds"] += time.perf_counter() - started
        row["parsed"] += 1
        row["parts"] += len(message.parts)
        if message.notes:
            row["with_notes"] += 1
            note_kinds.update(note.kind for note in message.notes)
        if mime4j:
            bodies = reference_bodies(path.read_bytes())
            if bodies is None:
                agreement["reference_failed"] += 1
            else:
                agreement["compared"] += 1
                if agrees(message, bodies):
                    agreement["agree"] += 1
                else:
                    agreement["disagree"].append(path.name)
    row["seconds"] = round(row["seconds"], 3)
    row["note_kinds"] = dict(note_kinds.most_common())
    row["uncaught_errors"] = uncaught
    if mime4j:
        row["agreement"] = agreement
    return row


def main() -> None:
    """Parse every corpus, print the table, write bench/results/mime_corpus.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="same run: the corpora are small")
    args = parser.parse_args()
    _quiet_libraries()
    limits = ParseLimits()
    corpora = {folder.name: run_corpus(folder, limits, folder.name.startswith("mime4j"))
               for folder in sorted(MIME.iterdir()) if folder.is_dir()}
    headers = ["corpus", "files", "parsed", "with notes", "refused", "uncaught", "parts",
               "ms/message", "agrees with stdlib text"]
    rows = []
    for name, row in corpora.items():
        agreement = row.get("agreement")
        rows.append([name, row["files"], row["parsed"], row["with_notes"], row["refused"],
                     row["uncaught"], row["parts"],
                     1000 * row["seconds"] / max(row["files"], 1),
                     f"{agreement['agree']}/{agreement['compared']}" if agreement else "-"])
    totals = {key: sum(row[key] for row in corpora.values())
              for key in ("files", "parsed", "with_notes", "refused", "uncaught", "parts")}
    rows.append(["total", *totals.values(), None, None])
    tables.print_table("MIME corpora in shared/data/mime", headers, rows)
    for name, row in corpora.items():
        for failure in row["uncaught_errors"]:
            print(f"  uncaught in {name}/{failure['file']}: {failure['error']} at {failure['at']}")
    results.write_result("mime_corpus", {"corpora": corpora, "totals": totals}, quick=args.quick)


if __name__ == "__main__":
    main()
