#!/usr/bin/env python3
"""Replaces what differs between any two runs of one command (ids, uuids and fsids, keys and tokens, mon
hosts, timestamps, librbd's log-line prefix) by placeholders, so rbd's and rbdm's outputs compare as text.
The same rules as cli/src/test/java/io/mirrorhost/cli/guide/RbdNormalizer.java. Reads stdin, writes stdout."""
import re
import sys

RULES = [
    (r"(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+[+-]\d{4} [0-9a-f]+ +-?\d+ ", ""),
    (r"0x[0-9a-f]+ ", ""),
    (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>"),
    (r"(?m)^[A-Za-z0-9+/]{80,}={0,2}$", "<token>"),
    (r"(?m)^(\s*Key: )\S+$", r"\1<key>"),
    (r"\"key\":( ?)\"[^\"]*\"", r'"key":\1"<key>"'),
    (r"(?m)^(\s*Mon Host: )\S+$", r"\1<mon_host>"),
    (r"\"mon_host\":( ?)\"[^\"]+\"", r'"mon_host":\1"<mon_host>"'),
    (r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", "<time>"),
    (r"[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}", "<time>"),
    (r"(\"[a-z_]*timestamp\\?\":)\d+", r"\1<time>"),
    (r"Snapshot ID: \d+", "Snapshot ID: <id>"),
    (r"(?m)^(\s+)\d+ (\.mirror\.)", r"\1<id> \2"),
    (r"(?m)^(\s+)\d+(  \.mirror\.)", r"\1<id>\2"),
    (r"\"(id|primary_snap_id|service_id|instance_id)\":( ?)(\d+|\"[0-9a-f]*\")", r'"\1":\2<id>'),
    (r"(?m)^(\s*(id|journal|block_name_prefix|instance_id): (rbd_data\.)?)[0-9a-f]+$", r"\1<id>"),
    (r"(?m)^service \d+:$", "service <id>:"),
    (r"(?m)^(\s*(service|hostname|client_id): ).+$", r"\1<daemon>"),
    (r"\"(hostname|daemon_id|client_id)\":( ?)\"[^\"]*\"", r'"\1":\2"<daemon>"'),
    (r"\"(block_name_prefix|journal)\":( ?)\"(rbd_data\.)?[0-9a-f]+\"", r'"\1":\2"\3<id>"'),
    (r"(?m)^(\s*version: ).+$", r"\1<version>"),
    (r"\"ceph_version\":( ?)\"[^\"]*\"", r'"ceph_version":\1"<version>"'),
]

# librbd's subsystems log as "librbd::Operations: ...", its top level (internal.cc) as "librbd: ..."
LOG_LINE = re.compile(r"(librbd:|cls_rbd:)")


# One entry of librbd's log with its prefix (time, thread, level) and the blank line written after it.
LOG_ENTRY = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+[+-]\d{4} [0-9a-f]+ +-?\d+ [^\n]*\n\n?")


def normalize(text):
    for pattern, replacement in RULES:
        text = re.sub(pattern, replacement, text)
    return text


def log_entries_out(stderr):
    """rbd writes its messages piece by piece, so a log entry can land anywhere, even inside one of rbd's
    lines ("rbd: rename error: <entry>(2) No such file or directory"): entries are taken out of the text
    and put after it, where librbd_logs_last orders them."""
    body = stderr[:-1]
    return LOG_ENTRY.sub("", body) + "".join(LOG_ENTRY.findall(body)) + stderr[-1:]


def librbd_logs_last(stderr):
    """librbd logs from its own thread, so where its lines land among rbd's own varies from run to run on
    real rbd itself: its lines (each with the blank line after it) go after rbd's messages."""
    lines = stderr.split("\n")
    own, logged = [], []
    i = 0
    while i < len(lines):
        if LOG_LINE.match(lines[i]):
            logged.append(lines[i] + "\n")
            if i + 1 < len(lines) - 1 and lines[i + 1] == "":
                logged.append("\n")
                i += 1
        else:
            own.append(lines[i] + ("" if i == len(lines) - 1 else "\n"))
        i += 1
    return "".join(own) + "".join(logged)


# a record: "exit code: N\nstdout:\n<stdout>\nstderr:\n<stderr>\n"
text = sys.stdin.read()
head, sep, stderr = text.partition("\nstderr:\n")
if sep:
    text = head + sep + log_entries_out(stderr)
text = normalize(text)
head, sep, stderr = text.partition("\nstderr:\n")
if sep:
    text = head + sep + librbd_logs_last(stderr[:-1]) + "\n"
sys.stdout.write(text)
