"""Raw HTTP/1.1 for tests that send what real clients will not: bytes that
are not UTF-8, malformed framing, arbitrary headers. Requests carry a SigV4
Authorization header whose signature is not computed: crosskey's dev mode
does not check signatures for 12-digit access keys (the request time still is)."""

import datetime
import socket


def amz_auth(service, account="111111111111", region="us-east-1", when=None):
    """Headers of a dev-mode SigV4 request (the signature is not checked)."""
    now = when or datetime.datetime.now(datetime.timezone.utc)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    return [
        ("X-Amz-Date", stamp),
        ("Authorization", "AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request, SignedHeaders=host;x-amz-date, "
                          "Signature=%s" % (account, stamp[:8], region, service, "0" * 64)),
    ]


def _b(v):
    return v if isinstance(v, bytes) else str(v).encode("latin-1")


def build(method, target, headers=(), body=b"", host="127.0.0.1", content_length=True):
    """The bytes of one request; `headers` is a list of (name, value) (str or bytes)."""
    body = _b(body)
    lines = [_b(method) + b" " + _b(target) + b" HTTP/1.1", b"Host: " + _b(host)]
    names = set()
    for k, v in headers:
        names.add(_b(k).lower())
        lines.append(_b(k) + b": " + _b(v))
    if content_length and b"content-length" not in names and b"transfer-encoding" not in names:
        lines.append(b"Content-Length: %d" % len(body))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        return self.headers.get(name.lower())


def read_response(sock, head_request=False):
    """Reads one response (Content-Length framed, as crosskey sends); None when
    the connection closed before a status line."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        headers[k.decode("latin-1").strip().lower()] = v.decode("latin-1").strip()
    length = 0 if head_request or status in (204, 304) else int(headers.get("content-length", "0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return Response(status, headers, rest[:length])


def send(port, raw, timeout=30, head_request=False):
    """Sends raw request bytes on a fresh connection and reads the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(raw)
        try:
            return read_response(s, head_request)
        except (ConnectionResetError, socket.timeout):
            return None
