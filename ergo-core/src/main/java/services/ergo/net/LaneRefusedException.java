package services.ergo.net;

/** A lane that proved the cookie but may not join the node's connections (a name a live connection holds). */
final class LaneRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LaneRefusedException(String message) {
        super(message, null, false, false);
    }
}
