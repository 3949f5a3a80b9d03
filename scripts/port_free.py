#!/usr/bin/env python3
"""Exit 0 if `mkdocs serve` could listen on 127.0.0.1:PORT, else print one Chinese line.

    python3 scripts/port_free.py PORT

`make serve` runs this before it installs or builds anything: `mkdocs serve` itself only
binds the port after a full build and then dies with a long traceback. Standard library
only, so it runs with the interpreter that creates .venv.

Exit status 0 if the port is free, 1 if it is taken or may not be used, 2 on a bad PORT.
"""
import errno
import socket
import sys

HOST = "127.0.0.1"


def main(argv) -> int:
    text = argv[0] if len(argv) == 1 else ""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        print(f"PORT 应当是 1 到 65535 之间的整数（收到 {text!r}），例如 make serve PORT=8001",
              file=sys.stderr)
        return 2
    port = int(text)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # the same option as mkdocs' server (http.server sets allow_reuse_address), so a
        # port still in TIME_WAIT from the last preview counts as free, as it will be for it
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            reason = "已被占用" if exc.errno == errno.EADDRINUSE else f"不能使用（{exc.strerror}）"
            print(f"端口 {port} {reason}，没有开始构建；换一个端口：make serve PORT={port % 65535 + 1}",
                  file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
