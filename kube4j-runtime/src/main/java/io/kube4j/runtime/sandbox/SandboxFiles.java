package io.kube4j.runtime.sandbox;

import io.kube4j.cri.v1.DNSConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The per-pod /etc/hostname, /etc/hosts and /etc/resolv.conf that every container mounts. */
final class SandboxFiles {
    private SandboxFiles() {
    }

    static void write(Sandbox sandbox) throws IOException {
        String hostname = sandbox.hostname().isEmpty() ? hostHostname() : sandbox.hostname();
        Files.writeString(sandbox.hostnameFile(), hostname + "\n");
        writeHosts(sandbox, hostname);
        Files.writeString(sandbox.resolvConf(), resolvConf(sandbox.config().getDnsConfig()));
    }

    static void writeHosts(Sandbox sandbox, String hostname) throws IOException {
        StringBuilder hosts = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        if (sandbox.record().ip() != null && !sandbox.record().ip().isEmpty()) {
            hosts.append(sandbox.record().ip()).append('\t').append(hostname).append('\n');
        }
        Files.writeString(sandbox.hostsFile(), hosts.toString());
    }

    /** An empty DNS config means "as the node resolves", like containerd does. */
    private static String resolvConf(DNSConfig dns) throws IOException {
        if (dns.getServersCount() == 0 && dns.getSearchesCount() == 0 && dns.getOptionsCount() == 0) {
            Path host = Path.of("/etc/resolv.conf");
            return Files.exists(host) ? Files.readString(host) : "";
        }
        StringBuilder conf = new StringBuilder();
        if (dns.getSearchesCount() > 0) {
            conf.append("search ").append(String.join(" ", dns.getSearchesList())).append('\n');
        }
        dns.getServersList().forEach(s -> conf.append("nameserver ").append(s).append('\n'));
        if (dns.getOptionsCount() > 0) {
            conf.append("options ").append(String.join(" ", dns.getOptionsList())).append('\n');
        }
        return conf.toString();
    }

    private static String hostHostname() throws IOException {
        return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    }
}
