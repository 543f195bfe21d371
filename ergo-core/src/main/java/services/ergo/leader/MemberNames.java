package services.ergo.leader;

import java.util.regex.Pattern;
import services.ergo.gen.NodeNames;

/**
 * What a member's name may be: {@code name@node}, the name of letters, digits and {@code _ . + $ -}, the node a
 * valid node name ({@link NodeNames}). Every name a member takes from a message, an option or its state file is
 * checked against it first, so none can break a line of the state file or of the log.
 */
final class MemberNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.+$-]{1,255}");

    private MemberNames() {}

    static boolean isValid(String member) {
        if (member == null) {
            return false;
        }
        int at = member.indexOf('@');
        return at > 0 && NAME.matcher(member.substring(0, at)).matches() && NodeNames.isValid(member.substring(at + 1));
    }

    /** The node of a valid member name. */
    static String node(String member) {
        return member.substring(member.indexOf('@') + 1);
    }

    /** @throws IllegalArgumentException naming {@code what} and the name, printable, when it is not valid */
    static String require(String what, String member) {
        if (!isValid(member)) {
            throw new IllegalArgumentException(what + " must be name@node (the name of letters, digits and _ . + $ -,"
                    + " the node a node name), got '" + (member == null ? null : NodeNames.printable(member)) + "'");
        }
        return member;
    }
}
