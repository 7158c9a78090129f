package io.mirrorhost.cli.guide;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What differs between any two runs of the same command, on rbd or on us, replaced by placeholders so
 * outputs compare as text: ids (image ids, snapshot ids, daemon ids), uuids and fsids, keys and
 * tokens, mon hosts, timestamps (and the timestamp/thread/pointer prefix librbd puts on its log lines).
 * Nothing else is touched.
 */
final class RbdNormalizer {
    private record Rule(Pattern pattern, String replacement) {
    }

    private static final List<Rule> RULES = List.of(
            // librbd log line: "2026-11-25T11:23:32.280+0000 7f38b23296c0 -1 librbd::..." and object pointers
            rule("(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+[+-]\\d{4} [0-9a-f]+ +-?\\d+ ", ""),
            rule("0x[0-9a-f]+ ", ""),
            rule("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>"),
            // a bootstrap token: one long base64 line
            rule("(?m)^[A-Za-z0-9+/]{80,}={0,2}$", "<token>"),
            rule("(?m)^(\\s*Key: )\\S+$", "$1<key>"),
            rule("\"key\":( ?)\"[^\"]*\"", "\"key\":$1\"<key>\""),
            rule("(?m)^(\\s*Mon Host: )\\S+$", "$1<mon_host>"),
            rule("\"mon_host\":( ?)\"[^\"]+\"", "\"mon_host\":$1\"<mon_host>\""),
            rule("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d", "<time>"),
            rule("[A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}", "<time>"),
            rule("(\"[a-z_]*timestamp\\\\?\":)\\d+", "$1<time>"),
            rule("Snapshot ID: \\d+", "Snapshot ID: <id>"),
            rule("(?m)^(\\s+)\\d+ (\\.mirror\\.)", "$1<id> $2"),
            rule("(?m)^(\\s+)\\d+(  \\.mirror\\.)", "$1<id>$2"),
            rule("\"(id|primary_snap_id|service_id|instance_id)\":( ?)(\\d+|\"[0-9a-f]*\")", "\"$1\":$2<id>"),
            rule("(?m)^(\\s*(id|journal|block_name_prefix|instance_id): (rbd_data\\.)?)[0-9a-f]+$", "$1<id>"),
            rule("(?m)^service \\d+:$", "service <id>:"),
            rule("(?m)^(\\s*(service|hostname|client_id): ).+$", "$1<daemon>"),
            rule("\"(hostname|daemon_id|client_id)\":( ?)\"[^\"]*\"", "\"$1\":$2\"<daemon>\""),
            rule("\"(block_name_prefix|journal)\":( ?)\"(rbd_data\\.)?[0-9a-f]+\"", "\"$1\":$2\"$3<id>\""),
            rule("(?m)^(\\s*version: ).+$", "$1<version>"),
            rule("\"ceph_version\":( ?)\"[^\"]*\"", "\"ceph_version\":$1\"<version>\""));

    private RbdNormalizer() {
    }

    private static Rule rule(String regex, String replacement) {
        return new Rule(Pattern.compile(regex), replacement);
    }

    /**
     * A standard error stream normalised, with librbd's log lines (and the blank line each is followed by)
     * moved after rbd's own messages: librbd logs from its own thread, so where they land among rbd's lines
     * varies from run to run on real rbd itself.
     */
    static String normalizeStderr(String text) {
        String[] lines = normalize(text).split("\n", -1);
        StringBuilder own = new StringBuilder();
        StringBuilder logged = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            boolean last = i == lines.length - 1;
            if (LOG_LINE.matcher(lines[i]).lookingAt()) {
                logged.append(lines[i]).append('\n');
                if (i + 1 < lines.length - 1 && lines[i + 1].isEmpty()) {
                    logged.append('\n');
                    i++;
                }
            } else {
                own.append(lines[i]);
                if (!last) {
                    own.append('\n');
                }
            }
        }
        return own.toString() + logged;
    }

    private static final Pattern LOG_LINE = Pattern.compile("(librbd::|cls_rbd:)");

    static String normalize(String text) {
        String result = text;
        for (Rule rule : RULES) {
            Matcher matcher = rule.pattern().matcher(result);
            result = matcher.replaceAll(rule.replacement());
        }
        return result;
    }
}
