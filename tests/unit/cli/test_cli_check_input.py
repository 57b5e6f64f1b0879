"""`crossguard check` reads at most parse.max_message_bytes + 1 bytes from any input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from crossguard.cli.main import cli

#: Runs the command as its only child and prints the child's peak RSS in KiB. The child's
#: address space is capped at 4 GiB so an unbounded read fails instead of filling the machine.
MEASURE = """
import resource, subprocess, sys
def cap():
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
done = subprocess.run(sys.argv[1:], preexec_fn=cap, capture_output=True, timeout=300)
sys.stderr.buffer.write(done.stderr)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def test_check_dev_zero_exits_2_under_200_mb_rss() -> None:
    crossguard = Path(sys.executable).parent / "crossguard"
    done = subprocess.run([sys.executable, "-c", MEASURE, str(crossguard), "check", "/dev/zero"],
                          capture_output=True, text=True, timeout=600, check=True)
    code, peak_kib = map(int, done.stdout.split())
    assert code == 2
    assert done.stderr.strip().splitlines() == [
        "crossguard: error: /dev/zero: larger than parse.max_message_bytes (50000000 bytes); "
        "not checked"]
    assert peak_kib < 200 * 1024, f"peak RSS {peak_kib} KiB"


def test_check_stdin_over_the_limit_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "crossguard.toml"
    config.write_text("[parse]\nmax_message_bytes = 1000\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--config", str(config), "-"],
                                input=b"Subject: x\r\n\r\n" + b"a" * 2000)
    assert result.exit_code != 0
    assert "larger than parse.max_message_bytes (1000 bytes)" in str(result.exception)
