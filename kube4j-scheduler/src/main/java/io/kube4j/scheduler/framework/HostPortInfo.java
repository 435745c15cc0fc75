package io.kube4j.scheduler.framework;

import java.util.HashMap;
import java.util.Map;

/** Host ports in use on a node: ip -> (protocol/port -> use count). 0.0.0.0 conflicts with every ip. */
public final class HostPortInfo {
    private static final String ANY = "0.0.0.0";
    private final Map<String, Map<String, Integer>> byIp;

    public HostPortInfo() { byIp = new HashMap<>(); }

    private HostPortInfo(Map<String, Map<String, Integer>> m) { byIp = m; }

    private static String ip(String ip) { return ip == null || ip.isEmpty() ? ANY : ip; }
    private static String pp(String protocol, int port) { return (protocol == null || protocol.isEmpty() ? "TCP" : protocol) + "/" + port; }

    public void add(String ip, String protocol, int port) {
        byIp.computeIfAbsent(ip(ip), k -> new HashMap<>()).merge(pp(protocol, port), 1, Integer::sum);
    }

    public void remove(String ip, String protocol, int port) {
        Map<String, Integer> m = byIp.get(ip(ip));
        if (m == null) return;
        m.computeIfPresent(pp(protocol, port), (k, v) -> v <= 1 ? null : v - 1);
        if (m.isEmpty()) byIp.remove(ip(ip));
    }

    public boolean conflicts(String ip, String protocol, int port) {
        if (byIp.isEmpty()) return false;
        String want = ip(ip);
        String key = pp(protocol, port);
        if (ANY.equals(want)) {
            for (Map<String, Integer> m : byIp.values()) if (m.containsKey(key)) return true;
            return false;
        }
        Map<String, Integer> m = byIp.get(want);
        if (m != null && m.containsKey(key)) return true;
        Map<String, Integer> any = byIp.get(ANY);
        return any != null && any.containsKey(key);
    }

    public boolean isEmpty() { return byIp.isEmpty(); }

    public HostPortInfo copy() {
        if (byIp.isEmpty()) return new HostPortInfo();
        Map<String, Map<String, Integer>> m = new HashMap<>();
        byIp.forEach((k, v) -> m.put(k, new HashMap<>(v)));
        return new HostPortInfo(m);
    }
}
