package services.ergo.registrar.etcd;

/**
 * Typed configuration values as the seed writes them: {@code int:} → Long, {@code float:} → Double,
 * {@code bool:} → Boolean, anything else a String.
 */
final class ConfigValues {
    private ConfigValues() {}

    /**
     * The typed value of {@code raw}.
     *
     * @throws IllegalArgumentException naming the prefix and the text when a typed value does not parse
     */
    static Object parse(String raw) {
        if (raw.startsWith("int:")) {
            String v = raw.substring(4).trim();
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + raw + "' is not an int: '" + v + "' is not a 64-bit integer");
            }
        }
        if (raw.startsWith("float:")) {
            String v = raw.substring(6).trim();
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + raw + "' is not a float: '" + v + "' is not a number");
            }
        }
        if (raw.startsWith("bool:")) {
            String v = raw.substring(5).trim();
            if (v.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (v.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
            throw new IllegalArgumentException("'" + raw + "' is not a bool: '" + v + "' is neither true nor false");
        }
        return raw;
    }
}
