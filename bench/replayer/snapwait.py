#!/usr/bin/python3
"""Times one mirror-snapshot: from the call that creates it on site-a until site-b lists a complete
non-primary mirror snapshot whose primary_snap_id is the new snapshot. Prints the seconds.

One process per measurement, connected to both sites before the clock starts, polling site-b every
POLL_S (default 0.005) through each system's own API with no process start inside the measurement:
  snapwait.py mh   PORT_A KEY_A PORT_B KEY_B POOL/IMAGE   Mirrorhost hosts' HTTP API (keep-alive)
  snapwait.py ceph CONF_A CONF_B POOL IMAGE               librbd (python3-rbd), the image opened anew each poll
Uses /usr/bin/python3: Debian's python3-rbd lives there.
"""
import http.client
import json
import os
import sys
import time

POLL_S = float(os.environ.get("POLL_S", "0.005"))
DEADLINE_S = float(os.environ.get("DEADLINE_S", "180"))


def mirrorhost(port_a, key_a, port_b, key_b, spec):
    conns = {}

    def command(port, key, prefix, args, fmt):
        conn = conns.get(port)
        if conn is None:
            conn = conns[port] = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
        body = json.dumps({"prefix": prefix, "args": args, "format": fmt, "pretty_format": False})
        conn.request("POST", "/api/v1/command", body, {"Content-Type": "application/json", "X-API-Key": key})
        reply = json.loads(conn.getresponse().read())
        if reply["code"] != 0:
            raise SystemExit(f"{prefix}: {reply}")
        return reply.get("stdout") or ""

    def copied(want):
        snaps = json.loads(command(port_b, key_b, "snap ls", {"image-spec": spec, "all": "true"}, "json"))
        for s in snaps:
            ns = s.get("namespace", {})
            if (ns.get("type") == "mirror" and ns.get("state") == "non-primary"
                    and ns.get("primary_snap_id") == want and ns.get("complete") is True):
                return True
        return False

    command(port_b, key_b, "snap ls", {"image-spec": spec, "all": "true"}, "json")  # both connections open
    t0 = time.monotonic()
    out = command(port_a, key_a, "mirror image snapshot", {"image-spec": spec}, "plain")
    want = int(out.split("Snapshot ID:")[1].split()[0])
    return t0, lambda: copied(want)


def ceph(conf_a, conf_b, pool, image):
    import rados
    import rbd
    clusters = []
    for conf in (conf_a, conf_b):
        c = rados.Rados(conffile=conf)
        c.connect()
        clusters.append(c)
    io_a = clusters[0].open_ioctx(pool)
    io_b = clusters[1].open_ioctx(pool)
    primary = rbd.Image(io_a, image)

    def copied(want):
        with rbd.Image(io_b, image, read_only=True) as img:
            for s in img.list_snaps():
                if s.get("namespace") != rbd.RBD_SNAP_NAMESPACE_TYPE_MIRROR:
                    continue
                m = img.snap_get_mirror_namespace(s["id"])
                if (m["state"] == rbd.RBD_SNAP_MIRROR_STATE_NON_PRIMARY and m["primary_snap_id"] == want
                        and m["complete"]):
                    return True
        return False

    t0 = time.monotonic()
    want = primary.mirror_image_create_snapshot()
    return t0, lambda: copied(want)


def main():
    kind, args = sys.argv[1], sys.argv[2:]
    t0, copied = mirrorhost(*args) if kind == "mh" else ceph(*args)
    while not copied():
        if time.monotonic() - t0 > DEADLINE_S:
            raise SystemExit("timeout waiting for the snapshot on the peer")
        time.sleep(POLL_S)
    print(f"{time.monotonic() - t0:.3f}")


if __name__ == "__main__":
    main()
