#!/usr/bin/python3
"""Writes the contents of a customer's support bundle into bundle/ (run from anywhere):

    /usr/bin/python3 examples/04-ticket-from-bundle/make-bundle.py

Both Secure Connection Services log through the libraries SCS uses: the sending side (Acme) with the
standard `logging` module in SCS's plain-text format, the receiving side (Hooli) with structlog's
JSON renderer. The failures are real exceptions: a shared secret stored under an old Master Key is
decrypted with the new one (cryptography's Fernet raises InvalidToken), the manifest is read from
the Inbox with botocore (a Stubber answers GetObject with NoSuchKey, so no network is needed), and
the object-store lookup raises for a label with no configuration. Only the clock is scripted, so
the files are the same at every run. The sync-history export is the sending side's admin backend
export ({"events": [...]}, camelCase), written with json.
"""
import datetime
import json
import linecache
import logging
import os
import sys

import botocore.session
import structlog
from botocore.stub import Stubber
from cryptography.fernet import Fernet, InvalidToken

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "bundle")
T0 = datetime.datetime(2026, 5, 14, 10, 0, 0, tzinfo=datetime.timezone.utc)


def load_as(source, filename, namespace):
    """Runs `source` as the module `filename`; its lines are shown in tracebacks like a file's."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)


class Clock:
    """The scripted time: each entry moves it on by the given seconds."""

    def __init__(self):
        self.now = T0

    def at(self, seconds):
        self.now = T0 + datetime.timedelta(seconds=seconds)

    def tick(self, seconds):
        self.now += datetime.timedelta(seconds=seconds)


clock = Clock()


# --- Sending side: Acme's SCS, stdlib logging, plain text --------------------------------------
class ScriptedTime(logging.Filter):
    def filter(self, record):
        record.created = clock.now.timestamp()
        record.msecs = clock.now.microsecond // 1000
        return True


os.makedirs(os.path.join(OUT, "acme"), exist_ok=True)
os.makedirs(os.path.join(OUT, "hooli"), exist_ok=True)
sender_handler = logging.FileHandler(os.path.join(OUT, "acme", "scs.log"), mode="w", encoding="utf-8")
sender_handler.addFilter(ScriptedTime())
formatter = logging.Formatter("%(asctime)s %(levelname)s [%(name)s] %(message)s")
formatter.converter = lambda *_: clock.now.timetuple()
sender_handler.setFormatter(formatter)
for name in ("scs.app", "scs.sync.sender", "scs.storage"):
    lg = logging.getLogger(name)
    lg.setLevel(logging.INFO)
    lg.addHandler(sender_handler)
    lg.propagate = False
app = logging.getLogger("scs.app")
sender = logging.getLogger("scs.sync.sender")
storage = logging.getLogger("scs.storage")


# The code paths of SCS that fail, compiled under SCS's file names so their tracebacks read as SCS's.
SENDER_PY = """
class BucketNotConfigured(Exception):
    pass


def outbox_for(label):
    if label not in OBJECT_STORES:
        raise BucketNotConfigured(f"bucket not configured: No RSS object-store configuration for label {label!r}")
    return OBJECT_STORES[label]


def run_once(connection_id, shared_id, label, secret):
    sender.info("sync started connection_id=%s direction=sending shared_id=%s", connection_id, shared_id)
    clock.tick(1)
    try:
        key = secrets.decrypt(secret)
    except InvalidToken:
        sender.exception("sync failed connection_id=%s direction=sending: shared secret unavailable: InvalidToken", connection_id)
        return
    try:
        bucket = outbox_for(label)
    except BucketNotConfigured as e:
        sender.error("connection failed (no manifest produced): %s", e)
        return
    storage.info("copy_object ok bucket=%s key=%s/shard0/manifest size=%d", bucket, shared_id, 4096)
    clock.tick(1)
    sender.info("sync completed connection_id=%s direction=sending files_transferred=3", connection_id)
