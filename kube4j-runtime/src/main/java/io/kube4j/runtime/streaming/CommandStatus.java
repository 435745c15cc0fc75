package io.kube4j.runtime.streaming;

/**
 * How a remote command ended, as upstream's streaming server reports it on the error stream: a
 * metav1.Status in JSON for the v4 and v5 protocols, a plain message (nothing on success) before.
 */
record CommandStatus(int exitCode, String error) {

    static CommandStatus success() {
        return new CommandStatus(0, null);
    }

    static CommandStatus exited(int exitCode) {
        return new CommandStatus(exitCode, null);
    }

    static CommandStatus failed(String error) {
        return new CommandStatus(-1, error);
    }

    boolean succeeded() {
        return error == null && exitCode == 0;
    }

    String json() {
        if (error != null) {
            return "{\"metadata\":{},\"status\":\"Failure\",\"message\":" + quote(error) + ",\"reason\":\"InternalError\","
                    + "\"details\":{\"causes\":[{\"message\":" + quote(error) + "}]},\"code\":500}";
        }
        if (exitCode == 0) {
            return "{\"metadata\":{},\"status\":\"Success\"}";
        }
        return "{\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + quote("command terminated with non-zero exit code: exit code " + exitCode)
                + ",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"" + exitCode + "\"}]}}";
    }

    /** The text of the pre-v4 protocols; null on success, when nothing is written. */
    String text() {
        if (succeeded()) {
            return null;
        }
        return error != null ? error : "command terminated with non-zero exit code: exit code " + exitCode;
    }

    /** The error stream's payload for the negotiated protocol, or null when nothing is sent. */
    String encode(String protocol) {
        return protocol.startsWith("v4.") || protocol.startsWith("v5.") ? json() : text();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
