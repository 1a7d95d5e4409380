"""The suite's own check that a moved system date really is in force, and that libfaketime
leaves the rest of the clock machinery alone.  CI runs the whole suite under Debian's faketime
at 2025-06-01 and 2028-02-29 and sets TAIZHANG_EXPECT_TODAY; else these tests are skipped.

What has to hold (each was seen to break with other libfaketime settings, see .ci/run):
* the date is moved in this process, in a thread and in a child process;
* the clock still runs, time.sleep sleeps as long as asked, and subprocess timeouts (which
  poll with sleep) work;
* a thread waiting for the GIL does not make the others crawl.
Not checked, because it cannot hold: Python's own timed lock waits (Event.wait(t),
Lock.acquire(timeout=t), queue.get(timeout=t)) use sem_clockwait, which libfaketime does not
wrap; on a moved date they return at once or sleep for the length of the move.  Neither the
application nor the suite uses them (Qt's waits and sleep are wrapped and work).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time

import pytest

EXPECTED = os.environ.get("TAIZHANG_EXPECT_TODAY")

pytestmark = pytest.mark.skipif(not EXPECTED, reason="the system date is not moved in this run")

#: Run in a child process so that a misbehaving clock cannot hang the suite (subprocess's
#: own timeout polls with sleep, checked in the first test).
CHILD = r"""
import threading, time
t0 = time.perf_counter(); time.sleep(0.05); slept = time.perf_counter() - t0

def work():
    s = 0
    for i in range(1_500_000):
        s += i

t0 = time.perf_counter(); work(); alone = time.perf_counter() - t0
stop = []
def busy():   # a second thread that keeps asking for the GIL
    while not stop:
        sum(range(100))
th = threading.Thread(target=busy); th.start()
t0 = time.perf_counter(); work(); beside = time.perf_counter() - t0
stop.append(1); th.join()
print(slept, alone, beside)
"""


def test_the_moved_date_is_in_force_everywhere():
    day = dt.date.fromisoformat(EXPECTED)
    assert dt.date.today() == day
    seen = []
    t = threading.Thread(target=lambda: seen.append(dt.date.today()))
    t.start()
    t.join()
    assert seen == [day]
    child = subprocess.run([sys.executable, "-c", "import datetime; print(datetime.date.today())"],
                           capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    assert child == EXPECTED
    a = dt.datetime.now()
    time.sleep(0.02)
    assert dt.datetime.now() > a          # the clock runs on
    with pytest.raises(subprocess.TimeoutExpired):   # polls with sleep until the timeout
        subprocess.run([sys.executable, "-c", "import time; time.sleep(5)"], timeout=0.3)


def test_sleep_and_thread_switches_behave():
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                         check=True, timeout=120).stdout.split()
    slept, alone, beside = map(float, out)
    assert 0.04 <= slept < 2, slept            # neither at once nor for the length of the move
    # Two threads share one core's worth of Python: about twice as long, not forty times.
    assert beside < 4 * alone + 0.2, (alone, beside)