"""

old_key, new_key = Fernet.generate_key(), Fernet.generate_key()
scs_sender = {
    "OBJECT_STORES": {"outbox-primary": "acme-scs-outbox"},
    "InvalidToken": InvalidToken,
    # The Master Key was rotated: SCS now decrypts with the new key.
    "secrets": Fernet(new_key),
    "sender": sender,
    "storage": storage,
    "clock": clock,
}
load_as(SENDER_PY, "/app/scs/sync/sender.py", scs_sender)
stored_under_old = Fernet(old_key).encrypt(b"shared-secret-acme-to-globex")
stored_under_new = Fernet(new_key).encrypt(b"shared-secret-acme-to-hooli")

clock.at(0)
app.info("Secure Connection Service 2026.04.2 starting; registry=http://registry-service:8080")
app.info("loaded 1 object-store configuration(s): outbox-primary")
for minute in (0, 5):
    # Acme -> Hooli: its Outbox label was renamed in the Registry Service, not in SCS.
    clock.at(minute * 60 + 2)
    scs_sender["run_once"]("c-5150", "acme-to-hooli", "outbox-east", stored_under_new)
    # Acme -> Globex: the Master Key was rotated after its shared secret was stored.
    clock.at(minute * 60 + 20)
    scs_sender["run_once"]("c-2112", "acme-to-globex", "outbox-primary", stored_under_old)
    # Acme -> Initech: healthy.
    clock.at(minute * 60 + 40)
    scs_sender["run_once"]("c-0007", "acme-to-initech", "outbox-primary", stored_under_new)
sender_handler.close()


# --- Receiving side: Hooli's SCS, structlog JSON -----------------------------------------------
def scripted_timestamp(_, __, event_dict):
    event_dict["timestamp"] = clock.now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return event_dict


receiver_file = open(os.path.join(OUT, "hooli", "scs.jsonl"), "w", encoding="utf-8")
structlog.configure(
    processors=[
        structlog.processors.add_log_level,
        scripted_timestamp,
        structlog.processors.format_exc_info,
        structlog.processors.JSONRenderer(),
    ],
    logger_factory=structlog.WriteLoggerFactory(file=receiver_file),
    cache_logger_on_first_use=False,
)
receiver = structlog.get_logger().bind(logger="scs.sync.receiver")

RECEIVER_PY = """
def read_properties(log, shared_id):
    key = f"{shared_id}/shard0/manifest"
    try:
        return s3.get_object(Bucket="hooli-scs-inbox", Key=key)["Body"].read()
    except s3.exceptions.NoSuchKey as e:
        log.error(f"properties read failed: {e}", exc_info=True)
        return None


def poll(connection_id, shared_id):
    log = receiver.bind(connection_id=connection_id, direction="receiving", shared_id=shared_id)
    log.info("sync started")
    clock.tick(1)
    manifest = read_properties(log, shared_id)
    clock.tick(1)
    if manifest is None:
        log.error("connection failed (no manifest received)")
"""

s3 = botocore.session.get_session().create_client(
    "s3", region_name="us-east-1", aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="not-a-secret"
)
stub = Stubber(s3)
for _ in range(2):
    stub.add_client_error("get_object", service_error_code="NoSuchKey", service_message="The specified key does not exist.", http_status_code=404)
stub.activate()
scs_receiver = {"s3": s3, "receiver": receiver, "clock": clock}
load_as(RECEIVER_PY, "/app/scs/sync/receiver.py", scs_receiver)

for minute in (0, 5):
    # Hooli's side of Acme -> Hooli: the sender never wrote a manifest under the Shared ID.
    clock.at(minute * 60 + 30)
    scs_receiver["poll"]("r-0420", "acme-to-hooli")
receiver_file.close()


# --- The sending side's sync history, exported from its admin backend --------------------------
def iso(seconds):
    return (T0 + datetime.timedelta(seconds=seconds)).isoformat(timespec="milliseconds").replace("+00:00", "Z")


events = []
for n, minute in enumerate((0, 5)):
    base = minute * 60
    events.append({"id": f"ev-{2 * n + 1}", "connectionId": "c-5150", "connectionName": "Acme → Hooli", "direction": "sending", "sharedId": "acme-to-hooli",
                   "status": "failure", "startedAt": iso(base + 2), "finishedAt": iso(base + 3),
                   "message": "connection failed (no manifest produced): bucket not configured: No RSS object-store configuration for label 'outbox-east'", "files": []})
    events.append({"id": f"ev-{2 * n + 2}", "connectionId": "c-2112", "connectionName": "Acme → Globex", "direction": "sending", "sharedId": "acme-to-globex",
                   "status": "failure", "startedAt": iso(base + 20), "finishedAt": iso(base + 21),
                   "message": "shared secret unavailable: InvalidToken", "files": []})
    events.append({"id": f"ev-{10 + n}", "connectionId": "c-0007", "connectionName": "Acme → Initech", "direction": "sending", "sharedId": "acme-to-initech",
                   "status": "success", "startedAt": iso(base + 40), "finishedAt": iso(base + 41),
                   "files": [{"resourceId": "res-7", "revisionId": f"7e0c1f2a-0000-4000-8000-00000000000{n}", "sizeBytes": 4096, "outcome": "transferred"}]})
with open(os.path.join(OUT, "sync-history.json"), "w", encoding="utf-8") as f:
    json.dump({"exportedAt": iso(600), "events": events}, f, ensure_ascii=False, indent=1)
    f.write("\n")

print(f"wrote {OUT}", file=sys.stderr)
