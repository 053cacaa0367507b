"""Text messages through the configured backend, in the manner of Django's e-mail backends:
console, file, locmem, and an HTTP gateway (here a server on the loopback address: nothing
leaves the machine)."""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from chunfeng.core import sms
from chunfeng.core.sms.backends import ConsoleBackend, FileBackend

MESSAGE = sms.Message(
    to="13904110001", template="case_received", params={"number": "N1"}, text="您的求助已受理 N1"
)


def test_locmem_keeps_the_messages(settings):
    settings.CHUNFENG_SMS_BACKEND = "locmem"
    assert sms.send([MESSAGE, sms.Message(to="", template="x")]) == 1  # no number: not sent
    assert sms.outbox == [MESSAGE]


def test_console_and_file_write_the_text(tmp_path):
    stream = io.StringIO()
    assert ConsoleBackend(stream).send_messages([MESSAGE]) == 1
    assert "To: 13904110001" in stream.getvalue() and "您的求助已受理 N1" in stream.getvalue()
    FileBackend(tmp_path).send_messages([MESSAGE])
    (written,) = tmp_path.iterdir()
    assert written.name.startswith("case_received-") and "N1" in written.read_text("utf-8")


def test_messages_go_only_after_the_commit(db, settings, django_capture_on_commit_callbacks):
    settings.CHUNFENG_SMS_BACKEND = "locmem"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sms.send_on_commit([MESSAGE])
    assert sms.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert sms.outbox == [MESSAGE]


@pytest.fixture
def gateway():
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the name http.server calls
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers["Authorization"], json.loads(body)))
            self.send_response(200 if len(received) < 3 else 500)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/send", received
    server.shutdown()


def test_the_http_gateway_gets_the_template_id_and_credentials(settings, gateway):
    url, received = gateway
    settings.CHUNFENG_SMS_BACKEND = "http"
    settings.CHUNFENG_SMS_GATEWAY_URL = url
    settings.CHUNFENG_SMS_GATEWAY_TOKEN = "t0ken"
    settings.CHUNFENG_SMS_SIGN = "大连市总工会"
    settings.CHUNFENG_SMS_TEMPLATES = {"case_received": "SMS_1001"}
    assert sms.send([MESSAGE, MESSAGE]) == 2
    auth, body = received[0]
    assert auth == "Bearer t0ken"
    assert body == {
        "to": "13904110001",
        "sign": "大连市总工会",
        "template": "SMS_1001",
        "params": {"number": "N1"},
    }
    assert sms.send([MESSAGE]) == 0  # the gateway fails: logged, not raised
