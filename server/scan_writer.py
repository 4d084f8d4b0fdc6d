"""The scan writer: with several server processes, one process writes every kiosk scan.

Two processes each committing their own scans hold SQLite's one write lock in turn, and each
holder shares its interpreter with its own request threads and the two cores with the other
process: measured, a transaction of three scans held the lock 3.1 ms for 0.55 ms of work, and two
processes took only 1.05-1.28x the scans of one. So `serve` with LEIFENG_WORKERS > 1 starts this
process beside the workers (server/ops/serving.py keeps it running): a worker reads the request,
checks the kiosk and the badges, and hands the call over a Unix socket; the writer reads every call
waiting on its sockets, decides and writes them in one transaction through the same commit group a
single process uses (server/commit_group.py, server/services/checkin.py apply_scans), pushes the
on-duty lists it changed, and only then answers each call. Nothing is answered before its COMMIT;
a worker that loses the writer answers 503 with Retry-After, and the kiosk sends the same events
again (a resent event gets its first outcome).

The socket is in a folder only the server's user can open (made by `serve`); the messages are
pickles between processes of one program.
"""
import logging
import os
import pickle
import queue
import selectors
import signal
import socket
import struct
import threading
import time

from server.commit_group import CommitGroup
from server.db import connect
from server.errors import ApiError, log_repeated
from server.live import push_changed_stations
from server.services.checkin import SETTINGS, ScanCall, StationWindows, apply_scans

_HEAD = struct.Struct("!I")
PUSH_EVERY = 0.05  # seconds: the on-duty pushes of the batches committed meanwhile go out together
MAX_MESSAGE = 64 * 1024 * 1024  # a call of 500 events is far smaller; more is a broken stream
log = logging.getLogger(__name__)


def _frame(value):
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    return _HEAD.pack(len(data)) + data


def _read_reply(sock):
    """One message off sock: in one call to recv when it is all there (each call lets another
    thread take the interpreter, and this one waits for it back)."""
    data = bytearray()
    while len(data) < _HEAD.size or len(data) < _HEAD.size + _HEAD.unpack_from(data)[0]:
        chunk = sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("the scan writer closed the connection")
        data += chunk
    return pickle.loads(memoryview(data)[_HEAD.size:])


class WriterClient:
    """A worker process's way to the writer, called as a commit group is: run(db, call) gives the
    call's ScanResults once they are committed (db is not used: the writer has its own)."""

    def __init__(self, path, timeout):
        self.path, self.timeout = path, timeout
        self._local = threading.local()  # each request thread keeps its own connection

    def run(self, _db, call):
        message = _frame((call.device, call.events, call.server_now))
        reused = getattr(self._local, "sock", None) is not None
        try:
            reply = self._ask(message)
        except OSError as err:
            if not reused or isinstance(err, TimeoutError):
                raise self._unavailable(err) from err
            # a kept connection may be to a writer that has since been replaced: once more on a new
            # one (if the first got through, the writer knows the events' ids: they are not stored twice)
            try:
                reply = self._ask(message)
            except OSError as again:
                raise self._unavailable(again) from again
        if reply[0] == "error":
            raise reply[1]
        _ok, results, call.on_duty, known = reply
        if call.windows is not None:
            call.windows.learn(known)
        return results

    def _ask(self, message):
        try:
            sock = self._connection()
            sock.sendall(message)
            return _read_reply(sock)
        except OSError:
            self._drop()
            raise

    def _unavailable(self, err):
        """Not there (starting again), gone, or no answer in time: the kiosk is told to try again."""
        log_repeated(log, ("scan writer", type(err).__name__), "scan writer unreachable, answered 503: %s", err)
        return ApiError(503, "busy", "系统繁忙，请几秒后再试", "The server is busy; try again in a few seconds",
                        retry_after=2)

    def _connection(self):
        sock = getattr(self._local, "sock", None)
        if sock is None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            try:
                sock.connect(self.path)
            except OSError:
                sock.close()
                raise
            self._local.sock = sock
        return sock

    def _drop(self):
        sock = getattr(self._local, "sock", None)
        self._local.sock = None
        if sock is not None:
            sock.close()


