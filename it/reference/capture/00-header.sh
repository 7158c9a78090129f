#!/usr/bin/env bash
# Header of rbd-outputs.md: version and environment.
source "$(dirname "$0")/lib.sh"
begin_part 00-header
version=$(ceph --version)
cat >>"$PART" <<MD
# Reference outputs of the real \`rbd\` / \`ceph\` / \`rados\` CLIs

Captured with **$version** (Debian 12 package 16.2.15+ds-0+deb12u2), two one-node clusters
"site-a" and "site-b" started by \`it/ceph/cluster.sh\` on 127.0.0.1 (see it/ceph/README.md).

How it was captured: \`it/reference/capture/*.sh\` (rerun them to regenerate). Every command ran with
bash in a directory holding \`site-a.conf\` and \`site-b.conf\` symlinks (Ceph's default conf search path
ends with \`./\$cluster.conf\`), so the command lines below are exactly what was typed. Each entry gives
the exact command line, the process exit code, stdout and stderr verbatim. "(empty)" means zero bytes;
"(no trailing newline)" means the stream did not end with a newline. The only redaction: cephx secret
keys are replaced by \`<key>\` (and bootstrap tokens, which embed a key, by \`<token>\`).

Exit codes: \`rbd\` exits with the positive errno of the failure for most errors (e.g. 2 = ENOENT,
17 = EEXIST, 22 = EINVAL, 16 = EBUSY, 30 = EROFS, 39 = ENOTEMPTY, 74 = EBADMSG) and 1 for
option-parsing errors (bad option value, unknown command, extra positional argument) -- see the entries.
MD
