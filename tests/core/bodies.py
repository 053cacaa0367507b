"""Request bodies for the test client that count what the server reads of them, and can be
large without being built: ``Body.lazy(200 MB)`` yields bytes only as they are read."""

from __future__ import annotations

import io


class Body:
    def __init__(self, data: bytes = b"", *, length: int | None = None, fill: bytes = b"x"):
        self.head = io.BytesIO(data)
        self.length = len(data) if length is None else length
        self.fill = fill
        self.read_bytes = 0

    @classmethod
    def lazy(cls, length: int) -> Body:
        return cls(length=length)

    @classmethod
    def multipart(cls, fields: dict[str, str], name: str, content: bytes, *, pad: int = 0) -> Body:
        """A multipart form with ``fields`` and one file (``content`` and ``pad`` more bytes)."""
        parts = [
            f'--B\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        head = (
            b"".join(parts)
            + (
                f'--B\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
        )
        data = head + content
        body = cls(data, length=len(data) + pad + len(b"\r\n--B--\r\n"))
        body.tail = b"\r\n--B--\r\n"
        return body

    tail = b""

    def _chunk(self, at: int, size: int) -> bytes:
        head = self.head.getvalue()
        fill_end = self.length - len(self.tail)
        out = bytearray()
        while size > 0 and at < self.length:
            if at < len(head):
                piece = head[at : at + size]
            elif at < fill_end:
                piece = self.fill * min(size, fill_end - at)
            else:
                piece = self.tail[at - fill_end : at - fill_end + size]
            out += piece
            at += len(piece)
            size -= len(piece)
        return bytes(out)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.length - self.read_bytes
        chunk = self._chunk(self.read_bytes, size)
        self.read_bytes += len(chunk)
        return chunk

    def readline(self, size: int = -1) -> bytes:
        raise NotImplementedError  # Django reads request bodies by size

    def environ(self, content_type: str = "multipart/form-data; boundary=B") -> dict:
        """The keyword arguments of a test client call that send this body."""
        return {
            "data": b"",
            "content_type": content_type,
            "CONTENT_LENGTH": str(self.length),
            "CONTENT_TYPE": content_type,
            "wsgi.input": self,
        }
