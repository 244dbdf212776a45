"""A TCP forwarder on loopback that a test can take down and bring back, to play a database
that becomes unreachable: down, it stops listening (new connections are refused) and cuts the
connections it carries (as a restarted server or a broken network does)."""

import contextlib
import socket
import threading


class SwitchableProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = 0
        self.listener: socket.socket | None = None
        self.carried: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.up()

    def up(self) -> None:
        """Listens (on the same port as before, once started) and forwards what it accepts."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self.accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        """Refuses new connections and cuts the open ones."""
        listener, self.listener = self.listener, None
        if listener:
            # shutdown wakes the thread blocked in accept(), which then ends.
            listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self.lock:
            carried, self.carried = self.carried, set()
        for sock in carried:
            close(sock)

    def accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.carried |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self.pump, args=(source, sink), daemon=True).start()

    def pump(self, source: socket.socket, sink: socket.socket) -> None:
        """Copies one direction until either side closes, then closes both."""
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        with self.lock:
            self.carried -= {source, sink}
        close(source)
        close(sink)


def close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
