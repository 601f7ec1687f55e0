"""Finding TCP ports to listen on."""

import socket


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether nothing listens on the port. A connection of an earlier run lingering in
    TIME_WAIT does not count: the servers bind with SO_REUSEADDR, and so does this probe."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(preferred: int | None = None, host: str = "127.0.0.1") -> int:
    """The preferred port when nothing listens on it, else one the kernel picks."""
    if preferred and port_is_free(preferred, host):
        return preferred
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])
