"""A TCP forwarder on loopback that a test can take down and bring back, to play a database
or cache that becomes unreachable: down, it stops listening (new connections are refused) and
cuts the connections it carries (as a restarted server or a broken network does). Silent, it
plays one that hangs: it accepts connections and reads what is sent, but answers nothing."""

import contextlib
import socket
import threading


class SwitchableProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = 0
        self.listener: socket.socket | None = None
        self.carried: set[socket.socket] = set()
        # Connections that lost data while silent: cut once it speaks again.
        self.spoiled: set[socket.socket] = set()
        self.silent = False
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

    def silence(self) -> None:
        """Goes on accepting and reading, on new connections and on those it carries, but
        forwards nothing either way: a server that hangs (the kernel still acknowledges)."""
        self.silent = True

    def speak(self) -> None:
        """Forwards again; connections whose requests went unanswered are cut."""
        self.silent = False
        with self.lock:
            spoiled, self.spoiled = self.spoiled, set()
            self.carried -= spoiled
        for sock in spoiled:
            close(sock)

    def accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self.silent:
                with self.lock:
                    self.carried.add(client)
                    self.spoiled.add(client)
                threading.Thread(target=self.pump, args=(client, None), daemon=True).start()
                continue
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

    def pump(self, source: socket.socket, sink: socket.socket | None) -> None:
        """Copies one direction until either side closes, then closes both; while silent,
        what it reads is dropped."""
        ends = {source, sink} - {None}
        try:
            while data := source.recv(65536):
                if self.silent or sink is None:
                    with self.lock:
                        self.spoiled |= ends
                    continue
                sink.sendall(data)
        except OSError:
            pass
        with self.lock:
            self.carried -= ends
        for sock in ends:
            close(sock)


def close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
