"""A minimal SMTP server on 127.0.0.1 (EHLO, MAIL, RCPT, DATA, QUIT) that keeps the mails."""

import asyncio
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage


class SmtpStub:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._server: asyncio.AbstractServer | None = None

    def start(self) -> "SmtpStub":
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()

        async def serve() -> None:
            self._server = await asyncio.start_server(self._session, "127.0.0.1", 0)
            self.port = self._server.sockets[0].getsockname()[1]
            self._ready.set()

        self._loop.run_until_complete(serve())
        self._loop.run_forever()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def say(line: str) -> None:
            writer.write(line.encode() + b"\r\n")

        say("220 stub.local ESMTP")
        sender, rcpts = "", []
        try:
            while line := await reader.readline():
                cmd = line.decode().strip()
                upper = cmd.upper()
                if upper.startswith(("EHLO", "HELO")):
                    say("250-stub.local")
                    say("250 8BITMIME")
                elif upper.startswith("MAIL FROM:"):
                    sender, rcpts = cmd[10:].strip(" <>"), []
                    say("250 OK")
                elif upper.startswith("RCPT TO:"):
                    rcpts.append(cmd[8:].strip(" <>"))
                    say("250 OK")
                elif upper == "DATA":
                    say("354 End data with <CR><LF>.<CR><LF>")
                    await writer.drain()
                    data = b""
                    while (chunk := await reader.readline()) not in (b".\r\n", b""):
                        data += chunk[1:] if chunk.startswith(b"..") else chunk
                    self.messages.append(message_from_bytes(data, policy=policy.default))  # type: ignore[arg-type]
                    self.envelopes.append((sender, rcpts))
                    say("250 OK queued")
                elif upper == "QUIT":
                    say("221 Bye")
                    await writer.drain()
                    break
                elif upper in ("RSET", "NOOP"):
                    say("250 OK")
                else:
                    say("502 Command not implemented")
                await writer.drain()
        finally:
            writer.close()
