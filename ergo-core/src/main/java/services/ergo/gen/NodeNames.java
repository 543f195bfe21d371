package services.ergo.gen;

import java.util.regex.Pattern;

/**
 * What a node name may be: {@code name@host}, at most 255 characters, the name of letters, digits and
 * {@code _ . + -}, the host a host name or an IP address (IPv6 in brackets or bare). The same rule holds for this
 * node's own name and for every name a peer claims on the wire, so no name a node accepts can break a log line, a
 * state file or a URL.
 *
 * <pre>{@code
 * NodeNames.isValid("worker1@10.0.0.7");   // true
 * NodeNames.isValid("a@b\nFAKE");          // false
 * }</pre>
 */
public final class NodeNames {
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9_.+-]+@[A-Za-z0-9_.:%\\[\\]-]+");

    private NodeNames() {}

    public static boolean isValid(String name) {
        return name != null && name.length() <= 255 && NODE_NAME.matcher(name).matches();
    }

    /**
     * The name as it may be logged when it is not valid: printable ASCII only, at most 64 characters, so a peer's
     * claim cannot forge log lines.
     */
    public static String printable(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length() && out.length() < 64; i++) {
            char c = name.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return name.length() > 64 ? out + "…" : out.toString();
    }
}