class Writer:
    """The writer's loop: every call waiting on its sockets, committed together, then answered."""

    def __init__(self, app, path, together=None, push=None, push_every=PUSH_EVERY):
        self.app, self.path, self.push = app, path, push or push_changed_stations
        # The pushes go out from a thread of their own, in the order the batches were committed:
        # the next batch need not wait for Redis.
        self.group = CommitGroup(together or apply_scans, then=self._hand_over_pushes)
        self.push_every = push_every
        self._pushes = queue.SimpleQueue()
        self._pusher = threading.Thread(target=self._push_in_turn, name="scan-writer-pushes", daemon=True)
        self._pusher.start()
        self.settings = {key: app.config[key] for key in SETTINGS}
        self.db = connect(app.config["DATABASE"], app.config["WRITE_WAIT_SECONDS"] * 1000)
        self.running = True
        self._selector = selectors.DefaultSelector()
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if os.path.exists(path):
            os.unlink(path)  # left by a writer that died
        self._listener.bind(path)
        os.chmod(path, 0o600)
        self._listener.listen(1024)
        self._listener.setblocking(False)
        self._selector.register(self._listener, selectors.EVENT_READ, None)

    def serve(self, parent=None):
        """Until stop() (or SIGTERM), or until the process that started it (parent) is gone."""
        try:
            while self.running and (parent is None or os.getppid() == parent):
                self.step(timeout=0.5)
        finally:
            self.close()

    def stop(self, *_signal):
        self.running = False

    def step(self, timeout=None):
        """Commit and answer the calls that arrived since the last step; how many."""
        calls = []
        for key, _mask in self._selector.select(timeout):
            if key.data is None:
                self._accept()
            else:
                calls.extend((key.fileobj, message) for message in self._receive(key.fileobj, key.data))
        for start in range(0, len(calls), self.group.max_batch):
            self._commit(calls[start:start + self.group.max_batch])
        return len(calls)

    def _accept(self):
        while True:
            try:
                conn, _address = self._listener.accept()
            except BlockingIOError:
                return
            conn.setblocking(False)
            self._selector.register(conn, selectors.EVENT_READ, bytearray())

    def _receive(self, conn, buffer):
        """The whole messages now readable on conn; a closed or broken connection is let go."""
        while True:
            try:
                chunk = conn.recv(1 << 16)
            except BlockingIOError:
                break
            except OSError:
                chunk = b""
            if not chunk:
                self._forget(conn)
                return []
            buffer += chunk
            if len(chunk) < 1 << 16:  # all there was: no call more to learn that
                break
        messages = []
        while len(buffer) >= _HEAD.size:
            size, = _HEAD.unpack_from(buffer)
            if size > MAX_MESSAGE:
                self._forget(conn)
                return []
            if len(buffer) < _HEAD.size + size:
                break
            messages.append(pickle.loads(buffer[_HEAD.size:_HEAD.size + size]))
            del buffer[:_HEAD.size + size]
        return messages

    def _commit(self, calls):
        scans = [ScanCall(device, events, self.settings, server_now, StationWindows(self.db))
                 for _conn, (device, events, server_now) in calls]
        done = self.group.commit(self.db, scans)
        for (conn, _message), scan, (results, error) in zip(calls, scans, done):
            if error is not None:
                if not isinstance(error, (ApiError, OSError)) and not hasattr(error, "sqlite_errorcode"):
                    log.error("a scan call failed in the writer", exc_info=error)
                self._send(conn, ("error", error))
            else:
                self._send(conn, ("ok", results, scan.on_duty, scan.windows.known()))

    def _hand_over_pushes(self, db, calls, results):
        self._pushes.put((calls, results))

    def _push_in_turn(self):
        """Each batch's on-duty lists, in the order committed. A list is the station's whole duty
        as a batch left it, so batches committed while the last push went out go together, each
        station's newest list once: a push a station at most every push_every seconds under load
        (every one of them is read by every server process), at once when the writer was idle."""
        last = 0.0
        while True:
            batches = [self._pushes.get()]
            time.sleep(max(0.0, last + self.push_every - time.monotonic()))
            while True:
                try:
                    batches.append(self._pushes.get_nowait())
                except queue.Empty:
                    break
            last = time.monotonic()
            closing = None in batches
            calls = [call for batch in batches if batch is not None for call in batch[0]]
            if calls:
                try:
                    with self.app.app_context():
                        self.push(None, calls, None)
                except Exception:  # noqa: BLE001 — the scans are stored and answered; the next push carries on
                    log.exception("an on-duty push from the scan writer failed")
            if closing:
                return

    def _send(self, conn, reply):
        try:
            data = _frame(reply)
        except Exception as err:  # noqa: BLE001 — an error that does not pickle still reaches its caller
            data = _frame(("error", RuntimeError(f"{reply[1]!r} ({err})")))
        try:
            conn.settimeout(5)
            conn.sendall(data)
            conn.setblocking(False)
        except OSError:  # the worker went away; it answered its kiosk already (503)
            self._forget(conn)

    def _forget(self, conn):
        try:
            self._selector.unregister(conn)
        except (KeyError, ValueError):
            pass
        conn.close()

    def close(self):
        self._pushes.put(None)  # what was committed is still pushed
        self._pusher.join(10)
        for key in list(self._selector.get_map().values()):
            key.fileobj.close()
        self._selector.close()
        self.db.conn.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


def main():
    """The writer process `serve` starts (python -m server.scan_writer): its settings come from the
    same environment as the workers'."""
    from server import create_app
    app = create_app({"PUSH_ONLY": True})
    writer = Writer(app, app.config["SCAN_WRITER"])
    signal.signal(signal.SIGTERM, writer.stop)
    signal.signal(signal.SIGINT, writer.stop)
    writer.serve(parent=os.getppid())


if __name__ == "__main__":
    main()
