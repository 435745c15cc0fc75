package io.kube4j.proxy.conntrack;

/**
 * One UDP conntrack entry, as much of it as stale-flow cleanup needs: where the client sent it and who answers
 * (after DNAT, the endpoint; without DNAT, the original destination itself).
 */
public record UdpFlow(String origSrc, String origDst, int origDstPort, String replySrc) {

    /**
     * Parses a line of {@code conntrack -L -p udp}, e.g. {@code udp 17 26 src=10.42.0.2 dst=10.43.0.10 sport=1
     * dport=53 [UNREPLIED] src=10.42.0.5 dst=10.42.0.2 sport=53 dport=1 mark=0 use=1}; null for other lines.
     */
    static UdpFlow parse(String line) {
        String[] fields = line.strip().split("\\s+");
        if (fields.length == 0 || !fields[0].equals("udp")) {
            return null;
        }
        String origSrc = null;
        String origDst = null;
        String replySrc = null;
        int dport = -1;
        for (String field : fields) {
            int eq = field.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = field.substring(0, eq);
            String value = field.substring(eq + 1);
            // the original tuple comes first, then the reply tuple with the same keys
            switch (key) {
                case "src" -> {
                    if (origSrc == null) {
                        origSrc = value;
                    } else if (replySrc == null) {
                        replySrc = value;
                    }
                }
                case "dst" -> {
                    if (origDst == null) {
                        origDst = value;
                    }
                }
                case "dport" -> {
                    if (dport < 0) {
                        try {
                            dport = Integer.parseInt(value);
                        } catch (NumberFormatException e) {
                            return null;
                        }
                    }
                }
                default -> {
                }
            }
        }
        if (origSrc == null || origDst == null || replySrc == null || dport < 0) {
            return null;
        }
        return new UdpFlow(origSrc, origDst, dport, replySrc);
    }
}
