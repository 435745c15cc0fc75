package io.kube4j.api.validation;

import java.util.regex.Pattern;

/** IP address syntax checks, without any name resolution. */
final class IpSyntax {
    private IpSyntax() {
    }

    private static final Pattern V4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern V6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    static boolean isIpv4(String s) {
        return s != null && V4.matcher(s).matches();
    }

    static boolean isIpv6(String s) {
        if (s == null || !s.contains(":") || !V6_CHARS.matcher(s).matches()) {
            return false;
        }
        String body = s;
        int groupsNeeded = 8;
        int lastColon = s.lastIndexOf(':');
        String tail = s.substring(lastColon + 1);
        if (tail.contains(".")) {
            if (!isIpv4(tail)) {
                return false;
            }
            body = s.substring(0, lastColon + 1) + "0:0";
        }
        int dc = body.indexOf("::");
        if (dc != body.lastIndexOf("::")) {
            return false;
        }
        String[] parts = body.split(":", -1);
        int count = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                continue;
            }
            if (part.length() > 4 || part.contains(".")) {
                return false;
            }
            count++;
        }
        if (dc >= 0) {
            return count < groupsNeeded;
        }
        if (body.startsWith(":") || body.endsWith(":")) {
            return false;
        }
        return count == groupsNeeded;
    }

    static boolean isIp(String s) {
        return isIpv4(s) || isIpv6(s);
    }
}
