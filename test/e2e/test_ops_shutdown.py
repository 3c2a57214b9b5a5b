"""Graceful stop: SIGTERM/SIGINT stop accepting, let in-flight requests finish
for up to the drain time (10 s), then cancel long operations (a DynamoDB Scan
answers 503 ServiceUnavailable) and exit; a second signal exits at once.

A Scan is made long with CROSSKEY_TEST_SCAN_DELAY_MS (every metadata scan
takes that much longer, returning early once cancelled): with it, one
DynamoDB Scan is one slow store scan. The Scan must answer 503 rather than
its items, which only the Scan loop's cancellation check produces."""

import os
import signal
import socket
import threading
import time
import unittest

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from crosskey import ACCOUNT1, REGION, Server, error_of

DRAIN = 10.0  # docs/limits.md


class SlowScanServer(Server):
    def __init__(self, delay_ms, *args, **kw):
        super().__init__(*args, **kw)
        self.delay_ms = delay_ms

    def start(self, timeout=15):
        os.environ["CROSSKEY_TEST_SCAN_DELAY_MS"] = str(self.delay_ms)
        try:
            return super().start(timeout)
        finally:
            del os.environ["CROSSKEY_TEST_SCAN_DELAY_MS"]


def make_table(server):
    # One attempt: botocore would retry the 503 on a server that is gone.
    ddb = boto3.client("dynamodb", endpoint_url=server.endpoint, region_name=REGION,
                       aws_access_key_id=ACCOUNT1, aws_secret_access_key="test",
                       config=Config(retries={"total_max_attempts": 1}, read_timeout=120))
    ddb.create_table(TableName="slow", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName="slow", Item={"k": {"S": "a"}})
    return ddb


class ScanInFlight:
    """Runs a Scan on a thread; .result is ("ok", count) or ("error", code, status) or ("broken", text)."""

    def __init__(self, ddb):
        self.result = None
        self.finished_at = None
        self.thread = threading.Thread(target=self.run, args=(ddb,))
        self.thread.start()

    def run(self, ddb):
        try:
            self.result = ("ok", ddb.scan(TableName="slow")["Count"])
        except ClientError as e:
            code, _, status = error_of(e)
            self.result = ("error", code, status)
        except Exception as e:  # connection dropped
            self.result = ("broken", repr(e))
        self.finished_at = time.monotonic()


def wait_in_flight(server, timeout=10):
    """Waits until the server's log shows the Scan arrived (its trace line)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if "route: POST / " in server.read_log() and "operation=Scan" in server.read_log():
            return
        time.sleep(0.05)
    raise AssertionError("the Scan never reached the server:\n" + server.read_log())


def wait_exit(server, timeout):
    t0 = time.monotonic()
    try:
        server.proc.wait(timeout)
    except Exception:
        server.proc.kill()
        server.proc.wait()
        raise AssertionError("crosskey did not exit within %.1f s:\n%s" % (timeout, server.read_log()))
    return time.monotonic() - t0


class ShutdownTest(unittest.TestCase):
    def test_long_scan_is_cancelled_after_the_drain_time(self):
        server = SlowScanServer(120000, "--log-level", "trace").start()
        try:
            ddb = make_table(server)
            scan = ScanInFlight(ddb)
            wait_in_flight(server)
            t0 = time.monotonic()
            server.proc.send_signal(signal.SIGTERM)
            # No new connections once stopping.
            time.sleep(0.5)
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
            took = wait_exit(server, DRAIN + 10) + 0.5
            scan.thread.join(30)
            self.assertEqual(server.proc.returncode, 0, server.read_log())
            self.assertGreaterEqual(took, DRAIN - 0.5, "did not wait for the in-flight Scan")
            self.assertLess(took, DRAIN + 4.0, "did not cancel the Scan after the drain time")
            self.assertEqual(scan.result, ("error", "ServiceUnavailable", 503), server.read_log())
            self.assertLess(scan.finished_at - t0, DRAIN + 4.0)
            log = server.read_log()
            self.assertIn("crosskey stopping (SIGTERM)", log)
            self.assertIn("drain time (10 s) is over; cancelling 1 request(s) still in flight", log)
            self.assertRegex(log, r"dynamodb Scan 503 in=\d+ out=\d+ \d+us error=ServiceUnavailable")
        finally:
            server.stop(signal.SIGKILL)
            server.cleanup()

    def test_request_that_ends_within_the_drain_time_completes(self):
        server = SlowScanServer(3000).start()
        try:
            ddb = make_table(server)
            scan = ScanInFlight(ddb)
            time.sleep(0.7)
            t0 = time.monotonic()
            server.proc.send_signal(signal.SIGINT)
            took = wait_exit(server, DRAIN + 5) 
            scan.thread.join(10)
            self.assertEqual(scan.result, ("ok", 1), server.read_log())
            self.assertEqual(server.proc.returncode, 0, server.read_log())
            self.assertLess(took, DRAIN - 2.0, "waited longer than the request needed")
            self.assertIn("crosskey stopping (SIGINT)", server.read_log())
            self.assertNotIn("cancelling", server.read_log())
        finally:
            server.stop(signal.SIGKILL)
            server.cleanup()

    def test_second_signal_exits_at_once(self):
        server = SlowScanServer(120000).start()
        try:
            ddb = make_table(server)
            ScanInFlight(ddb)
            time.sleep(0.7)
            server.proc.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            self.assertIsNone(server.proc.poll(), "exited before the drain time")
            server.proc.send_signal(signal.SIGTERM)
            took = wait_exit(server, 5)
            self.assertLess(took, 3.0)
            self.assertEqual(server.proc.returncode, 128 + signal.SIGTERM)
            self.assertIn("second signal (SIGTERM) while stopping: exiting now with 1 request(s) in flight",
                          server.read_log())
        finally:
            server.stop(signal.SIGKILL)
            server.cleanup()


if __name__ == "__main__":
    unittest.main()
