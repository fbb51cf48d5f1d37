"""Loaded by every Python process that bin/moved-clock starts (it puts this folder on
PYTHONPATH); nothing else imports it.

bin/moved-clock keeps the monotonic clock real (FAKETIME_DONT_FAKE_MONOTONIC=1): with a faked
monotonic clock, every timed wait on a lock or event (threading, queue, the test SMTP server)
would wait for the offset itself, 200 days. But libfaketime 0.9.10 then still shifts absolute
CLOCK_MONOTONIC deadlines given to clock_nanosleep() by the offset, and CPython's time.sleep()
sleeps exactly that way, so every sleep fails with EINVAL (subprocess timeouts, the worker's
poll). select() takes a relative timeout, which libfaketime passes through untouched."""

import os
import select
import time

if "faketime" in os.environ.get("LD_PRELOAD", "") and os.environ.get(
    "FAKETIME_DONT_FAKE_MONOTONIC"
):

    def _sleep(seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            select.select([], [], [], remaining)

    time.sleep = _sleep
