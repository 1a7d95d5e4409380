"""The suite's own check that a moved system date really is in force (CI runs the whole suite
under Debian's faketime at 2025-06-01 and 2028-02-29 and sets TAIZHANG_EXPECT_TODAY): in this
process, in a thread, and in a child process — else those runs would prove nothing."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading

import pytest

EXPECTED = os.environ.get("TAIZHANG_EXPECT_TODAY")

pytestmark = pytest.mark.skipif(not EXPECTED, reason="the system date is not moved in this run")


def test_the_moved_date_is_in_force_everywhere():
    day = dt.date.fromisoformat(EXPECTED)
    assert dt.date.today() == day
    seen = []
    t = threading.Thread(target=lambda: seen.append(dt.date.today()))
    t.start()
    t.join()
    assert seen == [day]
    child = subprocess.run([sys.executable, "-c", "import datetime; print(datetime.date.today())"],
                           capture_output=True, text=True, check=True).stdout.strip()
    assert child == EXPECTED
    # and the clock still runs (a frozen clock would stall timeouts and Qt timers)
    a = dt.datetime.now()
    threading.Event().wait(0.05)
    assert dt.datetime.now() > a
